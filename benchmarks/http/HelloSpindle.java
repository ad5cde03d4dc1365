import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;

/** The plaintext and JSON endpoints (TechEmpower's rules) on Spindle's HTTP server. Args: port loops. */
public class HelloSpindle {
    static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int loops = Integer.parseInt(args[1]);
        HttpServer server = HttpServer.start(
                (req, res) -> {
                    if (req.path().equals("/json")) {
                        res.contentType("application/json").send("{\"message\":\"Hello, World!\"}");
                    } else {
                        res.contentType("text/plain").send(HELLO);
                    }
                },
                HttpServerOptions.builder().port(port).loops(loops).build());
        System.out.println("listening on " + server.port());
        server.serveUntilSignal();
    }
}
