package dev.spindle.http.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.http.websocket.internal.Frame;
import dev.spindle.http.websocket.internal.Opcode;
import dev.spindle.time.TimedOut;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server side through real sockets: Spindle's own client, and a raw client sending hostile frames. */
class WebSocketServerTest {
    static HttpServer server;
    static final List<String> events = new CopyOnWriteArrayList<>();

    static final WebSocketOptions SERVER = WebSocketOptions.builder()
            .subprotocols("chat.v2", "chat.v1")
            .maxMessageSize(64 * 1024)
            .originCheck(o -> o == null || o.equals("http://good.example"))
            .pingInterval(Duration.ZERO)
            .closeTimeout(Duration.ofSeconds(3))
            .build();

    @BeforeAll
    static void start() {
        server = HttpServer.start(
                WebSocket.handler(SERVER, (req, ws) -> {
                    switch (req.path()) {
                        case "/echo" -> {
                            for (Message m : ws) {
                                ws.send(m);
                            }
                        }
                        case "/info" ->
                            ws.send(ws.subprotocol().orElse("none") + " " + ws.isCompressed() + " " + req.rawQuery());
                        case "/close4000" -> {
                            ws.receive();
                            ws.close(4000, "bye now");
                        }
                        case "/record" -> {
                            try {
                                for (Message m : ws) {
                                    events.add(m.text());
                                }
                                events.add(
                                        "end " + ws.closeStatus().orElseThrow().code());
                            } catch (WebSocketClosed e) {
                                events.add("error " + e.code());
                                throw e;
                            }
                        }
                        case "/pinger" -> {
                            Duration rtt = ws.ping();
                            ws.send("pong after " + (rtt.isNegative() ? "?" : "ok"));
                            for (Message m : ws) {
                                ws.send(m);
                            }
                        }
                        default -> ws.close(CloseCode.POLICY_VIOLATION, "no such endpoint");
                    }
                }),
                HttpServerOptions.builder().port(0).loops(1).build());
    }

    @AfterAll
    static void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    static URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    // ---- with Spindle's client ------------------------------------------------------------------------------

    @Test
    void echoTextBinaryLargeAndEmptyWithCompression() {
        Spindle.run(() -> {
            try (WebSocket ws = WebSocketClient.connect(uri("/echo"))) {
                assertTrue(ws.isCompressed(), "permessage-deflate negotiated by default");
                ws.send("hello");
                assertEquals("hello", ws.receive().text());
                ws.send("κόσμε 😀");
                assertEquals("κόσμε 😀", ws.receive().text());
                byte[] bin = new byte[60_000];
                new java.util.Random(1).nextBytes(bin);
                ws.send(bin);
                Message m = ws.receive();
                assertTrue(m.isBinary());
                assertArrayEquals(bin, m.data());
                ws.send("");
                assertEquals("", ws.receive().text());
                String big = "spindle ".repeat(8000); // 64,000 bytes: compresses to little
                ws.send(big);
                assertEquals(big, ws.receive().text());
            }
        });
    }

    @Test
    void echoWithoutCompression() {
        Spindle.run(() -> {
            try (WebSocket ws = WebSocketClient.connect(
                    uri("/echo"), WebSocketOptions.builder().compression(false).build())) {
                assertFalse(ws.isCompressed());
                for (int i = 0; i < 100; i++) {
                    ws.send("m" + i);
                }
                for (int i = 0; i < 100; i++) {
                    assertEquals("m" + i, ws.receive().text());
                }
            }
        });
    }

    @Test
    void subprotocolQueryAndContextTakeoverOptions() {
        Spindle.run(() -> {
            WebSocketOptions o = WebSocketOptions.builder()
                    .subprotocols("chat.v1", "chat.v2")
                    .serverNoContextTakeover(true)
                    .clientNoContextTakeover(true)
                    .build();
            try (WebSocket ws = WebSocketClient.connect(uri("/info?room=7"), o)) {
                assertEquals("chat.v2", ws.subprotocol().orElseThrow(), "the server's preference wins");
                assertEquals("chat.v2 true room=7", ws.receive().text());
            }
            try (WebSocket ws = WebSocketClient.connect(
                    uri("/info"),
                    WebSocketOptions.builder().subprotocols("other").build())) {
                assertTrue(ws.subprotocol().isEmpty());
                assertEquals("none true ", ws.receive().text());
            }
        });
    }

