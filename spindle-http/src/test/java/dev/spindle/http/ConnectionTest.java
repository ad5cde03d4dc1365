package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP/1.1 connection behaviour over raw sockets: keep-alive, pipelining, 1.0, HEAD, 100-continue, bodies, errors. */
class ConnectionTest {
    static TestServer server;
    static final AtomicInteger continues = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = new TestServer(
                (req, res) -> {
                    switch (req.path()) {
                        case "/echo" -> {
                            byte[] body = req.body().readAll();
                            res.contentType("application/octet-stream").send(body);
                        }
                        case "/sha" -> {
                            MessageDigest md = MessageDigest.getInstance("SHA-256");
                            long n = 0;
                            for (byte[] chunk : req.body()) {
                                md.update(chunk);
                                n += chunk.length;
                            }
                            res.send(n + " " + HexFormat.of().formatHex(md.digest()));
                        }
                        case "/ignore-body" -> res.send("ignored");
                        case "/stream" -> {
                            try (BodyWriter out = res.stream()) {
                                for (int i = 0; i < 5; i++) {
                                    out.write("line " + i + "\n");
                                }
                            }
                        }
                        case "/fixed-stream" -> {
                            res.header("Content-Length", "10");
                            try (BodyWriter out = res.stream()) {
                                out.write("01234");
                                out.write("56789");
                            }
                        }
                        case "/short-stream" -> {
                            res.header("Content-Length", "10");
                            try (BodyWriter out = res.stream()) {
                                out.write("012");
                            }
                        }
                        case "/boom" -> throw new IllegalStateException("boom");
                        case "/boom-late" -> {
                            BodyWriter out = res.stream();
                            out.write("partial");
                            out.flush();
                            throw new IllegalStateException("late boom");
                        }
                        case "/teapot" -> throw new HttpError(418, "short and stout");
                        case "/slow" -> {
                            Spindle.sleep(Duration.ofMillis(50));
                            res.send("slow " + req.rawQuery());
                        }
                        case "/nothing" -> {}
                        case "/headers" ->
                            res.send(req.headers().getAll("X-Multi") + " " + req.header("x-single") + " "
                                    + req.version());
                        case "/close" -> res.closeConnection().send("bye");
                        case "/upgrade" -> {
                            if (!"echo".equals(req.header("Upgrade"))) {
                                throw new HttpError(426, "upgrade to echo");
                            }
                            Upgraded up = res.header("X-Proto", "echo/1").upgrade("echo");
                            dev.spindle.io.Connection plain = up.connection(); // a plain core connection
                            for (String line : plain.reader().lines()) {
                                plain.writer().write(("echo:" + line + "\n").getBytes(StandardCharsets.US_ASCII));
                                if (line.equals("bye")) {
                                    break;
                                }
                            }
                        }
                        case "/no-content" -> res.status(204).send("ignored body");
                        default -> res.status(404).send("no " + req.path());
                    }
                },
                b -> b.limits(HttpLimits.builder()
                        .maxBodySize(1 << 20)
                        .maxDrainSize(1024)
                        .build()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            for (int i = 0; i < 20; i++) {
                c.send("GET /slow?" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                TestServer.Reply r = c.read();
                assertEquals(200, r.status);
                assertEquals("slow " + i, r.text());
                assertNotNull(r.header("Date"));
                assertEquals("spindle", r.header("Server"));
                assertNull(r.header("Connection"));
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                all.append("GET /slow?").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            all.append("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            all.append("GET /slow?last HTTP/1.1\r\nHost: x\r\n\r\n");
            c.send(all.toString()); // one write: the server finds them all in its buffer
            for (int i = 0; i < 10; i++) {
                assertEquals("slow " + i, c.read().text());
            }
            assertEquals("hello", c.read().text());
            assertEquals("slow last", c.read().text());
        }
    }

    @Test
    void pipelinedMixOfFixedStreamedFailedAndClosingResponses() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            // fixed responses are corked behind each other; a stream, an error and the close must flush them in order
            c.send("GET /slow?a HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /slow?b HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /boom HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /slow?c HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /slow?d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    + "GET /slow?never HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("slow a", c.read().text());
            assertEquals("line 0\nline 1\nline 2\nline 3\nline 4\n", c.read().text());
            assertEquals("slow b", c.read().text());
            assertEquals(500, c.read().status);
            assertEquals("6", c.read(true).header("Content-Length"));
            TestServer.Reply last = c.read();
            assertEquals("slow d", last.text());
            assertEquals("close", last.header("Connection"));
            assertTrue(c.closedByServer()); // the request after Connection: close is not served
        }
    }

    @Test
    void http10ClosesUnlessAskedToKeepAlive() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /headers HTTP/1.0\r\n\r\n");
            TestServer.Reply r = c.read();
            assertEquals("[] null HTTP/1.0", r.text());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByServer());
        }
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /slow HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            TestServer.Reply r = c.read();
            assertEquals("keep-alive", r.header("Connection"));
            c.send("GET /slow?2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals("slow 2", c.read().text());
        }
    }

    @Test
    void http10StreamingIsCloseDelimited() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            TestServer.Reply r = c.read();
            assertNull(r.header("Transfer-Encoding"));
            assertEquals("close", r.header("Connection"));
            assertEquals("line 0\nline 1\nline 2\nline 3\nline 4\n", r.text());
        }
    }

    @Test
    void chunkedResponsesAndCountedStreams() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
            TestServer.Reply r = c.read();
            assertEquals("chunked", r.header("Transfer-Encoding"));
            assertEquals("line 0\nline 1\nline 2\nline 3\nline 4\n", r.text());
            c.send("GET /fixed-stream HTTP/1.1\r\nHost: x\r\n\r\n");
            r = c.read();
            assertEquals("10", r.header("Content-Length"));
            assertEquals("0123456789", r.text());
        }
    }

    @Test
    void aStreamShorterThanItsContentLengthClosesTheConnection() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /short-stream HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = new String(c.in.readNBytes(20), StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("HTTP/1.1 200"));
            c.in.readAllBytes(); // ends: the server closed rather than leave the client waiting
        }
    }

    @Test
    void headHasTheLengthButNoBody() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("HEAD /headers HTTP/1.1\r\nHost: x\r\n\r\n");
            TestServer.Reply r = c.read(true);
            assertEquals("16", r.header("Content-Length")); // "[] null HTTP/1.1"
            c.send("HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\nGET /slow?after HTTP/1.1\r\nHost: x\r\n\r\n");
            r = c.read(true);
            assertEquals(200, r.status);
            assertEquals("slow after", c.read().text()); // no body bytes came between
        }
    }

    @Test
    void bodylessStatusesSendNoBody() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /no-content HTTP/1.1\r\nHost: x\r\n\r\nGET /slow?x HTTP/1.1\r\nHost: x\r\n\r\n");
            TestServer.Reply r = c.read();
            assertEquals(204, r.status);
            assertNull(r.header("Content-Length"));
            assertEquals("slow x", c.read().text());
        }
    }

    @Test
    void chunkedUploadIsDecoded() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n1;ext=1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n");
            TestServer.Reply r = c.read();
            assertEquals("hello world", r.text());
            c.send("GET /slow?next HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("slow next", c.read().text());
        }
    }

    @Test
    void largeBodyStreamsThroughChunks() throws Exception {
        byte[] body = new byte[300_000];
        new java.util.Random(1).nextBytes(body);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        try (TestServer.Raw c = server.raw()) {
            c.send("POST /sha HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n");
            c.send(body);
            assertEquals(body.length + " " + sha, c.read().text());
        }
    }

    @Test
    void expectContinueIsSentOnlyWhenTheHandlerReads() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            TestServer.Reply interim = c.read();
            assertEquals(100, interim.status);
            c.send("abc");
            assertEquals("abc", c.read().text());
        }
        try (TestServer.Raw c = server.raw()) {
            // the handler answers without reading: no 100, and the connection closes (the body never came)
            c.send("POST /ignore-body HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            TestServer.Reply r = c.read();
            assertEquals(200, r.status);
            assertEquals("close", r.header("Connection"));
        }
        try (TestServer.Raw c = server.raw()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: teapot\r\n\r\n");
            TestServer.Reply r = c.read();
            assertEquals(417, r.status);
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void unreadBodiesAreDrainedUpToTheLimitElseTheConnectionCloses() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("POST /ignore-body HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + "a".repeat(100));
            assertEquals("ignored", c.read().text());
            c.send("GET /slow?kept HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("slow kept", c.read().text());
        }
        try (TestServer.Raw c = server.raw()) {
            c.send("POST /ignore-body HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
            TestServer.Reply r = c.read();
            assertEquals("ignored", r.text());
            assertEquals("close", r.header("Connection"));
        }
    }

    @Test
    void handlerFailuresAnswer500AndTheServerGoesOn() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
            TestServer.Reply r = c.read();
            assertEquals(500, r.status);
            assertFalse(r.text().contains("boom"), "no internals leak to the client");
            c.send("GET /teapot HTTP/1.1\r\nHost: x\r\n\r\n");
            r = c.read();
            assertEquals(418, r.status);
            assertTrue(r.text().contains("short and stout"));
            c.send("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
            r = c.read();
            assertEquals(200, r.status);
            assertEquals("0", r.header("Content-Length"));
        }
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /boom-late HTTP/1.1\r\nHost: x\r\n\r\n");
            byte[] all = c.in.readAllBytes(); // the connection is cut: no terminating chunk
            String s = new String(all, StandardCharsets.ISO_8859_1);
            assertTrue(s.contains("partial"));
            assertFalse(s.endsWith("0\r\n\r\n"));
        }
    }

    @Test
    void connectionCloseIsHonouredBothWays() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals("close", c.read().header("Connection"));
            assertTrue(c.closedByServer());
        }
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /close HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("close", c.read().header("Connection"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void upgradeHandsOverTheRawConnectionWithTheBytesAlreadyRead() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            // the client sends its first protocol bytes right behind the request, before the 101
            c.send("GET /upgrade HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nhi\n");
            TestServer.Reply r = c.read(true);
            assertEquals(101, r.status);
            assertEquals("echo", r.header("Upgrade"));
            assertEquals("Upgrade", r.header("Connection"));
            assertEquals("echo/1", r.header("X-Proto"));
            assertNull(r.header("Content-Length"));
            c.send("one\nbye\n");
            String rest = new String(c.in.readAllBytes(), StandardCharsets.US_ASCII);
            assertEquals("echo:hi\necho:one\necho:bye\n", rest, "the bytes sent with the request are read first");
        }
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /upgrade HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(426, c.read().status);
        }
    }

    @Test
    void repeatedHeadersKeepTheirOrder() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /headers HTTP/1.1\r\nHost: x\r\nX-Multi: a\r\nx-single: s\r\nx-multi: b\r\n\r\n");
            assertEquals("[a, b] s HTTP/1.1", c.read().text());
        }
    }

    @Test
    void bodyPastTheLimitIs413() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n");
            TestServer.Reply r = c.read();
            assertEquals(413, r.status);
            assertTrue(c.closedByServer());
        }
        try (TestServer.Raw c = server.raw()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = Integer.toHexString(100_000) + "\r\n" + "a".repeat(100_000) + "\r\n";
            for (int i = 0; i < 11; i++) {
                c.send(chunk);
            }
            TestServer.Reply r = c.read();
            assertEquals(413, r.status);
        }
    }
}
