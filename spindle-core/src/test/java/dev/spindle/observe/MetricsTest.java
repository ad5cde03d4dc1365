package dev.spindle.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsTest {

    /** A pool's figures, as a client module would expose them. */
    record FakePool(
            String name,
            String kind,
            int size,
            int inUse,
            int maxSize,
            int waiters,
            long acquisitions,
            long totalWaitNanos)
            implements PoolMetrics {}

    @Test
    void loopFiguresMoveUnderLoad() throws Exception {
        CompletableFuture<Loop> started = new CompletableFuture<>();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        List<String> opened = new CopyOnWriteArrayList<>();
        List<String> closed = new CopyOnWriteArrayList<>();
        try (AutoCloseable probes = Metrics.probeLag(Duration.ofMillis(20));
                AutoCloseable watch = Metrics.watch(new Metrics.Listener() {
                    @Override
                    public void loopOpened(LoopMetrics loop) {
                        opened.add(loop.name());
                    }

                    @Override
                    public void loopClosed(LoopMetrics loop) {
                        closed.add(loop.name());
                    }
                })) {
            Thread runner = Thread.ofPlatform()
                    .start(() -> Spindle.run(() -> {
                        started.complete(Loop.current());
                        while (!stop.isDone()) { // a load: tasks spawned and awaited in batches
                            List<dev.spindle.task.Task<Integer>> batch = new java.util.ArrayList<>();
                            for (int i = 0; i < 100; i++) {
                                int v = i;
                                batch.add(Spindle.spawn(() -> v));
                            }
                            Spindle.gather(batch);
                            Spindle.sleep(Duration.ofMillis(1));
                        }
                        return null;
                    }));
            Loop loop = started.get(10, TimeUnit.SECONDS);
            LoopMetrics m = Metrics.loops().stream()
                    .filter(x -> x.name().equals(loop.name()))
                    .findFirst()
                    .orElseThrow();
            assertTrue(opened.contains(loop.name()));
            long steps0 = m.steps();
            long spawned0 = m.tasksSpawned();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((m.steps() <= steps0 + 1000 || m.tasksSpawned() <= spawned0 + 1000 || m.stepsPerSecond() == 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(m.isRunning());
            assertTrue(m.steps() > steps0 + 1000, "steps did not move: " + m.steps());
            assertTrue(m.tasksSpawned() > spawned0 + 1000);
            assertTrue(m.stepsPerSecond() > 0);
            assertFalse(m.lag().isNegative());
            assertTrue(m.readyDepth() >= 0 && m.tasksAlive() >= 1);
            stop.complete(null);
            runner.join(10_000);
            assertTrue(closed.contains(loop.name()));
            assertFalse(Metrics.loops().stream().anyMatch(x -> x.name().equals(loop.name())));
        }
    }

    @Test
    void poolsRegisterOnceAndListenersHearOfThem() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        FakePool pool = new FakePool("redis://127.0.0.1:6379", "redis", 4, 3, 8, 2, 100, 5_000_000);
        try (AutoCloseable watch = Metrics.watch(new Metrics.Listener() {
            @Override
            public void poolRegistered(PoolMetrics p) {
                heard.add("+" + p.name());
            }

            @Override
            public void poolUnregistered(PoolMetrics p) {
                heard.add("-" + p.name());
            }
        })) {
            AutoCloseable reg = Metrics.register(pool);
            assertTrue(Metrics.pools().contains(pool));
            assertThrows(IllegalArgumentException.class, () -> Metrics.register(pool));
            reg.close();
            reg.close();
            assertFalse(Metrics.pools().contains(pool));
        }
        assertEquals(List.of("+redis://127.0.0.1:6379", "-redis://127.0.0.1:6379"), heard);
        assertThrows(IllegalArgumentException.class, () -> Metrics.probeLag(Duration.ZERO));
    }
}
