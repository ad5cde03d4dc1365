package dev.spindle.http;

import dev.spindle.Spindle;
import java.time.Duration;

/** A server run in a child JVM by {@link ShutdownTest}: serves until SIGTERM/SIGINT, then prints "stopped". */
public final class SignalMain {
    private SignalMain() {}

    public static void main(String[] args) {
        long sleepMillis = Long.parseLong(args[0]);
        HttpServer server = HttpServer.start(
                (req, res) -> {
                    System.out.println("serving " + req.path());
                    try {
                        Spindle.sleep(Duration.ofMillis(sleepMillis));
                    } finally {
                        System.out.println("handler ended");
                    }
                    res.send("done " + req.path());
                },
                HttpServerOptions.builder()
                        .port(0)
                        .loops(2)
                        .shutdownTimeout(Duration.ofSeconds(20))
                        .build());
        System.out.println("port " + server.port());
        server.serveUntilSignal();
        System.out.println("stopped");
    }
}
