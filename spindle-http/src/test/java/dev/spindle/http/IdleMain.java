package dev.spindle.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A server in a child JVM for {@link IdleConnectionsTest}: answers {@code /} with "ok" and {@code /stats} with its
 * connection count, its heap after a full collection and its RSS, so the per-connection cost can be measured from
 * outside without the client's own memory in the figures.
 */
public final class IdleMain {
    static HttpServer server;

    private IdleMain() {}

    public static void main(String[] args) {
        server = HttpServer.start(
                (req, res) -> {
                    if (req.path().equals("/stats")) {
                        for (int i = 0; i < 3; i++) {
                            System.gc();
                        }
                        Runtime rt = Runtime.getRuntime();
                        long heap = rt.totalMemory() - rt.freeMemory();
                        res.send(server.connections() + " " + heap + " " + rssBytes());
                    } else {
                        res.send("ok");
                    }
                },
                HttpServerOptions.builder()
                        .port(0)
                        .loops(1)
                        .maxConnections(50_000)
                        .backlog(4096)
                        .keepAliveTimeout(Duration.ofMinutes(5))
                        .headerTimeout(Duration.ofMinutes(5))
                        .build());
        System.out.println("port " + server.port());
        server.serveUntilSignal();
    }

    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException e) {
            // not Linux
        }
        return -1;
    }
}
