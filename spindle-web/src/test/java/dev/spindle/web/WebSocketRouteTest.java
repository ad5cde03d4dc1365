package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.websocket.HandshakeFailed;
import dev.spindle.http.websocket.Message;
import dev.spindle.http.websocket.WebSocket;
import dev.spindle.http.websocket.WebSocketRejected;
import dev.spindle.web.depends.Depends;
import dev.spindle.web.depends.Provides;
import dev.spindle.web.params.Path;
import dev.spindle.web.params.Query;
import dev.spindle.web.responses.Response;
import dev.spindle.web.testing.TestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** WebSocket routes with typed parameters and dependencies, over a real socket. */
class WebSocketRouteTest {
    static final class Room {
        @Provides
        static String room(@Query Optional<String> room) {
            return room.orElse("lobby");
        }
    }

    static final class Routes {
        @WebSocketRoute("/ws/{client_id}")
        void chat(WebSocket ws, @Path("client_id") int clientId, @Depends(Room.class) String room) {
            for (Message m : ws) {
                ws.send("Client #" + clientId + " in " + room + " says: " + m.text());
            }
        }

        @WebSocketRoute("/boom")
        void boom(WebSocket ws) {
            throw new IllegalStateException("boom");
        }
    }

    @Test
    void typedParametersAndDependencies() {
        App app = new App();
        app.include(new Routes());
        app.addMiddleware((r, n) -> n.call(r).header("X-Http-Only", "1"));
        try (TestClient client = TestClient.serve(app)) {
            List<String> got = client.websocket("/ws/7?room=kitchen", ws -> {
                ws.send("hello");
                String a = ws.receive().text();
                ws.send("bye");
                return List.of(a, ws.receive().text());
            });
            assertEquals(List.of("Client #7 in kitchen says: hello", "Client #7 in kitchen says: bye"), got);
            HandshakeFailed refused =
                    assertThrows(HandshakeFailed.class, () -> client.websocket("/ws/x", ws -> "never"));
            assertTrue(refused.getMessage().contains("403"), refused.getMessage());
            String code = client.websocket("/boom", ws -> {
                assertThrows(RuntimeException.class, ws::receive);
                return ws.closeStatus().map(Object::toString).orElse("none");
            });
            assertTrue(code.contains("1011"), code);
            assertEquals(404, client.get("/nope").status());
            assertEquals(Map.of(), Map.of());
        }
    }

    /** Sends raw requests on one connection and reads each response (head and Content-Length body). */
    static final class RawHttp implements AutoCloseable {
        final Socket socket;
        final InputStream in;

        RawHttp(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
        }

        /** The response: status line and fields (names lower-cased) in {@code head}, then the body. */
        record Answer(String statusLine, List<String> fields, String body) {
            int status() {
                return Integer.parseInt(statusLine.substring(9, 12));
            }
        }

