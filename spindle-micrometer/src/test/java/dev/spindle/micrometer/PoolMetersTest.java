package dev.spindle.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.redis.RedisClient;
import dev.spindle.redis.RedisConfig;
import dev.spindle.task.Task;
import dev.spindle.testservers.RedisServer;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issue 14: the {@code spindle.pool.*} meters of a real Redis client's pool appear, move under load, and go. */
class PoolMetersTest {

    @Test
    void aRedisPoolsMetersAppearMoveUnderLoadAndLeaveWithTheClient() {
        String name = "micrometer-test-" + UUID.randomUUID();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (RedisServer server = RedisServer.start();
                SpindleMetrics spindle = new SpindleMetrics()) {
            spindle.bindTo(registry);
            RedisConfig config = RedisConfig.fromUrl(server.url()).toBuilder()
                    .sharing(RedisConfig.Sharing.POOLED)
                    .poolSize(4)
                    .poolTimeout(Duration.ofSeconds(60))
                    .clientName(name)
                    .build();
            Tags t = Tags.of("pool", name, "kind", "redis");
            Spindle.run(() -> {
                RedisClient redis = RedisClient.create(config);
                redis.ping();
                Gauge size = registry.get("spindle.pool.size").tags(t).gauge();
                Gauge inUse = registry.get("spindle.pool.in.use").tags(t).gauge();
                Gauge waiters = registry.get("spindle.pool.waiters").tags(t).gauge();
                FunctionTimer acquire =
                        registry.get("spindle.pool.acquire").tags(t).functionTimer();
                assertEquals(4, registry.get("spindle.pool.max").tags(t).gauge().value());
                assertEquals(1, size.value());
                assertEquals(1, acquire.count());
                double[] seen = new double[2]; // the most waiters and connections in use seen
                List<Task<Object>> tasks = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    tasks.add(Spindle.spawn(() -> {
                        seen[0] = Math.max(seen[0], waiters.value());
                        redis.blpop(Duration.ofMillis(20), "micrometer-test:none:" + UUID.randomUUID());
                        seen[1] = Math.max(seen[1], inUse.value());
                        return null;
                    }));
                }
                Spindle.gather(tasks);
                assertTrue(seen[0] > 0, "the waiters gauge moved: " + seen[0]);
                assertTrue(seen[1] >= 1 && seen[1] <= 4, "in use within the bound: " + seen[1]);
                assertEquals(51, acquire.count());
                assertTrue(acquire.totalTime(TimeUnit.NANOSECONDS) > 0, "time spent waiting is counted");
                assertEquals(0, inUse.value());
                assertEquals(0, waiters.value());
                String scrape = registry.scrape();
                assertTrue(
                        scrape.contains("spindle_pool_acquire_seconds_count{kind=\"redis\",pool=\"" + name + "\"} 51"),
                        scrape);
                redis.close();
                return null;
            });
            assertNull(registry.find("spindle.pool.size").tags(t).gauge(), "the pool's meters left with it");
        }
    }
}
