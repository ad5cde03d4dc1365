package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.http.client.ClientResponse;
import dev.spindle.http.client.Content;
import dev.spindle.http.client.HttpClient;
import dev.spindle.http.client.PoolLimits;
import dev.spindle.loop.Loop;
import dev.spindle.observe.Metrics;
import dev.spindle.observe.PoolMetrics;
import dev.spindle.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's wiring: the server's {@code dev.spindle.http.Request} and the client's {@code dev.spindle.http.ClientRequest}
 * JFR events, and the client pool's {@link PoolMetrics}; the client talks to Spindle's own server.
 */
class ObserveTest {
    static HttpServer server;

    @BeforeAll
    static void start() {
        Loop.create().close(); // the first loop of the JVM makes Spindle listen for JFR
        server = HttpServer.start(
                (req, res) -> {
                    switch (req.path()) {
                        case "/echo" -> res.send(req.body().readAll(1 << 20));
                        case "/slow" -> {
                            Spindle.sleep(Duration.ofMillis(10));
                            res.send("slow");
                        }
                        case "/hang" -> {
                            Spindle.sleep(Duration.ofSeconds(30));
                            res.send("late");
                        }
                        case "/boom" -> throw new IllegalStateException("a handler bug");
                        default -> res.status(404).send("no route for " + req.path());
                    }
                },
                HttpServerOptions.builder().port(0).loops(1).build());
    }

