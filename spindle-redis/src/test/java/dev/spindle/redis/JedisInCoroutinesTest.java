package dev.spindle.redis;

import static dev.spindle.Spindle.gather;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.task.Task;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Jedis, a blocking client, inside coroutines: each blocking socket call parks only its coroutine (core's design),
 * so many Jedis connections on one loop make progress together, and the loop keeps running other work meanwhile.
 */
@SpindleTest(time = TimeMode.REAL, timeoutMillis = 60_000, slowStepMillis = Servers.SLOW_STEP_MILLIS)
class JedisInCoroutinesTest {

    /** Loads Jedis's classes here rather than in the test's first coroutine step. */
    @org.junit.jupiter.api.BeforeAll
    static void warmJedis() {
        try (Jedis jedis = new Jedis("127.0.0.1", Servers.shared().port())) {
            jedis.ping();
        }
    }

    @Test
    void blockingJedisCallsParkOnlyTheirCoroutine() {
        int port = Servers.shared().port();
        String prefix = "jedis:" + System.nanoTime() + ":";
        List<Task<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            tasks.add(spawn(() -> {
                try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                    assertTrue(Thread.currentThread().isVirtual());
                    jedis.hset(prefix + n, Map.of("name", "n" + n));
                    // BLPOP without timeout: returns only when this test pushes to its list
                    List<String> popped = jedis.blpop(0, prefix + "q:" + n);
                    return jedis.hgetAll(prefix + n).get("name") + "/" + popped.get(1);
                }
            }));
        }
        try (RedisClient redis = RedisClient.create(Servers.shared().url())) {
            // all twenty are blocked in the server at once, and this coroutine still runs: the loop is not held
            long blocked = 0;
            for (int i = 0; i < 500 && blocked < 20; i++) {
                blocked = Long.parseLong(redis.info("clients").get("blocked_clients"));
                if (blocked < 20) {
                    sleep(Duration.ofMillis(10));
                }
            }
            assertEquals(20, blocked, "every Jedis BLPOP waits at the same time");
            for (int i = 0; i < 20; i++) {
                redis.rpush(prefix + "q:" + i, "job" + i);
            }
            List<String> got = gather(tasks);
            for (int i = 0; i < 20; i++) {
                assertEquals("n" + i + "/job" + i, got.get(i));
            }
            // Jedis and the native client see the same data
            assertEquals(Map.of("name", "n3"), redis.hgetall(prefix + "3"));
        }
    }
}
