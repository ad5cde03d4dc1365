package dev.spindle.bench;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;

import dev.spindle.loop.Loop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The side-by-side workloads on Spindle: one loop, coroutines on its thread.
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks.jar dev.spindle.bench.CoreBench switch
 * </pre>
 *
 * See {@link Bench} for the arguments and the result line. Each timed workload runs {@code --warmup} rounds of a
 * tenth of the count first (the JIT needs them; the peers get the same rounds), then the measured round.
 */
public final class CoreBench {
    /** The name in the result line: "spindle", or what {@code -Dbench.runtime} says (run.sh names tuned runs). */
    private static final String RUNTIME = System.getProperty("bench.runtime", "spindle");

    private CoreBench() {}

    public static void main(String[] args) {
        Bench b = Bench.parse("CoreBench", args);
        switch (b.workload) {
            case Bench.SWITCH -> switchBench(b);
            case Bench.SPAWN -> spawnBench(b);
            case Bench.MEMORY -> memoryBench(b);
            case Bench.TIMERS -> timersBench(b);
            default -> throw new AssertionError(b.workload);
        }
    }

    // ---- switch: two coroutines handing a value back and forth -------------------------------------------------

    private static void switchBench(Bench b) {
        int n = b.count - b.count % 2;
        long nanos = run(() -> {
            for (int w = 0; w < b.warmup; w++) {
                SpindleWorkloads.pingPong(b.warmupCount() - b.warmupCount() % 2);
            }
            return SpindleWorkloads.pingPong(n);
        });
        new Bench.Result(RUNTIME, b)
                .value((double) nanos / n, "ns/switch")
                .extra("wall_s", Bench.seconds(nanos))
                .extra("switches_per_s", n / Bench.seconds(nanos))
                .print();
    }

    // ---- spawn: a million trivial tasks, spawned then awaited -----------------------------------------------

    private static void spawnBench(Bench b) {
        long nanos = run(() -> {
            for (int w = 0; w < b.warmup; w++) {
                SpindleWorkloads.spawnAndAwait(b.warmupCount());
            }
            return SpindleWorkloads.spawnAndAwait(b.count);
        });
        new Bench.Result(RUNTIME, b)
                .value(b.count / Bench.seconds(nanos), "tasks/s")
                .extra("wall_s", Bench.seconds(nanos))
                .extra("ns_per_task", (double) nanos / b.count)
                .print();
    }

    // ---- memory: a million coroutines parked in a long sleep ------------------------------------------------

    private static void memoryBench(Bench b) {
        int n = b.count;
        Bench.Result r = new Bench.Result(RUNTIME, b);
        run(() -> {
            Task<?>[] tasks = new Task<?>[n]; // allocated before the baseline: the handles are the caller's
            int[] parked = {0};
            long heap0 = Bench.heapUsedAfterGc();
            long nonHeap0 = Bench.nonHeapUsed();
            long rss0 = Bench.rssBytes();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                tasks[i] = spawn(() -> {
                    parked[0]++;
                    sleep(Duration.ofHours(1));
                });
            }
            while (parked[0] < n) {
                sleep(Duration.ZERO); // let every task run up to its sleep
            }
            sleep(Duration.ZERO);
            long startNanos = System.nanoTime() - t0;
            long heap1 = Bench.heapUsedAfterGc();
            long nonHeap1 = Bench.nonHeapUsed();
            long rss1 = Bench.rssBytes();

            long t1 = System.nanoTime();
            for (Task<?> t : tasks) {
                t.cancel();
            }
            int cancelled = 0;
            for (Task<?> t : tasks) {
                try {
                    t.await();
                } catch (Cancelled expected) {
                    cancelled++;
                }
            }
            long teardownNanos = System.nanoTime() - t1;
            if (cancelled != n) {
                throw new AssertionError("only " + cancelled + " of " + n + " cancelled");
            }
            r.value((double) (rss1 - rss0) / n, "B/coroutine (RSS)")
                    .extra("rss_delta_mib", (rss1 - rss0) / 1048576.0)
                    .extra("heap_b_per_coroutine", (double) (heap1 - heap0) / n)
                    .extra("heap_delta_mib", (heap1 - heap0) / 1048576.0)
                    .extra("nonheap_delta_mib", (nonHeap1 - nonHeap0) / 1048576.0)
                    .extra("start_s", Bench.seconds(startNanos))
                    .extra("cancel_s", Bench.seconds(teardownNanos));
        });
        r.print();
    }

    // ---- timers: a million callLater with random delays ----------------------------------------------------

    /** Schedules {@code n} timers with delays uniform in [0, maxDelay) and waits until all have fired. */
    private static long[] timers(int n, long maxDelayNanos, long seed) {
        Loop loop = Loop.current();
        SplittableRandom random = new SplittableRandom(seed);
        LoopFuture<Void> allFired = new LoopFuture<>();
        int[] fired = {0};
        Runnable tick = () -> {
            if (++fired[0] == n) {
                allFired.setResult(null);
            }
        };
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            loop.callLater(Duration.ofNanos((long) (random.nextDouble() * maxDelayNanos)), tick);
        }
        long scheduled = System.nanoTime() - t0;
        allFired.await();
        long total = System.nanoTime() - t0;
        return new long[] {total, scheduled};
    }

    private static void timersBench(Bench b) {
        Thread loopThread = Thread.currentThread();
        long[] cpu = new long[2];
        long[] times = run(() -> {
            for (int w = 0; w < b.warmup; w++) {
                timers(b.warmupCount(), b.maxDelayNanos / 10, b.seed + w + 1);
            }
            cpu[0] = Bench.processCpuNanos();
            cpu[1] = Bench.threadCpuNanos(loopThread);
            long[] t = timers(b.count, b.maxDelayNanos, b.seed);
            cpu[0] = Bench.processCpuNanos() - cpu[0];
            cpu[1] = Bench.threadCpuNanos(loopThread) - cpu[1];
            return t;
        });
        long total = times[0];
        new Bench.Result(RUNTIME, b)
                .value(b.count / Bench.seconds(total), "timers/s")
                .extra("wall_s", Bench.seconds(total))
                .extra("schedule_s", Bench.seconds(times[1]))
                .extra("max_delay_s", Bench.seconds(b.maxDelayNanos))
                .extra("late_s", Bench.seconds(total - b.maxDelayNanos))
                .extra("cpu_s", Bench.seconds(cpu[0]))
                .extra("loop_cpu_s", Bench.seconds(cpu[1]))
                .extra("timers_per_cpu_s", b.count / Bench.seconds(cpu[0]))
                .print();
    }
}
