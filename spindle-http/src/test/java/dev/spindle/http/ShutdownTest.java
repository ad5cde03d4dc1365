package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.io.Connection;
import dev.spindle.io.Streams;
import dev.spindle.sync.LoopEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Graceful shutdown, its hooks, multi-loop serving, a server on the caller's loop, and signals. */
class ShutdownTest {
    @Test
    void inFlightFinishesIdleClosesNewRefused() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        TestServer s = new TestServer(
                (req, res) -> {
                    if (req.path().equals("/slow")) {
                        inHandler.countDown();
                        Spindle.sleep(Duration.ofMillis(500));
                    }
                    res.send("done " + req.path());
                },
                b -> b.keepAliveTimeout(Duration.ofSeconds(60)));
        try (TestServer.Raw idle = s.raw();
                TestServer.Raw busy = s.raw()) {
            idle.send("GET /quick HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("done /quick", idle.read().text());
            busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(inHandler.await(10, TimeUnit.SECONDS));
            Thread shutdown = Thread.ofPlatform().start(() -> s.server.shutdown(Duration.ofSeconds(10)));
            assertTrue(idle.closedByServer(), "an idle keep-alive connection closes at once");
            TestServer.Reply r = busy.read();
            assertEquals("done /slow", r.text());
            assertEquals("close", r.header("Connection"));
            assertTrue(busy.closedByServer());
            shutdown.join(15_000);
            assertFalse(shutdown.isAlive());
            assertEquals(0, s.server.connections());
            assertFalse(s.server.isServing());
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", s.port()).close());
        }
    }

    @Test
    void pastTheGracePeriodHandlersAreCancelled() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch inHandler = new CountDownLatch(1);
        TestServer s = new TestServer((req, res) -> {
            inHandler.countDown();
            try {
                Spindle.sleep(Duration.ofMinutes(10));
            } catch (dev.spindle.task.Cancelled e) {
                cancelled.set(true);
                throw e;
            }
        });
        try (TestServer.Raw c = s.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(inHandler.await(10, TimeUnit.SECONDS));
            s.server.shutdown(Duration.ofMillis(200));
            assertTrue(cancelled.get());
            assertNull(c.read()); // closed without an answer
            assertEquals(0, s.server.connections());
        }
    }

    @Test
    void shutdownHooksLetLongPollsAnswerEarly() throws Exception {
        AtomicBoolean serverHook = new AtomicBoolean();
        CountDownLatch inHandler = new CountDownLatch(1);
        TestServer s = new TestServer((req, res) -> {
            LoopEvent stop = new LoopEvent();
            req.onShutdown(stop::set); // e.g. a WebSocket sends its close 1001 here
            inHandler.countDown();
            stop.await();
            res.send("going away " + req.isShuttingDown());
        });
        s.server.onShutdown(() -> serverHook.set(true));
        try (TestServer.Raw c = s.raw()) {
            c.send("GET /poll HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(inHandler.await(10, TimeUnit.SECONDS));
            s.server.shutdown(Duration.ofSeconds(30)); // returns long before: the hook ended the poll
            assertEquals("going away true", c.read().text());
            assertTrue(serverHook.get());
        }
    }

    @Test
    void severalLoopsServeOnePort() throws Exception {
        TestServer s =
                new TestServer((req, res) -> res.send(Thread.currentThread().toString()), b -> b.loops(2));
        assertEquals(2, s.server.loops());
        try (HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                all.add(client.sendAsync(
                        HttpRequest.newBuilder(URI.create(s.url("/" + i))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (var f : all) {
                assertEquals(200, f.join().statusCode());
            }
        } finally {
            s.close();
        }
        assertFalse(s.server.isServing());
    }

    @Test
    void aServerOnTheCallersLoop() {
        String reply = Spindle.run(() -> {
            HttpServer server = HttpServer.start(
                    (req, res) -> res.send("on the loop"),
                    HttpServerOptions.builder().port(0).build());
            assertEquals(1, server.loops());
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                c.writer()
                        .write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                String all = new String(c.reader().readAll(), StandardCharsets.US_ASCII);
                server.shutdown();
                return all.substring(all.indexOf("\r\n\r\n") + 4);
            }
        });
        assertEquals("on the loop", reply);
    }

    @Test
    void sigtermShutsDownGracefullyAndASecondSignalForces() throws Exception {
        // graceful: the in-flight request is answered, then the process ends by itself
        Process p = child(1500);
        try {
            int port = awaitPort(p);
            try (TestServer.Raw c = new TestServer.Raw(port)) {
                c.send("GET /inflight HTTP/1.1\r\nHost: x\r\n\r\n");
                awaitLine(p, "serving /inflight");
                sigterm(p); // as Process.destroy would, but keeping the pipes open
                TestServer.Reply r = c.read();
                assertEquals("done /inflight", r.text());
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            assertTrue(rest(p).contains("stopped"));
        } finally {
            p.destroyForcibly();
        }
        // forced: a handler that would take minutes is cancelled at the second signal
        Process q = child(600_000);
        try {
            int port = awaitPort(q);
            try (TestServer.Raw c = new TestServer.Raw(port)) {
                c.send("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n");
                awaitLine(q, "serving /forever");
                sigterm(q);
                Thread.sleep(200);
                sigterm(q);
                assertNull(c.read());
            }
            assertTrue(q.waitFor(30, TimeUnit.SECONDS));
            assertTrue(rest(q).contains("stopped"));
        } finally {
            q.destroyForcibly();
        }
    }

    private BufferedReader out;

    private static void sigterm(Process p) throws Exception {
        new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor();
    }

    private Process child(long sleepMillis) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "--add-opens",
                        "java.base/java.lang=ALL-UNNAMED",
                        "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                        "-Dspindle.io.backend=" + System.getProperty("spindle.io.backend", "nio"),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        SignalMain.class.getName(),
                        String.valueOf(sleepMillis))
                .redirectErrorStream(true)
                .start();
        out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return p;
    }

    private int awaitPort(Process p) throws Exception {
        String line = awaitLine(p, "port ");
        return Integer.parseInt(line.substring(5).trim());
    }

    private String awaitLine(Process p, String prefix) throws Exception {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("the child ended without printing " + prefix);
    }

    private String rest(Process p) throws Exception {
        StringBuilder b = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            b.append(line).append('\n');
        }
        return b.toString();
    }
}
