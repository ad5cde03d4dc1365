package dev.spindle.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** Issue 14's wiring: the {@code dev.spindle.redis.Command} JFR event and the pool's {@link PoolMetrics}. */
class ObserveTest {

    @Test
    void aRecordingHasOneCommandEventPerCommandWithNameServerAndOutcomeButNoArguments() throws Exception {
        Loop.create().close(); // the first loop of the JVM makes Spindle listen for JFR
        String key = "observe-test:" + UUID.randomUUID();
        String secret = "s3cret-" + UUID.randomUUID();
        String address = RedisConfig.fromUrl(Servers.shared().url()).address();
        Path file = Files.createTempFile("spindle-redis", ".jfr");
        String[] loopName = new String[1];
        try (Recording r = new Recording()) {
            r.enable("dev.spindle.redis.Command").withThreshold(Duration.ZERO);
            r.start();
            Spindle.run(() -> {
                loopName[0] = Loop.current().name();
                try (RedisClient redis = RedisClient.create(Servers.shared().url())) {
                    redis.set(key, secret);
                    assertEquals(secret, redis.get(key));
                    assertThrows(RedisServerError.class, () -> redis.incr(key)); // not an integer
                    Task<KeyValue<String, String>> blocked =
                            Spindle.spawn("blpop", () -> redis.blpop(Duration.ofSeconds(30), key + ":list"));
                    Spindle.sleep(Duration.ofMillis(100));
                    blocked.cancel();
                    Spindle.gatherOutcomes(blocked);
                    redis.del(key);
                }
                return null;
            });
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.spindle.redis.Command"))
                .toList();
        Files.deleteIfExists(file);
        for (RecordedEvent e : events) {
            assertFalse(e.toString().contains(secret), "a value was recorded: " + e);
            assertFalse(e.toString().contains(key), "a key was recorded: " + e);
        }
        RecordedEvent set = only(events, "SET", "ok");
        assertEquals(address, set.getString("server"));
        assertEquals(loopName[0], set.getString("loop"));
        assertTrue(set.getLong("taskId") > 0, set.toString());
        assertNotNull(set.getString("task"), set.toString());
        assertTrue(set.getDuration().toNanos() > 0, set.toString());
        assertNull(set.getStackTrace(), "per-command events carry no stack trace");
        only(events, "GET", "ok");
        only(events, "INCR", "error");
        RecordedEvent blpop = only(events, "BLPOP", "cancelled");
        assertEquals("blpop", blpop.getString("task"));
        assertTrue(blpop.getDuration().toMillis() >= 50, blpop.toString());
    }

    private static RecordedEvent only(List<RecordedEvent> events, String command, String outcome) {
        List<RecordedEvent> found = events.stream()
                .filter(e -> command.equals(e.getString("command")))
                .toList();
        assertEquals(1, found.size(), command + " events: " + events);
        assertEquals(outcome, found.get(0).getString("outcome"), found.get(0).toString());
        return found.get(0);
    }

    private static void assertNull(Object o, String message) {
        assertTrue(o == null, message);
    }

    @Test
    void thePoolsFiguresMoveUnderLoadAndItsRegistrationEndsWithTheClient() {
        String name = "observe-pool-" + UUID.randomUUID();
        RedisConfig config = RedisConfig.fromUrl(Servers.shared().url()).toBuilder()
                .sharing(RedisConfig.Sharing.POOLED)
                .poolSize(4)
                .poolTimeout(Duration.ofSeconds(60))
                .clientName(name)
                .build();
        Spindle.run(() -> {
            RedisClient redis = RedisClient.create(config);
            redis.ping(); // the pool opens with the client's first command
            PoolMetrics pool = pool(name);
            assertNotNull(pool, "the pool is registered: " + Metrics.pools());
            assertEquals("redis", pool.kind());
            assertEquals(4, pool.maxSize());
            assertEquals(1, pool.acquisitions());
            AtomicInteger maxWaiters = new AtomicInteger();
            AtomicInteger maxInUse = new AtomicInteger();
            List<Task<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                tasks.add(Spindle.spawn(() -> {
                    maxWaiters.accumulateAndGet(pool.waiters(), Math::max);
                    // a blocking command holds its connection on the server for a while: the other tasks wait
                    redis.blpop(Duration.ofMillis(20), "observe-test:none:" + UUID.randomUUID());
                    maxInUse.accumulateAndGet(pool.inUse(), Math::max);
                    return null;
                }));
            }
            Spindle.gather(tasks);
            assertTrue(maxWaiters.get() > 0, "waiters were seen: " + maxWaiters);
            assertTrue(maxInUse.get() > 0 && maxInUse.get() <= 4, "in use within the bound: " + maxInUse);
            assertEquals(51, pool.acquisitions());
            assertTrue(pool.totalWaitNanos() > 0, pool.toString());
            assertEquals(0, pool.inUse());
            assertEquals(0, pool.waiters());
            assertTrue(pool.size() >= 1 && pool.size() <= 4, "size: " + pool.size());
            redis.close();
            assertEquals(null, pool(name), "unregistered on close");
            assertEquals(0, pool.size());
            return null;
        });
    }

    private static PoolMetrics pool(String name) {
        return Metrics.pools().stream()
                .filter(p -> p.kind().equals("redis") && p.name().equals(name))
                .findFirst()
                .orElse(null);
    }
}