    @AfterAll
    static void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Test
    void aRecordingHasTheServersAndTheClientsRequestEventsWithTheirFields() throws Exception {
        Path file = Files.createTempFile("spindle-http", ".jfr");
        String origin = "http://127.0.0.1:" + server.port();
        String[] loopName = new String[1];
        try (Recording r = new Recording()) {
            r.enable("dev.spindle.http.Request").withThreshold(Duration.ZERO);
            r.enable("dev.spindle.http.ClientRequest").withThreshold(Duration.ZERO);
            r.start();
            Spindle.run(() -> {
                loopName[0] = Loop.current().name();
                try (HttpClient client = HttpClient.create()) {
                    assertEquals(
                            "hello",
                            client.post(url("/echo?token=t0ps3cret"), Content.text("hello"))
                                    .text());
                    assertEquals(404, client.get(url("/nothing")).status());
                    assertEquals(500, client.get(url("/boom")).status());
                    Task<ClientResponse> hanging = Spindle.spawn("hanging-get", () -> client.get(url("/hang")));
                    Spindle.sleep(Duration.ofMillis(200));
                    hanging.cancel();
                    Spindle.gatherOutcomes(hanging);
                }
                return null;
            });
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> all = RecordingFile.readAllEvents(file);
        Files.deleteIfExists(file);
        for (RecordedEvent e : all) {
            assertFalse(e.toString().contains("t0ps3cret"), "a query was recorded: " + e);
        }
        List<RecordedEvent> served = all.stream()
                .filter(e -> e.getEventType().getName().equals("dev.spindle.http.Request"))
                .toList();
        RecordedEvent echo = one(served, "path", "/echo");
        assertEquals("POST", echo.getString("method"));
        assertEquals(200, echo.getInt("status"));
        assertEquals(5, echo.getLong("bytesIn"));
        assertEquals(5, echo.getLong("bytesOut"));
        assertTrue(echo.getDuration().toNanos() > 0, echo.toString());
        assertTrue(echo.getLong("taskId") > 0 && echo.getString("loop") != null, echo.toString());
        assertTrue(echo.getStackTrace() == null, "per-request events carry no stack trace");
        assertEquals(404, one(served, "path", "/nothing").getInt("status"));
        assertEquals(500, one(served, "path", "/boom").getInt("status"));

        List<RecordedEvent> sent = all.stream()
                .filter(e -> e.getEventType().getName().equals("dev.spindle.http.ClientRequest"))
                .toList();
        assertEquals(4, sent.size(), sent.toString());
        RecordedEvent post = one(sent, "method", "POST");
        assertEquals(origin, post.getString("origin"));
        assertEquals(200, post.getInt("status"));
        assertEquals("ok", post.getString("outcome"));
        assertEquals(loopName[0], post.getString("loop"));
        assertTrue(post.getDuration().toNanos() > 0, post.toString());
        assertEquals(1, sent.stream().filter(e -> e.getInt("status") == 404).count(), sent.toString());
        assertEquals(1, sent.stream().filter(e -> e.getInt("status") == 500).count(), sent.toString());
        RecordedEvent cancelled = one(sent, "outcome", "cancelled");
        assertEquals("hanging-get", cancelled.getString("task"));
        assertEquals(0, cancelled.getInt("status"));
    }

    private static RecordedEvent one(List<RecordedEvent> events, String field, String value) {
        List<RecordedEvent> found =
                events.stream().filter(e -> value.equals(e.getString(field))).toList();
        assertEquals(1, found.size(), field + "=" + value + " in " + events);
        return found.get(0);
    }

    @Test
    void theClientPoolsFiguresMoveUnderLoadAndItsRegistrationEndsWithTheClient() {
        Spindle.run(() -> {
            List<PoolMetrics> before = Metrics.pools();
            HttpClient client = HttpClient.builder()
                    .limits(PoolLimits.builder()
                            .maxConnections(4)
                            .maxConnectionsPerOrigin(4)
                            .build())
                    .build();
            assertEquals("slow", client.get(url("/slow")).text()); // the loop's pool is made by its first request
            List<PoolMetrics> added = new ArrayList<>(Metrics.pools());
            added.removeAll(before);
            assertEquals(1, added.size(), "one pool registered: " + added);
            PoolMetrics m = added.get(0);
            assertEquals("http", m.kind());
            assertTrue(m.name().startsWith("HttpClient on " + Loop.current().name()), m.name());
            assertEquals(4, m.maxSize());
            assertEquals(1, m.acquisitions());
            assertEquals(1, m.size());
            assertEquals(0, m.inUse());
            AtomicInteger maxWaiters = new AtomicInteger();
            AtomicInteger maxInUse = new AtomicInteger();
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                tasks.add(Spindle.spawn(() -> {
                    maxWaiters.accumulateAndGet(m.waiters(), Math::max);
                    String text = client.get(url("/slow")).text();
                    maxInUse.accumulateAndGet(m.inUse(), Math::max);
                    return text;
                }));
            }
            Spindle.gather(tasks);
            assertTrue(maxWaiters.get() > 0, "waiters were seen: " + maxWaiters);
            assertTrue(maxInUse.get() <= 4, "in use within the bound: " + maxInUse);
            assertEquals(51, m.acquisitions());
            assertTrue(m.totalWaitNanos() > 0, m.toString());
            assertEquals(0, m.waiters());
            assertEquals(0, m.inUse());
            assertTrue(m.size() >= 1 && m.size() <= 4, "size: " + m.size());
            client.close();
            assertFalse(Metrics.pools().contains(m), "unregistered on close");
            assertEquals(0, m.size());
            return null;
        });
    }

    @Test
    void withoutARecordingNoEventClassIsEverLoaded() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Proc p = Proc.run(List.of(
                        java,
                        "--add-opens",
                        "java.base/java.lang=ALL-UNNAMED",
                        "--enable-native-access=ALL-UNNAMED",
                        "-Xlog:class+load=info:stdout",
                        "-Dspindle.io.backend=" + System.getProperty("spindle.io.backend", "nio"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        NoRecordingMain.class.getName()))
                .ok();
        assertTrue(p.out.contains("answer ok"), p.out);
        assertTrue(p.out.contains("dev.spindle.http.internal.Http1Connection "), "the log lists Spindle's classes");
        assertTrue(p.out.contains("dev.spindle.http.client.HttpClient "), "the log lists Spindle's classes");
        assertFalse(p.out.contains("dev.spindle.http.internal.observe."), "an event class was loaded without JFR");
    }
}
