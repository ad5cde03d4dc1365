package dev.spindle.http;

import dev.spindle.Spindle;
import dev.spindle.http.client.HttpClient;
import java.time.Duration;

/** A child JVM for {@link ObserveTest}: serves and sends one request with no JFR recording, then exits. */
public final class NoRecordingMain {
    private NoRecordingMain() {}

    public static void main(String[] args) {
        HttpServer server = HttpServer.start(
                (req, res) -> res.send("ok"),
                HttpServerOptions.builder().port(0).loops(1).build());
        String text = Spindle.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                return client.get("http://127.0.0.1:" + server.port() + "/").text();
            }
        });
        server.shutdown(Duration.ofSeconds(2));
        System.out.println("answer " + text);
    }
}
