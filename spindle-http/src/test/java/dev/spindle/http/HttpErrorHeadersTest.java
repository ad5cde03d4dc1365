package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link HttpError#withHeader}: the headers go with the error answer, and only they (over raw sockets). */
class HttpErrorHeadersTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer((req, res) -> {
            res.header("X-Before", "dropped");
            switch (req.path()) {
                case "/auth" ->
                    throw new HttpError(401, "credentials required")
                            .withHeader("WWW-Authenticate", "Bearer realm=\"spindle\"")
                            .withHeader("X-Multi", "1")
                            .withHeader("X-Multi", "2");
                case "/busy" -> throw new HttpError(503, "later").withHeader("Retry-After", "120");
                case "/plain503" -> throw new HttpError(503, "later");
                case "/framing" -> throw new HttpError(400, "bad").withHeader("Content-Length", "999");
                default -> res.send("ok");
            }
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theErrorsHeadersAreSentAndTheResponsesEarlierOnesAreNot() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /auth HTTP/1.1\r\nHost: x\r\n\r\n");
            TestServer.Reply r = c.read();
            assertEquals(401, r.status);
            assertEquals("Bearer realm=\"spindle\"", r.header("WWW-Authenticate"));
            assertTrue(r.head.contains("X-Multi: 1\n") && r.head.contains("X-Multi: 2\n"), r.head);
            assertNull(r.header("X-Before"), "headers set before the error are not sent");
            assertTrue(r.text().contains("credentials required"), r.text());
            c.send("GET /busy HTTP/1.1\r\nHost: x\r\n\r\n");
            TestServer.Reply busy = c.read();
            assertEquals(503, busy.status);
            assertEquals("120", busy.header("Retry-After"), "the error's Retry-After, not the default");
            c.send("GET /plain503 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("1", c.read().header("Retry-After"), "the default Retry-After");
            c.send("GET /framing HTTP/1.1\r\nHost: x\r\n\r\n");
            TestServer.Reply f = c.read();
            assertEquals(400, f.status);
            assertEquals(String.valueOf(f.body.length), f.header("Content-Length"), "framing stays the server's");
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", c.read().text(), "the connection goes on after 4xx and 5xx answers");
        }
    }

    @Test
    void badHeadersAreRefusedWhereTheyAreAdded() {
        assertThrows(IllegalArgumentException.class, () -> new HttpError(400, "x").withHeader("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> new HttpError(400, "x").withHeader("X", "a\r\nb: c"));
        HttpError e = new HttpError(429, "slow down").withHeader("Retry-After", "5");
        assertEquals("5", e.headers().get("Retry-After"));
        assertThrows(RuntimeException.class, () -> e.headers().add("X", "y"), "read-only");
    }
}
