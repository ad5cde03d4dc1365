package dev.spindle.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import dev.spindle.observe.Metrics;
import dev.spindle.observe.PoolMetrics;
import dev.spindle.task.Task;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class SpindleMetricsTest {

    /** A pool as a client module would expose it: volatile gauges and adders. */
    static final class CountingPool implements PoolMetrics {
        final AtomicInteger size = new AtomicInteger();
        final AtomicInteger inUse = new AtomicInteger();
        final AtomicInteger waiters = new AtomicInteger();
        final LongAdder acquired = new LongAdder();
        final LongAdder waitNanos = new LongAdder();

        @Override
        public String name() {
            return "redis://127.0.0.1:6379";
        }

        @Override
        public String kind() {
            return "redis";
        }

        @Override
        public int size() {
            return size.get();
        }

        @Override
        public int inUse() {
            return inUse.get();
        }

        @Override
        public int maxSize() {
            return 8;
        }

        @Override
        public int waiters() {
            return waiters.get();
        }

        @Override
        public long acquisitions() {
            return acquired.sum();
        }

        @Override
        public long totalWaitNanos() {
            return waitNanos.sum();
        }
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void loopMetersMoveAsALoadRunsAndLeaveWithTheLoop() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        CompletableFuture<Loop> started = new CompletableFuture<>();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        try (SpindleMetrics spindle = new SpindleMetrics(Duration.ofMillis(20), Tags.of("app", "test"))) {
            spindle.bindTo(registry);
            Thread runner = Thread.ofPlatform()
                    .start(() -> Spindle.run(() -> {
                        started.complete(Loop.current());
                        while (!stop.isDone()) { // bounded by the test: batches of spawned tasks
                            List<Task<Integer>> batch = new ArrayList<>();
                            for (int i = 0; i < 200; i++) {
                                int v = i;
                                batch.add(Spindle.spawn(() -> {
                                    Spindle.sleep(Duration.ZERO);
                                    return v;
                                }));
                            }
                            Spindle.gather(batch);
                            Spindle.sleep(Duration.ofMillis(1));
                        }
                        return null;
                    }));
            String loop = started.get(10, TimeUnit.SECONDS).name();
            FunctionCounter steps = registry.get("spindle.loop.steps")
                    .tag("loop", loop)
                    .tag("app", "test")
                    .functionCounter();
            FunctionCounter spawned =
                    registry.get("spindle.loop.tasks.spawned").tag("loop", loop).functionCounter();
            Gauge rate =
                    registry.get("spindle.loop.steps.rate").tag("loop", loop).gauge();
            TimeGauge lag = registry.get("spindle.loop.lag").tag("loop", loop).timeGauge();
            assertNotNull(registry.get("spindle.loop.ready").tag("loop", loop).gauge());
            assertNotNull(
                    registry.get("spindle.loop.tasks.alive").tag("loop", loop).gauge());
            assertNotNull(registry.get("spindle.loop.lag.max").tag("loop", loop).timeGauge());
            double steps0 = steps.count();
            double spawned0 = spawned.count();
            eventually(() -> steps.count() > steps0 + 10_000, "steps move");
            eventually(() -> spawned.count() > spawned0 + 1_000, "spawns move");
            eventually(() -> rate.value() > 0, "a steps rate");
            assertTrue(lag.value(TimeUnit.SECONDS) >= 0);
            stop.complete(null);
            runner.join(10_000);
            assertNull(
                    registry.find("spindle.loop.steps").tag("loop", loop).functionCounter(),
                    "meters of a closed loop go");
        }
    }

    @Test
    void poolMetersFollowTheRegistrationAndAreScrapedByPrometheus() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CountingPool pool = new CountingPool();
        try (SpindleMetrics spindle = new SpindleMetrics()) {
            spindle.bindTo(registry);
            AutoCloseable reg = Metrics.register(pool);
            pool.size.set(5);
            pool.inUse.set(3);
            pool.waiters.set(2);
            pool.acquired.add(10);
            pool.waitNanos.add(TimeUnit.MILLISECONDS.toNanos(40));
            Tags t = Tags.of("pool", pool.name(), "kind", "redis");
            assertEquals(5, registry.get("spindle.pool.size").tags(t).gauge().value());
            assertEquals(3, registry.get("spindle.pool.in.use").tags(t).gauge().value());
            assertEquals(8, registry.get("spindle.pool.max").tags(t).gauge().value());
            assertEquals(2, registry.get("spindle.pool.waiters").tags(t).gauge().value());
            FunctionTimer acquire = registry.get("spindle.pool.acquire").tags(t).functionTimer();
            assertEquals(10, acquire.count());
            assertEquals(40, acquire.totalTime(TimeUnit.MILLISECONDS), 0.001);
            pool.inUse.set(4); // gauges read live
            assertEquals(4, registry.get("spindle.pool.in.use").tags(t).gauge().value());

            Spindle.run(() -> {
                Spindle.sleep(Duration.ofMillis(5));
                return null;
            });
            String scrape = registry.scrape();
            assertTrue(
                    scrape.contains("spindle_pool_in_use{kind=\"redis\",pool=\"redis://127.0.0.1:6379\"} 4"), scrape);
            assertTrue(scrape.contains("spindle_pool_acquire_seconds_count{kind=\"redis\""), scrape);
            reg.close();
            assertNull(registry.find("spindle.pool.size").tags(t).gauge());
        }
    }

    @Test
    void closingRemovesEveryMeterAndBadIntervalsAreRefused() {
        MeterRegistry registry = new SimpleMeterRegistry();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CompletableFuture<String> name = new CompletableFuture<>();
        Thread runner = Thread.ofPlatform()
                .start(() -> Spindle.run(() -> {
                    name.complete(Loop.current().name());
                    Spindle.await(stop);
                    return null;
                }));
        SpindleMetrics spindle = new SpindleMetrics();
        spindle.bindTo(registry);
        String loop = name.join();
        assertNotNull(registry.find("spindle.loop.steps").tag("loop", loop).functionCounter());
        spindle.close();
        assertTrue(
                registry.getMeters().stream().noneMatch(m -> m.getId().getName().startsWith("spindle.")));
        stop.complete(null);
        assertThrows(IllegalArgumentException.class, () -> new SpindleMetrics(Duration.ZERO, Tags.empty()));
        try {
            runner.join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
