package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Slow and hostile clients: every wait on a client is bounded, and the server sheds connections past its maximum.
 * The deadlines are short here; the assertions are on what happens (status, close), never on how long it took.
 */
class DeadlinesTest {
    static final Duration SHORT = Duration.ofMillis(300);

    static TestServer server(Handler h) {
        return new TestServer(h, b -> b.headerTimeout(SHORT)
                .keepAliveTimeout(SHORT)
                .bodyTimeout(SHORT)
                .writeTimeout(SHORT));
    }

    @Test
    void slowlorisGets408AndIsClosed() throws Exception {
        try (TestServer s = server((req, res) -> res.send("ok"));
                TestServer.Raw c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHo");
            Thread.sleep(100);
            c.send("st: x\r\nX-A:"); // still dribbling, but the head's deadline counts from its first byte
            TestServer.Reply r = c.read();
            assertEquals(408, r.status);
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void silentAndIdleConnectionsAreClosedWithoutAnAnswer() throws Exception {
        try (TestServer s = server((req, res) -> res.send("ok"))) {
            try (TestServer.Raw c = s.raw()) {
                assertNull(c.read()); // nothing sent, nothing answered: just closed
            }
            try (TestServer.Raw c = s.raw()) {
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("ok", c.read().text());
                assertTrue(c.closedByServer()); // keep-alive timeout
            }
            awaitNoConnections(s);
        }
    }

    @Test
    void aBodyThatStopsComingIs408() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        try (TestServer s = server((req, res) -> {
                    try {
                        req.body().readAll();
                    } catch (HttpError e) {
                        seen.set(e);
                        throw e;
                    }
                });
                TestServer.Raw c = s.raw()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
            TestServer.Reply r = c.read();
            assertEquals(408, r.status);
            assertEquals(408, ((HttpError) seen.get()).status());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void aClientThatStopsReadingIsCutOff() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        try (TestServer s = server((req, res) -> {
            byte[] block = new byte[64 * 1024];
            try (BodyWriter out = res.stream()) {
                for (int i = 0; i < 100_000; i++) { // 6 GB: far more than any socket buffer holds
                    out.write(block);
                }
            } catch (RuntimeException e) {
                seen.set(e);
                throw e;
            }
        })) {
            try (TestServer.Raw c = s.raw()) {
                c.socket.setReceiveBufferSize(4096);
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                awaitConnections(s, 1);
                awaitNoConnections(s); // the write deadline passed: the server closed its end
                assertTrue(seen.get() instanceof dev.spindle.time.TimedOut, String.valueOf(seen.get()));
            }
        }
    }

    @Test
    void pastMaxConnectionsThe503SaysWhenToRetry() throws Exception {
        try (TestServer s = new TestServer((req, res) -> res.send("ok"), b -> b.maxConnections(2)
                        .keepAliveTimeout(Duration.ofSeconds(30)));
                TestServer.Raw a = s.raw();
                TestServer.Raw b = s.raw()) {
            a.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", a.read().text());
            b.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ok", b.read().text());
            try (TestServer.Raw c = s.raw()) {
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                TestServer.Reply r = c.read();
                assertEquals(503, r.status);
                assertEquals("1", r.header("Retry-After"));
                assertTrue(c.closedByServer());
            }
            a.close();
            awaitConnections(s, 1);
            try (TestServer.Raw c = s.raw()) { // room again
                c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("ok", c.read().text());
            }
        }
    }

    static void awaitNoConnections(TestServer s) throws InterruptedException {
        awaitConnections(s, 0);
    }

    /** Polls until the server has {@code n} connections, failing after 15 s. */
    static void awaitConnections(TestServer s, int n) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (s.server.connections() != n) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the server still has " + s.server.connections() + " connections, not " + n);
            }
            Thread.sleep(20);
        }
    }
}
