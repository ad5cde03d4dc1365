package dev.spindle.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
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
import org.junit.jupiter.api.Test;

/** Issue 14's wiring: the {@code dev.spindle.mysql.Query} JFR event and the pool's {@link PoolMetrics}. */
class ObserveTest {

    @Test
    void aRecordingHasOneQueryEventPerStatementWithItsSqlRowsAndOutcomeButNoParameters() throws Exception {
        Loop.create().close(); // the first loop of the JVM makes Spindle listen for JFR
        String secret = "s3cret-param-value-4711";
        String longSql = "SELECT 1 AS a" + ", 1".repeat(150);
        Path file = Files.createTempFile("spindle-mysql", ".jfr");
        String[] loopName = new String[1];
        try (Recording r = new Recording()) {
            r.enable("dev.spindle.mysql.Query").withThreshold(Duration.ZERO);
            r.start();
            Spindle.run(() -> {
                loopName[0] = Loop.current().name();
                try (MySqlConnection c = Db.connect()) {
                    assertEquals(secret, c.fetchValue(String.class, "SELECT ? AS v", secret));
                    c.execute("CREATE TEMPORARY TABLE observe_t (id INT)");
                    c.execute("INSERT INTO observe_t VALUES (1), (2), (3)");
                    assertEquals(3, c.fetch("SELECT id FROM observe_t").size());
                    assertThrows(ServerError.class, () -> c.execute("SELECT * FROM no_such_table_here"));
                    c.execute(longSql);
                    Task<Result> slow = Spindle.spawn("slow-query", () -> c.execute("SELECT SLEEP(30)"));
                    Spindle.sleep(Duration.ofMillis(200));
                    slow.cancel();
                    Spindle.gatherOutcomes(slow);
                }
                return null;
            });
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.spindle.mysql.Query"))
                .toList();
        Files.deleteIfExists(file);
        for (RecordedEvent e : events) {
            assertFalse(e.toString().contains(secret), "a parameter was recorded: " + e);
        }
        RecordedEvent param = only(events, "SELECT ? AS v", "ok");
        assertEquals(1, param.getLong("rows"));
        assertEquals(Db.server().host() + ":" + Db.server().port(), param.getString("server"));
        assertEquals(loopName[0], param.getString("loop"));
        assertTrue(param.getLong("taskId") > 0, param.toString());
        assertTrue(param.getDuration().toNanos() > 0, param.toString());
        assertTrue(param.getStackTrace() == null, "per-query events carry no stack trace");
        assertEquals(
                3,
                only(events, "INSERT INTO observe_t VALUES (1), (2), (3)", "ok").getLong("rows"));
        assertEquals(3, only(events, "SELECT id FROM observe_t", "ok").getLong("rows"));
        only(events, "SELECT * FROM no_such_table_here", "error");
        only(events, longSql.substring(0, 200) + "...", "ok");
        RecordedEvent slow = only(events, "SELECT SLEEP(30)", "cancelled");
        assertEquals("slow-query", slow.getString("task"));
        assertTrue(slow.getDuration().toMillis() >= 100, slow.toString());
    }

    private static RecordedEvent only(List<RecordedEvent> events, String sql, String outcome) {
        List<RecordedEvent> found =
                events.stream().filter(e -> sql.equals(e.getString("sql"))).toList();
        assertEquals(1, found.size(), sql + " events: " + events);
        assertEquals(outcome, found.get(0).getString("outcome"), found.get(0).toString());
        return found.get(0);
    }

    @Test
    void thePoolsFiguresMoveUnderLoadAndItsRegistrationEndsWithThePool() {
        Spindle.run(() -> {
            List<PoolMetrics> before = Metrics.pools();
            MySqlPool pool = MySqlPool.create(
                    Db.options().build(),
                    PoolOptions.builder()
                            .maxSize(4)
                            .acquireTimeout(Duration.ofSeconds(60))
                            .build());
            assertEquals(1, pool.fetchValue(Integer.class, "SELECT 1")); // the pool registers on its first acquire
            List<PoolMetrics> added = new ArrayList<>(Metrics.pools());
            added.removeAll(before);
            assertEquals(1, added.size(), "one pool registered: " + added);
            PoolMetrics m = added.get(0);
            assertEquals("mysql", m.kind());
            assertTrue(
                    m.name()
                            .startsWith(Db.USER + "@" + Db.server().host() + ":"
                                    + Db.server().port() + "/test"),
                    m.name());
            assertEquals(4, m.maxSize());
            assertEquals(1, m.acquisitions());
            AtomicInteger maxWaiters = new AtomicInteger();
            AtomicInteger maxInUse = new AtomicInteger();
            List<Task<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                tasks.add(Spindle.spawn(() -> {
                    maxWaiters.accumulateAndGet(m.waiters(), Math::max);
                    try (MySqlConnection c = pool.acquire()) {
                        maxInUse.accumulateAndGet(m.inUse(), Math::max);
                        c.execute("SELECT SLEEP(0.01)");
                    }
                    return null;
                }));
            }
            Spindle.gather(tasks);
            assertTrue(maxWaiters.get() > 0, "waiters were seen: " + maxWaiters);
            assertTrue(maxInUse.get() > 0 && maxInUse.get() <= 4, "in use within the bound: " + maxInUse);
            assertEquals(51, m.acquisitions());
            assertTrue(m.totalWaitNanos() > 0, m.toString());
            assertEquals(0, m.waiters());
            assertEquals(0, m.inUse());
            assertTrue(m.size() >= 1 && m.size() <= 4, "size: " + m.size());
            assertEquals(pool.statistics().size(), m.size());
            pool.close();
            assertFalse(Metrics.pools().contains(m), "unregistered on close");
            assertEquals(0, m.size());
            return null;
        });
    }
}
