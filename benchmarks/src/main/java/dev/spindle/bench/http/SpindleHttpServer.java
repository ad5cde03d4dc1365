package dev.spindle.bench.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP benchmark's Spindle server (benchmarks/http.sh): spindle-http's bare handler answering TechEmpower's
 * /plaintext and /json (Jackson, a new object serialized per request, as every JVM peer does).
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     dev.spindle.bench.http.SpindleHttpServer --port 8080 --loops 1
 * </pre>
 *
 * The backend is chosen as everywhere: {@code -Dspindle.io.backend=netty} for spindle-netty's epoll.
 */
public final class SpindleHttpServer {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * The access log is on by default (as uvicorn's); every peer here runs without one, so this server turns it off.
     * Held here because java.util.logging keeps its loggers weakly, and a collected one forgets its level.
     */
    private static final java.util.logging.Logger ACCESS_LOG =
            java.util.logging.Logger.getLogger("dev.spindle.http.access");

    /** TechEmpower's JSON test object. */
    public record Message(String message) {}

    private SpindleHttpServer() {}

    public static void main(String[] args) {
        int port = 0;
        int loops = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--loops" -> loops = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port 1..65535 is required");
        }
        ACCESS_LOG.setLevel(java.util.logging.Level.OFF);
        HttpServer server = HttpServer.start(
                (req, res) -> {
                    switch (req.path()) {
                        case "/plaintext" -> res.contentType("text/plain").send(HELLO);
                        case "/json" ->
                            res.contentType("application/json")
                                    .send(MAPPER.writeValueAsBytes(new Message("Hello, World!")));
                        default -> res.status(404).send();
                    }
                },
                HttpServerOptions.builder()
                        .host("127.0.0.1")
                        .port(port)
                        .loops(loops)
                        // as uvicorn's here: an idle keep-alive connection is held a minute (Netty, Vert.x, Helidon
                        // and Go keep theirs without a limit), so the idle-memory measure can hold 10,000 of them
                        .keepAliveTimeout(java.time.Duration.ofSeconds(60))
                        .build());
        System.err.println("spindle-http on 127.0.0.1:" + server.port() + ", " + server.loops() + " loop(s), backend "
                + System.getProperty("spindle.io.backend", "nio"));
        server.serveUntilSignal();
    }
}
