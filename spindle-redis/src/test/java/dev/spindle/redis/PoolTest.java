package dev.spindle.redis;

import static dev.spindle.Spindle.gather;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.task.Task;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@SpindleTest(time = TimeMode.REAL, timeoutMillis = 60_000, slowStepMillis = Servers.SLOW_STEP_MILLIS)
class PoolTest {

    private static RedisConfig.Builder pooled() {
        return RedisConfig.fromUrl(Servers.shared().url()).toBuilder().sharing(RedisConfig.Sharing.POOLED);
    }

    @Test
    void anExhaustedPoolFailsClearlyAfterItsTimeout() {
        String q = "pool-test:" + UUID.randomUUID();
        try (RedisClient redis = RedisClient.create(
                        pooled().poolSize(1).poolTimeout(Duration.ofMillis(200)).build());
                RedisClient other = RedisClient.create(Servers.shared().url())) {
            Task<KeyValue<String, String>> holder = spawn(() -> redis.blpop(Duration.ofSeconds(5), q));
            sleep(Duration.ofMillis(50));
            RedisPoolExhausted e = assertThrows(RedisPoolExhausted.class, () -> redis.get(q));
            assertTrue(
                    e.getMessage().contains("all 1 connections")
                            && e.getMessage().contains("pool_size"),
                    e.getMessage());
            other.rpush(q, "x");
            assertEquals(new KeyValue<>(q, "x"), holder.await());
            assertEquals(0, redis.llen(q)); // the connection came back
            assertEquals(1, redis.openConnections());
        }
    }

    @Test
    void waitersGetConnectionsInTurnWithinTheBound() {
        try (RedisClient redis = RedisClient.create(pooled().poolSize(3).build())) {
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                tasks.add(spawn(redis::ping));
            }
            assertEquals(100, gather(tasks).size());
            assertTrue(redis.openConnections() <= 3, "pool bound: " + redis.openConnections());
        }
    }

    @Test
    void anIdleConnectionKilledByTheServerIsReplacedByTheHealthCheck() {
        try (RedisClient redis = RedisClient.create(pooled().healthCheckInterval(Duration.ofMillis(50))
                        .retries(0)
                        .build());
                RedisClient admin = RedisClient.create(Servers.shared().url())) {
            long id = redis.clientId();
            admin.call("CLIENT", "KILL", "ID", id);
            sleep(Duration.ofMillis(100));
            long next = redis.clientId(); // no error: the check found it dead and opened another
            assertNotEquals(id, next);
        }
    }

    @Test
    void connectionsOlderThanTheirLifetimeAreReplaced() {
        try (RedisClient redis =
                RedisClient.create(pooled().maxLifetime(Duration.ofMillis(100)).build())) {
            long id = redis.clientId();
            sleep(Duration.ofMillis(150));
            assertNotEquals(id, redis.clientId());
        }
    }
}