        Answer exchange(String request) throws IOException {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("closed after " + b.toString(StandardCharsets.ISO_8859_1));
                }
                b.write(c);
            }
            String[] lines = b.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            List<String> fields = new ArrayList<>();
            int length = 0;
            for (int k = 1; k < lines.length; k++) {
                int colon = lines[k].indexOf(':');
                String name = lines[k].substring(0, colon).toLowerCase(Locale.ROOT);
                String value = lines[k].substring(colon + 1).trim();
                fields.add(name + ": " + value);
                if (name.equals("content-length")) {
                    length = Integer.parseInt(value);
                }
            }
            return new Answer(lines[0], fields, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static final String UPGRADE = "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
    static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    static final String V13 = "Sec-WebSocket-Version: 13\r\n";
    static final String VERSION_8 = "GET /ws/7 HTTP/1.1\r\n" + UPGRADE + KEY + "Sec-WebSocket-Version: 8\r\n\r\n";
    static final String BAD_KEY = "GET /ws/7 HTTP/1.1\r\n" + UPGRADE + "Sec-WebSocket-Key: short\r\n" + V13 + "\r\n";

    /**
     * A refused handshake is spindle-http's WebSocketRejected, an HttpError: the app answers it as FastAPI answers an
     * HTTPException ({"detail": ...}, with the headers the refusal carries), on a connection that goes on.
     */
    @Test
    void refusedHandshakesAreAnsweredAsHttpErrors() throws Exception {
        try (TestClient client = TestClient.serve(new App().include(new Routes()));
                RawHttp c = new RawHttp(client.port())) {
            RawHttp.Answer a = c.exchange(VERSION_8);
            assertEquals(426, a.status(), a.toString());
            assertTrue(a.fields().contains("sec-websocket-version: 13"), a.toString());
            assertTrue(a.fields().contains("upgrade: websocket"), a.toString());
            assertTrue(a.fields().contains("connection: Upgrade"), a.toString());
            assertTrue(a.fields().contains("content-type: application/json"), a.toString());
            assertEquals("{\"detail\":\"unsupported Sec-WebSocket-Version [8]: this server speaks 13\"}", a.body());

            a = c.exchange("GET /ws/7 HTTP/1.1\r\nHost: x\r\n\r\n"); // a plain GET: through the middleware too
            assertEquals(426, a.status(), a.toString());
            assertTrue(a.fields().contains("upgrade: websocket"), a.toString());
            assertTrue(a.body().startsWith("{\"detail\":\"this resource is a WebSocket"), a.body());

            a = c.exchange(BAD_KEY);
            assertEquals(400, a.status(), a.toString());
            assertEquals("{\"detail\":\"Sec-WebSocket-Key must be one base64-encoded 16-byte value\"}", a.body());

            a = c.exchange("POST /ws/7 HTTP/1.1\r\n" + UPGRADE + KEY + V13 + "Content-Length: 0\r\n\r\n");
            assertEquals(405, a.status(), a.toString());
            assertTrue(a.fields().contains("allow: GET"), a.toString());
            assertEquals("{\"detail\":\"Method Not Allowed\"}", a.body());

            // the same connection, after four refusals, opens the WebSocket
            a = c.exchange("GET /ws/7 HTTP/1.1\r\n" + UPGRADE + KEY + V13 + "\r\n");
            assertEquals(101, a.status(), a.toString());
        }
    }

    /** The app's exception handlers see a refused handshake: by status, as HTTPException, or as its own type. */
    @Test
    void exceptionHandlersSeeRefusedHandshakes() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        App app = new App();
        app.include(new Routes());
        app.exceptionHandler(426, (request, e) -> {
            seen.add("426 " + e.headers().get("Sec-WebSocket-Version"));
            return Response.json(Map.of("detail", e.detail(), "hint", "use a WebSocket client"))
                    .status(426)
                    .header("Upgrade", "websocket")
                    .header("Connection", "Upgrade");
        });
        app.exceptionHandler(HTTPException.class, (request, e) -> {
            seen.add("HTTPException " + e.status());
            return Response.text("refused: " + e.detail()).status(e.status());
        });
        try (TestClient client = TestClient.serve(app);
                RawHttp c = new RawHttp(client.port())) {
            RawHttp.Answer a = c.exchange(VERSION_8);
            assertEquals(426, a.status(), a.toString());
            assertTrue(a.body().contains("\"hint\":\"use a WebSocket client\""), a.body());
            assertTrue(a.fields().contains("connection: Upgrade"), a.toString());
            a = c.exchange(BAD_KEY);
            assertEquals(400, a.status(), a.toString());
            assertEquals("refused: Sec-WebSocket-Key must be one base64-encoded 16-byte value", a.body());
            assertEquals(List.of("426 13", "HTTPException 400"), seen);
        }

        // a handler for the refusal's own type gets it as it is
        List<WebSocketRejected> rejected = new CopyOnWriteArrayList<>();
        App own = new App();
        own.include(new Routes());
        own.exceptionHandler(WebSocketRejected.class, (request, e) -> {
            rejected.add(e);
            return Response.text("own").status(e.status());
        });
        own.exceptionHandler(426, (request, e) -> Response.text("not this one").status(500));
        try (TestClient client = TestClient.serve(own);
                RawHttp c = new RawHttp(client.port())) {
            RawHttp.Answer a = c.exchange("GET /ws/7 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(426, a.status(), a.toString());
            assertEquals("own", a.body());
            assertEquals(1, rejected.size());
            assertEquals("websocket", rejected.getFirst().headers().get("Upgrade"));
        }
    }

    @Test
    void notInOpenApi() {
        App app = new App();
        app.include(new Routes());
        assertTrue(!new String(app.openapi()).contains("/ws/"));
    }
}
