package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.http.Headers;
import dev.spindle.http.websocket.HandshakeFailed;
import dev.spindle.http.websocket.Message;
import dev.spindle.http.websocket.WebSocket;
import dev.spindle.web.depends.Depends;
import dev.spindle.web.middleware.GZipMiddleware;
import dev.spindle.web.params.Header;
import dev.spindle.web.params.Path;
import dev.spindle.web.responses.Response;
import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TestClient#of}: the app served in-process by the real server codec over a memory pair. Its responses match
 * {@link TestClient#serve}'s over a socket, header for header, and WebSocket routes work without a port.
 */
class InProcessClientTest {
    @TempDir
    static java.nio.file.Path dir;

    static final class Routes {
        @WebSocketRoute("/ws/{client_id}")
        void chat(
                WebSocket ws,
                @Path("client_id") int clientId,
                @Depends(WebSocketRouteTest.Room.class) String room,
                @Header("x-team") Optional<String> team) {
            for (Message m : ws) {
                ws.send("Client #" + clientId + " of " + team.orElse("none") + " in " + room + " says: " + m.text());
            }
        }

        @Get("/items/{item_id}")
        java.util.Map<String, Object> item(@Path("item_id") int itemId) {
            return java.util.Map.of("item_id", itemId);
        }

        @Get("/big")
        Response big() {
            return Response.text("x".repeat(5000));
        }

        @Get("/stream")
        Response stream() {
            return Response.stream("text/plain", out -> {
                for (int i = 0; i < 100; i++) {
                    out.write("line " + i + "\n");
                }
            });
        }

        @Get("/file")
        Response file() {
            return Response.file(dir.resolve("report.txt"));
        }

        @Get("/host")
        String host(@Header("host") String host) {
            return host;
        }
    }

    private static App app() {
        App app = new App();
        app.include(new Routes());
        app.addMiddleware(new GZipMiddleware(1000, 5));
        return app;
    }

    @Test
    void aWebSocketRouteWithTypedParametersAndDependenciesEchoesInProcess() {
        try (TestClient client = TestClient.of(app())) {
            client.defaultHeaders().set("X-Team", "blue");
            List<String> got = client.websocket("/ws/7?room=kitchen", ws -> {
                ws.send("hello");
                String a = ws.receive().text();
                ws.send("bye");
                return List.of(a, ws.receive().text());
            });
            assertEquals(
                    List.of("Client #7 of blue in kitchen says: hello", "Client #7 of blue in kitchen says: bye"), got);
            HandshakeFailed refused =
                    assertThrows(HandshakeFailed.class, () -> client.websocket("/ws/x", ws -> "never"));
            assertEquals(403, refused.status());
            assertEquals(200, client.get("/items/3").status(), "plain requests still work after WebSockets");
        }
    }

    @Test
    void responsesAreThoseOfTheServedAppHeaderForHeader() throws Exception {
        Files.writeString(dir.resolve("report.txt"), "0123456789");
        List<Object[]> calls = List.of(
                new Object[] {"GET", "/big", Headers.of("Accept-Encoding", "gzip")},
                new Object[] {"HEAD", "/big", Headers.of("Accept-Encoding", "gzip")},
                new Object[] {"HEAD", "/items/5", new Headers()},
                new Object[] {"GET", "/stream", Headers.of("Accept-Encoding", "gzip")},
                new Object[] {"GET", "/file", Headers.of("Range", "bytes=2-4")},
                new Object[] {"GET", "/file", Headers.of("Range", "bytes=20-30")},
                new Object[] {"GET", "/items/foo", new Headers()});
        List<TestResponse> local = new ArrayList<>();
        List<TestResponse> served = new ArrayList<>();
        try (TestClient in = TestClient.of(app());
                TestClient out = TestClient.serve(app())) {
            for (Object[] c : calls) {
                local.add(in.request((String) c[0], (String) c[1], (Headers) c[2], null));
                served.add(out.request((String) c[0], (String) c[1], (Headers) c[2], null));
            }
        }
        for (int i = 0; i < calls.size(); i++) {
            String what = calls.get(i)[0] + " " + calls.get(i)[1] + " " + calls.get(i)[2];
            TestResponse l = local.get(i);
            TestResponse s = served.get(i);
            assertNotNull(l.header("Date"), what + ": the server's Date");
            assertEquals(s.status(), l.status(), what);
            assertEquals(withoutDate(s.headers()), withoutDate(l.headers()), what);
            assertEquals(s.text(), l.text(), what);
        }
        assertEquals("gzip", local.get(0).header("Content-Encoding"));
        assertEquals(
                "x".repeat(5000),
                new String(
                        new GZIPInputStream(
                                        new ByteArrayInputStream(local.get(0).body()))
                                .readAllBytes(),
                        StandardCharsets.UTF_8));
        assertEquals(0, local.get(1).body().length, "HEAD has no body");
        assertEquals("chunked", local.get(3).header("Transfer-Encoding"));
        assertEquals(206, local.get(4).status());
        assertEquals("234", local.get(4).text());
        assertEquals(416, local.get(5).status());
    }

    private static List<String> withoutDate(Headers h) {
        List<String> fields = new ArrayList<>();
        h.forEach((n, v) -> {
            if (!n.equalsIgnoreCase("Date")) {
                fields.add(n.toLowerCase(Locale.ROOT) + ": " + v);
            }
        });
        fields.sort(null);
        return fields;
    }

    @Test
    void errorAnswersComeFromTheFrameworkAndTheServer() {
        try (TestClient client = TestClient.of(app())) {
            TestResponse missing = client.get("/nope");
            assertEquals(404, missing.status());
            assertEquals("{\"detail\":\"Not Found\"}", missing.text());

            TestResponse wrongMethod = client.request("DELETE", "/items/3", null, null);
            assertEquals(405, wrongMethod.status());
            assertEquals("{\"detail\":\"Method Not Allowed\"}", wrongMethod.text());
            assertEquals("GET, HEAD", wrongMethod.header("allow"));

            TestResponse invalid = client.get("/items/foo");
            assertEquals(422, invalid.status());
            assertEquals("int_parsing", invalid.json().at("/detail/0/type").asText());
            assertEquals("item_id", invalid.json().at("/detail/0/loc/1").asText());

            assertEquals("testserver", client.get("/host").json().asText(), "Starlette's default Host");
            assertEquals(
                    "example.com",
                    client.get("/host", Headers.of("Host", "example.com"))
                            .json()
                            .asText());
        }
    }
}
