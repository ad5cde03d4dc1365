package dev.spindle.bench;

import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.taskGroup;

import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;

/**
 * The switch and spawn workloads on Spindle, shared by {@link CoreBench} and the JMH micro-benchmarks. Both must
 * be called from a coroutine.
 */
public final class SpindleWorkloads {
    private SpindleWorkloads() {}

    /**
     * A single-slot handoff: the sender completes the current future; the receiver awaits it and puts a fresh one
     * in its place before it suspends again. The sender only sends again after the receiver's reply, so one future
     * is never completed twice.
     */
    private static final class Slot {
        LoopFuture<Integer> future = new LoopFuture<>();

        void put(int value) {
            future.setResult(value);
        }

        int take() {
            int v = future.await();
            future = new LoopFuture<>();
            return v;
        }
    }

    /**
     * Hands a value back and forth between the current coroutine and a second one, {@code handoffs} times in all
     * (half each way; one handoff is one switch), and returns the nanoseconds it took.
     */
    public static long pingPong(int handoffs) {
        int rounds = handoffs / 2;
        Slot toB = new Slot();
        Slot toA = new Slot();
        Task<Integer> b = spawn(() -> {
            int last = 0;
            for (int i = 0; i < rounds; i++) {
                last = toB.take();
                toA.put(last + 1);
            }
            return last;
        });
        long t0 = System.nanoTime();
        int got = 0;
        for (int i = 0; i < rounds; i++) {
            toB.put(i);
            got = toA.take();
        }
        long elapsed = System.nanoTime() - t0;
        if (got != rounds || b.await() != rounds - 1) {
            throw new AssertionError("lost a value: " + got);
        }
        return elapsed;
    }

    /** Spawns {@code n} tasks that return their index, awaits each in turn, and returns the nanoseconds it took. */
    public static long spawnAndAwait(int n) {
        @SuppressWarnings("unchecked")
        Task<Integer>[] tasks = new Task[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int v = i;
            tasks[i] = spawn(() -> v);
        }
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += tasks[i].await();
        }
        long elapsed = System.nanoTime() - t0;
        if (sum != (long) n * (n - 1) / 2) {
            throw new AssertionError("wrong sum " + sum);
        }
        return elapsed;
    }

    /**
     * Spawns {@code n} children into one task group that each add their index to a sum, closes the group (which waits
     * for them all), and returns the nanoseconds it took: the task group's per-child bookkeeping on top of a spawn.
     */
    public static long spawnInTaskGroup(int n) {
        long[] sum = new long[1];
        long t0 = System.nanoTime();
        taskGroup(tg -> {
            for (int i = 0; i < n; i++) {
                int v = i;
                tg.spawn(() -> {
                    sum[0] += v;
                });
            }
            return null;
        });
        long elapsed = System.nanoTime() - t0;
        if (sum[0] != (long) n * (n - 1) / 2) {
            throw new AssertionError("wrong sum " + sum[0]);
        }
        return elapsed;
    }
}