    @Test
    void serverClosesWithItsCodeAndTheForEachThrowsForAbnormalCodes() {
        Spindle.run(() -> {
            WebSocket ws = WebSocketClient.connect(uri("/close4000"));
            ws.send("go");
            WebSocketClosed e = assertThrows(WebSocketClosed.class, ws::receive);
            assertEquals(4000, e.code());
            assertEquals("bye now", e.reason());
            assertFalse(e.isNormal());
            assertFalse(ws.isOpen());
            assertThrows(WebSocketClosed.class, () -> ws.send("late"));
            ws.close(); // nothing more

            WebSocket ws2 = WebSocketClient.connect(uri("/nowhere"));
            WebSocketClosed e2 = assertThrows(WebSocketClosed.class, () -> {
                for (Message m : ws2) {
                    throw new AssertionError("no message expected: " + m);
                }
            });
            assertEquals(CloseCode.POLICY_VIOLATION, e2.code());
        });
    }

    @Test
    void clientCloseEndsTheServersForEachNormallyAfterEveryMessage() throws Exception {
        events.clear();
        Spindle.run(() -> {
            WebSocket ws = WebSocketClient.connect(uri("/record"));
            for (int i = 0; i < 20; i++) {
                ws.send("r" + i);
            }
            ws.close(CloseCode.GOING_AWAY, "leaving");
            assertEquals(CloseCode.GOING_AWAY, ws.closeStatus().orElseThrow().code());
        });
        awaitEvents(21);
        assertEquals("r0", events.getFirst());
        assertEquals("r19", events.get(19));
        assertEquals("end 1001", events.get(20));
    }

