package dev.spindle.redis;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import dev.spindle.time.TimedOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The heart of the client: commands cancelled or timed out at random points (before their write, right after it,
 * while their reply streams in) under concurrent load, over the multiplexed connection and the pool, on both
 * protocols. Every GET that does return must return the value of its own key: the values name their keys, and some
 * are large enough to arrive in many reads, so that cancellations land in the middle of replies.
 */
@SpindleTest(time = TimeMode.REAL, timeoutMillis = 120_000, slowStepMillis = Servers.SLOW_STEP_MILLIS)
class CancellationFaultTest {
    private static final int KEYS = 200;
    private static final int WORKERS = 48;
    private static final int OPS_PER_WORKER = 80;

    private static String valueOf(String key, int i) {
        String base = "value-of:" + key + ":";
        // one key in ten holds a value of 40-100 KB: its reply spans many reads
        return i % 10 == 0 ? base + "x".repeat(40_000 + (i * 997) % 60_000) + ":end" : base + "end";
    }

    @ParameterizedTest(name = "RESP{0} {1}")
    @CsvSource({"3, MULTIPLEXED", "2, POOLED", "2, MULTIPLEXED", "3, POOLED"})
    void noCallerEverReadsAReplyNotItsOwn(int protocol, RedisConfig.Sharing sharing) {
        RedisConfig cfg = RedisConfig.fromUrl(Servers.shared().url()).toBuilder()
                .protocol(protocol)
                .sharing(sharing)
                .poolSize(8)
                .poolTimeout(Duration.ofSeconds(30))
                .build();
        String prefix = "cancel-fault:" + protocol + sharing + ":";
        Map<String, String> expected = new HashMap<>();
        try (RedisClient redis = RedisClient.create(cfg)) {
            Pipeline<String, String> setup = redis.pipeline();
            for (int i = 0; i < KEYS; i++) {
                String key = prefix + i;
                expected.put(key, valueOf(key, i));
                setup.set(key, expected.get(key));
            }
            setup.execute();

            int[] outcomes = new int[4]; // ok, cancelled, timed out, pipelines ok
            List<Task<Void>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                long seed = 1000L * protocol + w;
                workers.add(spawn(() -> work(redis, prefix, expected, new Random(seed), outcomes)));
            }
            for (Task<Void> t : workers) {
                t.await();
            }
            int total = WORKERS * OPS_PER_WORKER;
            assertTrue(outcomes[0] > total / 10, "some commands completed: " + outcomes[0]);
            assertTrue(outcomes[1] > total / 10, "many were cancelled: " + outcomes[1]);
            assertTrue(outcomes[2] > 0, "some timed out: " + outcomes[2]);
            assertTrue(outcomes[3] > 0, "some pipelines completed: " + outcomes[3]);

            // afterwards every connection still pairs replies right
            for (int i = 0; i < KEYS; i++) {
                String key = prefix + i;
                assertEquals(expected.get(key), redis.get(key));
            }
            redis.del(expected.keySet().toArray(new String[0]));
        }
    }

    private static void work(
            RedisClient redis, String prefix, Map<String, String> expected, Random rnd, int[] outcomes) {
        for (int op = 0; op < OPS_PER_WORKER; op++) {
            String key = prefix + rnd.nextInt(KEYS);
            int mode = rnd.nextInt(6);
            if (mode == 5) {
                pipelined(redis, prefix, expected, rnd, outcomes);
                continue;
            }
            Task<String> get = spawn(() -> {
                if (mode == 4) {
                    // a timeout of its own, 0 to 3 ms: expires before the write, after it, or mid-reply
                    return withTimeout(Duration.ofNanos(1000L * rnd.nextInt(3000)), () -> redis.get(key));
                }
                return redis.get(key);
            });
            switch (mode) {
                case 0 -> get.cancel(); // before it even ran: before its write
                case 1 -> {
                    // after a few loop passes: after the write was queued or flushed, before or during the reply
                    for (int i = rnd.nextInt(4); i > 0; i--) {
                        sleep(Duration.ZERO);
                    }
                    get.cancel();
                }
                case 2 -> {
                    sleep(Duration.ofNanos(1000L * rnd.nextInt(2000)));
                    get.cancel();
                }
                default -> {}
            }
            try {
                String v = get.await();
                assertOwn(expected.get(key), v, "GET " + key);
                outcomes[0]++;
            } catch (Cancelled e) {
                outcomes[1]++;
            } catch (TimedOut e) {
                outcomes[2]++;
            }
        }
    }

    private static void assertOwn(String expected, Object got, String what) {
        if (!expected.equals(got)) {
            String s = String.valueOf(got);
            fail(what + " got a reply not its own: " + (s.length() > 80 ? s.substring(0, 80) + "..." : s));
        }
    }

    private static void pipelined(
            RedisClient redis, String prefix, Map<String, String> expected, Random rnd, int[] outcomes) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1 + rnd.nextInt(8); i++) {
            keys.add(prefix + rnd.nextInt(KEYS));
        }
        Task<List<Object>> t = spawn(() -> {
            Pipeline<String, String> p = redis.pipeline();
            keys.forEach(p::get);
            return p.execute();
        });
        if (rnd.nextBoolean()) {
            sleep(Duration.ofNanos(1000L * rnd.nextInt(1500)));
            t.cancel();
        }
        try {
            List<Object> r = t.await();
            for (int i = 0; i < keys.size(); i++) {
                assertOwn(expected.get(keys.get(i)), r.get(i), "pipelined GET " + keys.get(i));
            }
            outcomes[3]++;
        } catch (Cancelled e) {
            outcomes[1]++;
        }
    }
}
