package dev.spindle.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.io.StreamError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Broken and hostile servers over real sockets: each failure names what was wrong, closes only its own connection,
 * and the next request (to a sane path of the same server) is answered correctly on a fresh connection.
 */
class HostileServerTest {

    /** path, what the server sends (then it closes if the flag says so), a fragment of the expected message. */
    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("HTTP/1.1 OK\r\n\r\n", false, "malformed status"),
                Arguments.of("\u0000\u0001\u0002garbage\r\n\r\n", false, "malformed status line"),
                Arguments.of("HTTP/3.0 200 OK\r\n\r\n", false, "unsupported HTTP version"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\n" + ("X-Filler: " + "f".repeat(8000) + "\r\n").repeat(9) + "\r\n",
                        false,
                        "larger than 65536 bytes"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
                        true,
                        "in the middle of a chunked body"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789", true, "after 10 of 100"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false, "invalid chunk size"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
                        false,
                        "conflicting Content-Length"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent Length: 2\r\n\r\nab", false, "whitespace before its colon"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", true, "after 0 of 2"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\nnope",
                        false,
                        "gzip body is corrupt"),
                Arguments.of("", true, "closed the connection without sending a response"));
    }

    @ParameterizedTest
    @MethodSource("broken")
    void aBrokenResponseFailsClearlyAndPoisonsNothing(String wire, boolean closeAfter, String fragment) {
        Spindle.run(() -> {
            try (RawServer server = new RawServer((method, target, nth, reader, writer) -> {
                        if (target.equals("/ok")) {
                            return RawServer.ok(writer, "fine");
                        }
                        RawServer.write(writer, wire);
                        return !closeAfter;
                    });
                    HttpClient client = HttpClient.builder()
                            .timeouts(Timeouts.defaults().withRead(Duration.ofSeconds(2)))
                            .build()) {
                assertEquals("fine", client.get(server.url("/ok")).text());
                ProtocolError e = assertThrows(ProtocolError.class, () -> client.get(server.url("/broken")));
                assertTrue(e.getMessage().contains(fragment), "expected \"" + fragment + "\" in " + e.getMessage());
                int before = server.connections;
                for (int i = 0; i < 3; i++) {
                    assertEquals("fine", client.get(server.url("/ok")).text());
                }
                assertEquals(before + 1, server.connections, "one fresh connection after the broken one");
            }
        });
    }

    @Test
    void bytesBeyondContentLengthAreNeverReadAsTheNextResponse() {
        Spindle.run(() -> {
            try (RawServer server = new RawServer((method, target, nth, reader, writer) -> {
                        if (target.equals("/liar")) {
                            // says 3, sends a whole fake response after them
                            RawServer.write(
                                    writer,
                                    "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
                                            + "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged");
                            return true;
                        }
                        return RawServer.ok(writer, "real");
                    });
                    HttpClient client = HttpClient.create()) {
                assertEquals("abc", client.get(server.url("/liar")).text());
                for (int i = 0; i < 3; i++) {
                    assertEquals("real", client.get(server.url("/ok")).text());
                }
                assertEquals(2, server.connections);
            }
        });
    }

    @Test
    void lateBytesOnAnIdleConnectionAreCaughtBeforeReuse() {
        Spindle.run(() -> {
            try (RawServer server = new RawServer((method, target, nth, reader, writer) -> {
                        if (target.equals("/late")) {
                            RawServer.ok(writer, "first");
                            Spindle.sleep(Duration.ofMillis(50)); // then a stray response nobody asked for
                            RawServer.write(writer, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged");
                            return true;
                        }
                        return RawServer.ok(writer, "real");
                    });
                    HttpClient client = HttpClient.create()) {
                assertEquals("first", client.get(server.url("/late")).text());
                Spindle.sleep(Duration.ofMillis(200));
                assertEquals("real", client.get(server.url("/ok")).text());
                assertEquals(2, server.connections, "the connection with stray bytes was dropped");
            }
        });
    }

    @Test
    void aReusedConnectionDroppedUnansweredIsRetriedOnceForIdempotentRequestsOnly() {
        Spindle.run(() -> {
            try (RawServer server = new RawServer((method, target, nth, reader, writer) -> {
                        // the second request on each connection is dropped unanswered, as by a server closing
                        // its kept-alive connection just as the request arrives
                        return nth != 2 && RawServer.ok(writer, method + " " + target + " #" + nth);
                    });
                    HttpClient client = HttpClient.create()) {
                assertEquals("GET /a #1", client.get(server.url("/a")).text());
                // reused, dropped, sent again on a new connection: the caller sees only the answer
                assertEquals("GET /b #1", client.get(server.url("/b")).text());
                assertEquals(2, server.connections);
                assertEquals(3, server.requests);

                // a POST is not retried: the server may have acted on it
                ProtocolError post =
                        assertThrows(ProtocolError.class, () -> client.post(server.url("/c"), Content.text("p")));
                assertTrue(post.getMessage().contains("without sending a response"), post.getMessage());
                assertEquals(2, server.connections);
                assertEquals("GET /d #1", client.get(server.url("/d")).text());
            }
        });
    }

    @Test
    void aRetryHappensOnceOnly() {
        Spindle.run(() -> {
            try (RawServer server = new RawServer((method, target, nth, reader, writer) ->
                            !target.equals("/never") && RawServer.ok(writer, "first"));
                    HttpClient client = HttpClient.create()) {
                assertEquals("first", client.get(server.url("/a")).text());
                ProtocolError e = assertThrows(ProtocolError.class, () -> client.get(server.url("/never")));
                assertTrue(e.getMessage().contains("without sending a response"), e.getMessage());
                assertEquals(2, server.connections, "one retry, on one new connection");
            }
        });
    }

    @Test
    void aSilentServerTimesOutOnRead() {
        Spindle.run(() -> {
            try (RawServer server = new RawServer((method, target, nth, reader, writer) -> {
                        if (target.equals("/silent")) {
                            Spindle.sleep(Duration.ofSeconds(5));
                        }
                        return RawServer.ok(writer, "ok");
                    });
                    HttpClient client = HttpClient.builder()
                            .timeouts(Timeouts.defaults().withRead(Duration.ofMillis(200)))
                            .build()) {
                HttpTimeout e = assertThrows(HttpTimeout.class, () -> client.get(server.url("/silent")));
                assertEquals(HttpTimeout.Phase.READ, e.phase());
                assertEquals(Duration.ofMillis(200), e.limit());
                assertEquals("ok", client.get(server.url("/ok")).text());
            }
        });
    }

    @Test
    void aServerThatStopsReadingTripsTheWriteTimeout() {
        Spindle.run(() -> {
            try (RawServer server = new RawServer((method, target, nth, reader, writer) -> {
                        if (target.equals("/deaf")) {
                            Spindle.sleep(Duration.ofSeconds(5)); // reads none of the chunked body
                        }
                        return RawServer.ok(writer, "ok");
                    });
                    HttpClient client = HttpClient.builder()
                            .timeouts(Timeouts.defaults().withWrite(Duration.ofMillis(300)))
                            .build()) {
                byte[] mib = new byte[1 << 20];
                Iterable<byte[]> endless = () -> new java.util.Iterator<>() {
                    public boolean hasNext() {
                        return true;
                    }

                    public byte[] next() {
                        return mib;
                    }
                };
                HttpTimeout e = assertThrows(
                        HttpTimeout.class, () -> client.post(server.url("/deaf"), Content.stream(endless)));
                assertEquals(HttpTimeout.Phase.WRITE, e.phase());
                assertTrue(e.getMessage().contains("to take the request"), e.getMessage());
                assertEquals("ok", client.get(server.url("/ok")).text());
            }
        });
    }

    @Test
    void aBadRedirectFailsWithoutKeepingItsConnection() {
        Spindle.run(() -> {
            try (RawServer server = new RawServer((method, target, nth, reader, writer) -> {
                        if (target.equals("/bad-location")) {
                            RawServer.write(
                                    writer,
                                    "HTTP/1.1 302 Found\r\nLocation: http://[::1\r\n" + "Content-Length: 2\r\n\r\nno");
                            return true;
                        }
                        if (target.equals("/to-ftp")) {
                            RawServer.write(
                                    writer,
                                    "HTTP/1.1 301 Moved\r\nLocation: ftp://x/\r\n" + "Content-Length: 0\r\n\r\n");
                            return true;
                        }
                        return RawServer.ok(writer, "ok");
                    });
                    HttpClient client = HttpClient.builder()
                            .followRedirects(true)
                            .limits(PoolLimits.builder().maxConnections(1).build())
                            .timeouts(Timeouts.defaults().withPool(Duration.ofSeconds(1)))
                            .build()) {
                ProtocolError bad = assertThrows(ProtocolError.class, () -> client.get(server.url("/bad-location")));
                assertTrue(bad.getMessage().contains("invalid Location"), bad.getMessage());
                ProtocolError ftp = assertThrows(ProtocolError.class, () -> client.get(server.url("/to-ftp")));
                assertTrue(ftp.getMessage().contains("unsupported URL scheme ftp"), ftp.getMessage());
                assertEquals("ok", client.get(server.url("/ok")).text(), "the only connection slot came back");
            }
        });
    }

    @Test
    void theBodyCapIgnoresTheLengthOfBodilessResponses() {
        Spindle.run(() -> {
            try (RawServer server = new RawServer((method, target, nth, reader, writer) -> {
                        RawServer.write(writer, "HTTP/1.1 200 OK\r\nContent-Length: 999999\r\n\r\n");
                        return true;
                    });
                    HttpClient client = HttpClient.builder().maxBodySize(10).build()) {
                ClientResponse head = client.head(server.url("/"));
                assertEquals("999999", head.headers().get("Content-Length"));
                assertEquals(0, head.bytes().length);
                assertEquals(1, server.connections);
            }
        });
    }

    @Test
    void aListenerThatNeverAcceptsTripsTheConnectTimeout() throws Exception {
        // a backlog of one, never accepted, filled by plain sockets: Linux then drops further SYNs, so a connect hangs
        try (java.net.ServerSocket deaf = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    java.net.Socket s = new java.net.Socket();
                    try {
                        s.connect(deaf.getLocalSocketAddress(), 200);
                        fillers.add(s);
                    } catch (java.io.IOException full) {
                        s.close();
                        break;
                    }
                }
                Spindle.run(() -> {
                    try (HttpClient client = HttpClient.builder()
                            .timeouts(Timeouts.defaults().withConnect(Duration.ofMillis(300)))
                            .build()) {
                        HttpTimeout e = assertThrows(
                                HttpTimeout.class, () -> client.get("http://127.0.0.1:" + deaf.getLocalPort() + "/"));
                        assertEquals(HttpTimeout.Phase.CONNECT, e.phase());
                        assertTrue(e.getMessage().contains("connect timeout (300 ms)"), e.getMessage());
                    }
                });
            } finally {
                for (java.net.Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aRefusedConnectionIsAStreamError() {
        Spindle.run(() -> {
            int port;
            try (RawServer s = new RawServer((m, t, n, r, w) -> false)) {
                port = s.port();
            }
            try (HttpClient client = HttpClient.create()) {
                StreamError e = assertThrows(StreamError.class, () -> client.get("http://127.0.0.1:" + port + "/"));
                assertTrue(e.getMessage().contains(String.valueOf(port)), e.getMessage());
            }
        });
    }

    @Test
    void badUrlsAreRefusedBeforeAnyConnection() {
        Spindle.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                assertTrue(assertThrows(IllegalArgumentException.class, () -> client.get("ftp://example.com/"))
                        .getMessage()
                        .contains("unsupported URL scheme ftp"));
                assertTrue(assertThrows(IllegalArgumentException.class, () -> client.get("/relative"))
                        .getMessage()
                        .contains("relative"));
                assertThrows(IllegalArgumentException.class, () -> client.get("http://exa mple.com/"));
                assertThrows(IllegalArgumentException.class, () -> ClientRequest.builder("BAD METHOD", "http://x/"));
                assertThrows(IllegalArgumentException.class, () -> ClientRequest.get("http://x/")
                        .header("X", "a\r\nInjected: 1"));
            }
        });
    }
}
