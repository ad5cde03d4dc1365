package dev.spindle.redis;

import static dev.spindle.Spindle.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import dev.spindle.testservers.RedisSentinel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sentinel discovery of the master, and a failover followed: the client asks the sentinels again on reconnect. */
@SpindleTest(time = TimeMode.REAL, timeoutMillis = 90_000, slowStepMillis = Servers.SLOW_STEP_MILLIS)
class SentinelTest {

    @Test
    void findsTheMasterAndFollowsAFailover() {
        try (RedisSentinel s = RedisSentinel.start("mymaster")) {
            RedisConfig cfg = RedisConfig.fromUrl(s.url() + "?client_name=via-sentinel").toBuilder()
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .build();
            assertTrue(cfg.address().contains("mymaster"), cfg.address());
            try (RedisClient redis = RedisClient.create(cfg)) {
                redis.set("where", "first");
                assertEquals("via-sentinel", redis.clientGetname());
                assertEquals(
                        String.valueOf(s.master().port()), redis.info("server").get("tcp_port"));
                toThread(() -> {
                    s.master().kill();
                    return null;
                });
                List<String> errors = new ArrayList<>();
                long deadline = System.nanoTime() + 40_000_000_000L;
                boolean done = false;
                while (!done && System.nanoTime() < deadline) {
                    try {
                        redis.set("where", "second");
                        done = true;
                    } catch (RedisException e) {
                        errors.add(e.getMessage());
                        dev.spindle.Spindle.sleep(Duration.ofMillis(100));
                    }
                }
                assertTrue(
                        done,
                        "the client found the new master: "
                                + errors.subList(Math.max(0, errors.size() - 3), errors.size()));
                assertEquals(
                        String.valueOf(s.replica().port()), redis.info("server").get("tcp_port"));
                assertEquals("second", redis.get("where"));
            }
        }
    }

    @Test
    void badSentinelUrlsFailAtOnce() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> RedisConfig.fromUrl("redis-sentinel://h1:26379"));
        assertTrue(e.getMessage().contains("no master name"), e.getMessage());
        RedisConfig c = RedisConfig.fromUrl("redis-sentinel://:pw@h1:26379,h2/main/2?timeout=1s");
        assertEquals(List.of("h1:26379", "h2:26379"), c.sentinels());
        assertEquals("main", c.masterName().orElseThrow());
        assertEquals(2, c.database());
        assertEquals("pw", c.password().orElseThrow());
    }
}
