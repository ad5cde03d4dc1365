package peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import java.nio.charset.StandardCharsets;

/**
 * Helidon 4 SE (Níma): a virtual thread per request on Helidon's own HTTP/1.1 server, /plaintext and /json (Jackson,
 * as every JVM peer here).
 */
public final class HelidonHttpServer {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static void main(String[] argv) {
        Args args = Args.parse(argv);
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(args.port)
                .routing(r -> r.get("/plaintext", (req, res) -> {
                            res.header(HeaderValues.CONTENT_TYPE_TEXT_PLAIN);
                            res.header(HeaderNames.SERVER, "helidon");
                            res.send(HELLO);
                        })
                        .get("/json", (req, res) -> {
                            res.header(HeaderValues.CONTENT_TYPE_JSON);
                            res.header(HeaderNames.SERVER, "helidon");
                            res.send(MAPPER.writeValueAsBytes(new Message("Hello, World!")));
                        }))
                .build()
                .start();
        System.err.println("helidon on 127.0.0.1:" + server.port());
    }
}
