package dev.spindle.bench;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;

import dev.spindle.loop.Loop;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Task;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.LockSupport;

/**
 * Experiments that explain the Spindle figures of {@link CoreBench}: how much of a cost is the JDK's and how much
 * Spindle's own. Not part of the side-by-side tables; {@code run.sh --diagnostics} runs them.
 *
 * <ul>
 *   <li>{@code switch-floor}: one handoff between two coroutines of one loop three ways: through a
 *       {@code LoopFuture} (the switch workload), through a bare park/unpark slot (the JDK's continuation switch
 *       under Spindle's scheduler, no future), and by {@code Thread.yield} ping-pong (no handoff at all).
 *   <li>{@code spawn-floor}: bare virtual threads scheduled by the loop (start, then join) against
 *       {@code spawn} + {@code await}, at the given count and at batches of 10,000.
 *   <li>{@code wake}: {@code --count} coroutines sleep until one deadline (8 s ahead) and then all wake at once;
 *       reports how long after the deadline the last one has finished. With {@code --prewarm K}, K short sleep/wake cycles run first (and
 *       one virtual thread ends), so the JIT has seen a coroutine resume before it compiles the park path.
 * </ul>
 */
public final class CoreDiagnostics {
    private CoreDiagnostics() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            usage();
        }
        int count = 2_000_000;
        int prewarm = 0;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--count" -> count = Integer.parseInt(args[i + 1].replace("_", ""));
                case "--prewarm" -> prewarm = Integer.parseInt(args[i + 1].replace("_", ""));
                default -> usage();
            }
        }
        int n = count;
        int k = prewarm;
        switch (args[0]) {
            case "switch-floor" -> run(() -> switchFloor(n));
            case "spawn-floor" -> run(() -> spawnFloor(n));
            case "wake" -> run(() -> wake(n, k));
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: CoreDiagnostics switch-floor|spawn-floor|wake [--count N] [--prewarm K]");
        System.exit(2);
    }

    private static void print(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    // ---- switch ---------------------------------------------------------------------------------------------

    /** A single-slot handoff on park/unpark, with no Spindle future in the way. */
    private static final class ParkSlot {
        private volatile boolean full;
        private int value;
        private volatile Thread waiter;

        void put(int v) {
            value = v;
            full = true;
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }

        int take() {
            waiter = Thread.currentThread();
            while (!full) {
                LockSupport.park(this);
            }
            waiter = null;
            full = false;
            return value;
        }
    }

    private static long parkPingPong(int handoffs) {
        int rounds = handoffs / 2;
        ParkSlot toB = new ParkSlot();
        ParkSlot toA = new ParkSlot();
        Task<Integer> b = spawn(() -> {
            int last = 0;
            for (int i = 0; i < rounds; i++) {
                last = toB.take();
                toA.put(last + 1);
            }
            return last;
        });
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            toB.put(i);
            toA.take();
        }
        long elapsed = System.nanoTime() - t0;
        b.await();
        return elapsed;
    }

    private static long yieldPingPong(int switches) {
        int rounds = switches / 2;
        Task<Integer> b = spawn(() -> {
            for (int i = 0; i < rounds; i++) {
                Thread.yield();
            }
            return 0;
        });
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            Thread.yield();
        }
        long elapsed = System.nanoTime() - t0;
        b.await();
        return elapsed;
    }

    private static void switchFloor(int n) {
        double future = Double.MAX_VALUE;
        double park = Double.MAX_VALUE;
        double yield = Double.MAX_VALUE;
        for (int round = 0; round < 6; round++) { // the first rounds warm the JIT up; the best one counts
            future = Math.min(future, (double) SpindleWorkloads.pingPong(n) / n);
            park = Math.min(park, (double) parkPingPong(n) / n);
            yield = Math.min(yield, (double) yieldPingPong(n) / n);
        }
        print("switch-floor, best of 6 rounds of %,d switches, ns per switch:", n);
        print("  LoopFuture handoff (the switch workload)    %6.1f", future);
        print("  park/unpark handoff, no future              %6.1f", park);
        print("  Thread.yield ping-pong, no handoff          %6.1f", yield);
        print("  => Spindle's futures add %.1f ns over the JDK's park/unpark on the same loop", future - park);
    }

    // ---- spawn ----------------------------------------------------------------------------------------------

    private static long bareThreads(int n) throws Exception {
        EventLoop loop = (EventLoop) Loop.current();
        @SuppressWarnings("unchecked")
        FutureTask<Integer>[] results = new FutureTask[n];
        Thread[] threads = new Thread[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int v = i;
            results[i] = new FutureTask<>(() -> v);
            threads[i] = loop.newCoroutineThread(results[i]);
            threads[i].start();
        }
        long sum = 0;
        for (int i = 0; i < n; i++) {
            threads[i].join();
            sum += results[i].get();
        }
        long elapsed = System.nanoTime() - t0;
        if (sum != (long) n * (n - 1) / 2) {
            throw new AssertionError("wrong sum");
        }
        return elapsed;
    }

    private static void spawnFloor(int n) throws Exception {
        for (int batch : new int[] {10_000, n}) {
            int rounds = Math.max(4, (int) Math.min(200, 2_000_000L / batch));
            double bare = 0;
            double spindle = 0;
            for (int round = 0; round < rounds; round++) {
                bare = Math.max(bare, batch / Bench.seconds(bareThreads(batch)));
                spindle = Math.max(spindle, batch / Bench.seconds(SpindleWorkloads.spawnAndAwait(batch)));
            }
            print("spawn-floor, best of %d rounds of %,d tasks alive at once, tasks per second:", rounds, batch);
            print("  bare virtual threads on the loop (start + join)   %,12.0f", bare);
            print("  Spindle spawn + await                             %,12.0f", spindle);
        }
    }

    // ---- wake -----------------------------------------------------------------------------------------------

    private static void wake(int n, int prewarm) {
        long w0 = System.nanoTime();
        if (prewarm > 0) {
            spawn(() -> 1).await(); // one virtual thread has ended
            Task<?>[] batch = new Task<?>[100];
            for (int r = 0; r < Math.max(1, prewarm / batch.length); r++) {
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = spawn(() -> {
                        sleep(Duration.ofNanos(1));
                    });
                }
                for (Task<?> t : batch) {
                    t.await();
                }
            }
        }
        long warmNanos = System.nanoTime() - w0;
        // One deadline for all, far enough ahead for every coroutine to be asleep by then.
        Loop loop = Loop.current();
        long deadline = loop.nanoTime() + Duration.ofSeconds(8).toNanos();
        int[] late = {0};
        Task<?>[] tasks = new Task<?>[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            tasks[i] = spawn(() -> {
                sleep(Duration.ofNanos(deadline - loop.nanoTime()));
            });
        }
        long spawned = System.nanoTime() - t0;
        sleep(Duration.ZERO);
        if (loop.nanoTime() > deadline) {
            late[0] = 1;
        }
        for (Task<?> t : tasks) {
            t.await();
        }
        long after = loop.nanoTime() - deadline;
        print(
                "wake: %,d coroutines asleep until one deadline (spawned in %.2f s%s); the last finished %.2f s"
                        + " after it (prewarm %,d cycles, %.3f s)",
                n,
                Bench.seconds(spawned),
                late[0] == 1 ? ", BUT NOT ALL ASLEEP BY THE DEADLINE" : "",
                Bench.seconds(after),
                prewarm,
                Bench.seconds(warmNanos));
    }
}
