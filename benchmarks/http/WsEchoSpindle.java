import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.http.websocket.Message;
import dev.spindle.http.websocket.WebSocket;
import dev.spindle.http.websocket.WebSocketOptions;
import java.time.Duration;

/** A Spindle WebSocket echo server on one loop: java WsEchoSpindle.java PORT (compression and pings off). */
public class WsEchoSpindle {
    public static void main(String[] args) {
        WebSocketOptions o = WebSocketOptions.builder().compression(false).pingInterval(Duration.ZERO).build();
        HttpServer server = HttpServer.start(
                WebSocket.handler(o, (req, ws) -> {
                    for (Message m : ws) {
                        ws.send(m);
                    }
                }),
                HttpServerOptions.builder().port(Integer.parseInt(args[0])).loops(1).maxConnections(100_000).build());
        System.out.println("listening " + server.port());
        server.serveUntilSignal();
    }
}
