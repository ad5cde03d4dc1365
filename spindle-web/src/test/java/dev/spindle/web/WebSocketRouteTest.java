package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.websocket.HandshakeFailed;
import dev.spindle.http.websocket.Message;
import dev.spindle.http.websocket.WebSocket;
import dev.spindle.web.depends.Depends;
import dev.spindle.web.depends.Provides;
import dev.spindle.web.params.Path;
import dev.spindle.web.params.Query;
import dev.spindle.web.testing.TestClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    @Test
    void notInOpenApi() {
        App app = new App();
        app.include(new Routes());
        assertTrue(!new String(app.openapi()).contains("/ws/"));
    }
}