    @Test
    void pingsBothWaysAndConcurrentSendersNeverInterleaveFrames() {
        Spindle.run(() -> {
            try (WebSocket ws = WebSocketClient.connect(uri("/pinger"))) {
                assertEquals("pong after ok", ws.receive().text(), "the server's ping was answered by our reader");
                Duration rtt = ws.ping("abc".getBytes());
                assertFalse(rtt.isNegative());
                List<dev.spindle.task.Task<Void>> senders = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int id = t;
                    senders.add(Spindle.spawn(() -> {
                        for (int i = 0; i < 50; i++) {
                            ws.send(id + ":" + i + ":" + "x".repeat(id * 3000));
                        }
                    }));
                }
                int[] next = new int[8];
                for (int k = 0; k < 400; k++) {
                    String[] parts = ws.receive().text().split(":");
                    int id = Integer.parseInt(parts[0]);
                    assertEquals(next[id]++, Integer.parseInt(parts[1]), "per-sender order kept");
                    assertEquals(id * 3000, parts.length > 2 ? parts[2].length() : 0);
                }
                for (var s : senders) {
                    s.await();
                }
            }
        });
    }

    @Test
    void receiveWithTimeoutLeavesTheWebSocketOpen() {
        Spindle.run(() -> {
            try (WebSocket ws = WebSocketClient.connect(uri("/echo"))) {
                assertThrows(TimedOut.class, () -> ws.receive(Duration.ofMillis(50)));
                assertTrue(ws.isOpen());
                ws.send("still here");
                assertEquals("still here", ws.receive(Duration.ofSeconds(5)).text());
            }
        });
    }

    @Test
    void oversizeMessageFromTheClientIsClosedWith1009() {
        Spindle.run(() -> {
            WebSocket ws = WebSocketClient.connect(
                    uri("/echo"), WebSocketOptions.builder().compression(false).build());
            ws.send(new byte[64 * 1024 + 1]);
            WebSocketClosed e = assertThrows(WebSocketClosed.class, ws::receive);
            assertEquals(CloseCode.MESSAGE_TOO_BIG, e.code());
        });
    }

    @Test
    void compressedBombIsClosedWith1009() {
        Spindle.run(() -> {
            WebSocket ws = WebSocketClient.connect(uri("/echo"));
            assertTrue(ws.isCompressed());
            ws.send(new byte[10 << 20]); // 10 MiB of zeros: ~10 KiB on the wire, over the server's 64 KiB
            WebSocketClosed e = assertThrows(WebSocketClosed.class, ws::receive);
            assertEquals(CloseCode.MESSAGE_TOO_BIG, e.code());
        });
    }

    @Test
    void clientRefusesBadArguments() {
        Spindle.run(() -> {
            try (WebSocket ws = WebSocketClient.connect(uri("/echo"))) {
                assertThrows(IllegalArgumentException.class, () -> ws.close(1006, ""));
                assertThrows(IllegalArgumentException.class, () -> ws.close(1000, "x".repeat(200)));
                assertThrows(IllegalArgumentException.class, () -> ws.ping(new byte[126]));
                assertTrue(ws.isOpen());
            }
            assertThrows(IllegalArgumentException.class, () -> WebSocketClient.connect(URI.create("http://x/")));
            assertThrows(IllegalArgumentException.class, () -> WebSocketClient.connect(URI.create("ws://h/#f")));
            HandshakeFailed f = assertThrows(
                    HandshakeFailed.class,
                    () -> WebSocketClient.connect(
                            uri("/echo"),
                            WebSocketOptions.builder()
                                    .origin("http://evil.example")
                                    .build()));
            assertEquals(403, f.status());
        });
    }

    // ---- hostile and malformed input, with the raw client ---------------------------------------------------

    @Test
    void unmaskedClientFrameIsClosedWith1002() throws Exception {
        try (RawClient c = new RawClient(server.port(), "/echo", "")) {
            assertEquals(101, c.status());
            c.send(HexFormat.of().parseHex("810568656c6c6f")); // "hello", unmasked
            assertEquals(1002, c.readCloseCode());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void aPeerThatNeverAnswersTheCloseIsCutOffAfterTheCloseTimeout() throws Exception {
        try (RawClient c = new RawClient(server.port(), "/close4000", "")) {
            c.text("go");
            assertEquals(4000, c.readCloseCode());
            // no close frame back: the server waits closeTimeout (3 s here), then closes the connection anyway
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void invalidUtf8IsClosedWith1007EvenInAFragment() throws Exception {
        try (RawClient c = new RawClient(server.port(), "/echo", "")) {
            c.frame(Opcode.TEXT, false, "ok".getBytes());
            c.frame(Opcode.CONTINUATION, false, HexFormat.of().parseHex("eda080")); // a surrogate: fail fast
            assertEquals(1007, c.readCloseCode());
        }
    }

    @Test
    void fragmentsWithAPingBetweenAreJoinedAndThePingAnswered() throws Exception {
        try (RawClient c = new RawClient(server.port(), "/echo", "")) {
            c.frame(Opcode.TEXT, false, "frag".getBytes());
            c.frame(Opcode.PING, true, "p1".getBytes());
            c.frame(Opcode.CONTINUATION, false, "men".getBytes());
            c.frame(Opcode.CONTINUATION, true, "ted".getBytes());
            Frame pong = c.read();
            assertEquals(Opcode.PONG, pong.opcode());
            assertEquals("p1", new String(pong.payload()));
            Frame echo = c.read();
            assertEquals(Opcode.TEXT, echo.opcode());
            assertEquals("fragmented", new String(echo.payload(), StandardCharsets.UTF_8));
            c.frame(Opcode.CLOSE, true, new byte[] {0x03, (byte) 0xe8});
            assertEquals(1000, c.readCloseCode(), "the close code echoed");
            assertTrue(c.closedByServer(), "the server closes TCP after the handshake");
        }
    }

    @Test
    void protocolViolationsTable() throws Exception {
        String[][] cases = {
            // what is sent (masked payload frames built below), expected close code
            {"continuation first", "1002"},
            {"new message inside a fragmented one", "1002"},
            {"fragmented ping", "1002"},
            {"ping of 126 bytes", "1002"},
            {"reserved opcode", "1002"},
            {"rsv2", "1002"},
            {"close with a 1-byte payload", "1002"},
            {"close with code 1005", "1002"},
            {"close with an invalid UTF-8 reason", "1007"},
            {"no status close", "1005"},
        };
        for (String[] k : cases) {
            try (RawClient c = new RawClient(server.port(), "/echo", "")) {
                switch (k[0]) {
                    case "continuation first" -> c.frame(Opcode.CONTINUATION, true, "x".getBytes());
                    case "new message inside a fragmented one" -> {
                        c.frame(Opcode.TEXT, false, "a".getBytes());
                        c.frame(Opcode.BINARY, true, "b".getBytes());
                    }
                    case "fragmented ping" -> c.frame(Opcode.PING, false, new byte[0]);
                    case "ping of 126 bytes" -> c.frame(Opcode.PING, true, new byte[126]);
                    case "reserved opcode" -> c.frame(0x3, true, new byte[0]);
                    case "rsv2" -> c.send(HexFormat.of().parseHex("a28000000000"));
                    case "close with a 1-byte payload" -> c.frame(Opcode.CLOSE, true, new byte[] {3});
                    case "close with code 1005" -> c.frame(Opcode.CLOSE, true, new byte[] {0x03, (byte) 0xed});
                    case "close with an invalid UTF-8 reason" ->
                        c.frame(Opcode.CLOSE, true, HexFormat.of().parseHex("03e8eda080"));
                    case "no status close" -> c.frame(Opcode.CLOSE, true, new byte[0]);
                    default -> throw new AssertionError(k[0]);
                }
                assertEquals(Integer.parseInt(k[1]), c.readCloseCode(), k[0]);
                assertTrue(c.closedByServer(), k[0]);
            }
        }
    }

    /** The head's fields, names lower-cased, for exact checks on an answer. */
    private static List<String> fields(String response) {
        List<String> out = new ArrayList<>();
        String head = response.substring(0, response.indexOf("\r\n\r\n"));
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                out.add(line.substring(0, colon).toLowerCase() + ": "
                        + line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    /**
     * A refused opening handshake is answered by the server as the {@code HttpError} it is (WebSocketRejected), with
     * the headers the RFCs ask for, and the connection goes on: a client may try again on it (RFC 6455 §4.4).
     */
    @Test
    void handshakeRefusals() throws Exception {
        int port = server.port();
        String base = "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
        String key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        String v13 = "Sec-WebSocket-Version: 13\r\n";
        try (RawClient c = new RawClient(port)) {
            String r = c.exchange("GET /echo HTTP/1.1\r\n" + base + key + "Sec-WebSocket-Version: 8\r\n\r\n");
            assertTrue(r.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), r);
            List<String> f = fields(r);
            assertTrue(f.contains("sec-websocket-version: 13"), r); // RFC 6455 §4.2.2
            assertTrue(f.contains("upgrade: websocket"), r); // RFC 9110 §15.5.22
            assertTrue(f.contains("connection: Upgrade"), r); // RFC 9110 §7.8, and not closed
            String body = "426 Upgrade Required: unsupported Sec-WebSocket-Version [8]: this server speaks 13\n";
            assertTrue(r.endsWith("\r\n\r\n" + body), r);

            r = c.exchange("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(r.startsWith("HTTP/1.1 426 "), r);
            f = fields(r);
            assertTrue(f.contains("upgrade: websocket") && f.contains("connection: Upgrade"), r);
            assertTrue(f.contains("sec-websocket-version: 13"), r);

            r = c.exchange("GET /echo HTTP/1.1\r\n" + base + "Sec-WebSocket-Key: short\r\n" + v13 + "\r\n");
            assertTrue(r.startsWith("HTTP/1.1 400 "), r);
            assertTrue(r.endsWith(": Sec-WebSocket-Key must be one base64-encoded 16-byte value\n"), r);
            assertFalse(r.toLowerCase().contains("connection:"), "kept open: " + r);

            r = c.exchange("POST /echo HTTP/1.1\r\n" + base + key + v13 + "Content-Length: 0\r\n\r\n");
            assertTrue(r.startsWith("HTTP/1.1 405 "), r);
            assertTrue(fields(r).contains("allow: GET"), r);

            r = c.exchange("GET /echo HTTP/1.1\r\n" + base + key + v13 + "Origin: http://evil\r\n\r\n");
            assertTrue(r.startsWith("HTTP/1.1 403 "), r);

            // five refusals later, the same connection opens a WebSocket
            c.handshake("/echo", "");
            assertEquals(101, c.status(), c.response);
            c.text("after the refusals");
            assertEquals("after the refusals", new String(c.read().payload(), StandardCharsets.UTF_8));
        }
        // a refusal of a request with a small body: the server reads past the body and the connection goes on
        try (RawClient c = new RawClient(port)) {
            String r = c.exchange("POST /echo HTTP/1.1\r\n" + base + key + v13 + "Content-Length: 5\r\n\r\nhello");
            assertTrue(r.startsWith("HTTP/1.1 405 "), r);
            assertFalse(r.toLowerCase().contains("connection:"), r);
            c.handshake("/echo", "");
            assertEquals(101, c.status(), c.response);
        }
        // HTTP/1.1 426 on a request asking to close: "Upgrade, close"
        try (RawClient c = new RawClient(port)) {
            String r = c.exchange("GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(r.startsWith("HTTP/1.1 426 "), r);
            assertTrue(fields(r).contains("connection: Upgrade, close"), r);
            assertTrue(c.atEof(), "closed after the answer");
        }
        // RFC 6455 §1.3's example key and accept value; no extension offered, none answered
        try (RawClient c = new RawClient(port, "/echo", "Origin: http://good.example\r\n")) {
            assertEquals(101, c.status(), c.response);
            assertTrue(c.response.contains("Sec-WebSocket-Accept: "), c.response);
            assertFalse(c.response.contains("Sec-WebSocket-Extensions"), c.response);
        }
        try (RawClient c = new RawClient(port, "/echo", "")) {
            assertTrue(c.response.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), c.response);
        }
        // the server declines a deflate offer it cannot honour, and accepts the next
        String offers = "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10,"
                + " permessage-deflate; client_max_window_bits\r\n";
        try (RawClient c = new RawClient(port, "/echo", offers)) {
            assertTrue(c.response.contains("Sec-WebSocket-Extensions: permessage-deflate\r\n"), c.response);
        }
        try (RawClient c = new RawClient(
                port, "/echo", "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=9\r\n")) {
            assertEquals(101, c.status());
            assertFalse(c.response.contains("Sec-WebSocket-Extensions"), "declined: " + c.response);
        }
    }

    @Test
    void serverShutdownClosesOpenWebSocketsWith1001() {
        HttpServer s = HttpServer.start(
                WebSocket.handler((req, ws) -> {
                    for (Message m : ws) {
                        ws.send(m);
                    }
                }),
                HttpServerOptions.builder().port(0).loops(1).build());
        Spindle.run(() -> {
            WebSocket ws = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + s.port() + "/"));
            ws.send("before");
            assertEquals("before", ws.receive().text());
            dev.spindle.task.Task<Void> stopper = Spindle.spawn(() -> Spindle.toThread(() -> {
                s.shutdown(Duration.ofSeconds(5));
                return null;
            }));
            WebSocketClosed e = assertThrows(WebSocketClosed.class, () -> ws.receive(Duration.ofSeconds(10)));
            assertEquals(CloseCode.GOING_AWAY, e.code());
            stopper.await();
        });
        assertFalse(s.isServing());
    }

    @Test
    void keepaliveClosesA1011WhenPongsStopComing() throws Exception {
        HttpServer s = HttpServer.start(
                WebSocket.handler(
                        WebSocketOptions.builder()
                                .pingInterval(Duration.ofMillis(100))
                                .pingTimeout(Duration.ofMillis(200))
                                .closeTimeout(Duration.ofMillis(500))
                                .build(),
                        (req, ws) -> {
                            for (Message m : ws) {
                                ws.send(m);
                            }
                        }),
                HttpServerOptions.builder().port(0).loops(1).build());
        try (RawClient c = new RawClient(s.port(), "/", "")) {
            // a client that never answers pings: read the pings, then the close
            int pings = 0;
            while (true) {
                Frame f = c.read();
                assertTrue(f != null, "closed without a close frame");
                if (f.opcode() == Opcode.PING) {
                    pings++;
                } else if (f.opcode() == Opcode.CLOSE) {
                    assertEquals(1011, ((f.payload()[0] & 0xff) << 8) | (f.payload()[1] & 0xff));
                    break;
                }
            }
            assertEquals(1, pings, "closed after the first unanswered ping");
        } finally {
            s.shutdown(Duration.ofSeconds(2));
        }
        // and a client that answers keeps its connection across many intervals
        HttpServer s2 = HttpServer.start(
                WebSocket.handler(
                        WebSocketOptions.builder()
                                .pingInterval(Duration.ofMillis(20))
                                .pingTimeout(Duration.ofSeconds(5))
                                .build(),
                        (req, ws) -> {
                            for (Message m : ws) {
                                ws.send(m);
                            }
                        }),
                HttpServerOptions.builder().port(0).loops(1).build());
        try {
            Spindle.run(() -> {
                try (WebSocket ws = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + s2.port() + "/"))) {
                    Spindle.sleep(Duration.ofMillis(300));
                    ws.send("alive");
                    assertEquals("alive", ws.receive().text());
                }
            });
        } finally {
            s2.shutdown(Duration.ofSeconds(2));
        }
    }

    static void awaitEvents(int n) throws InterruptedException {
        for (int i = 0; i < 500 && events.size() < n; i++) {
            Thread.sleep(10);
        }
        assertEquals(n, events.size(), events.toString());
        assertNull(null);
    }
}
