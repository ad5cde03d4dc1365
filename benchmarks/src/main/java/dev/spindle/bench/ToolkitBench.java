package dev.spindle.bench;

import static dev.spindle.Spindle.gather;
import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;

import dev.spindle.gen.AsyncGenerator;
import dev.spindle.gen.Generator;
import dev.spindle.queue.LoopQueue;
import dev.spindle.sync.LoopLock;
import dev.spindle.task.Task;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The toolkit's side-by-side workloads on Spindle: a bounded queue, generators and a contended lock. Their twins are
 * in {@code peers/asyncio_bench.py} and {@code peers/go/toolkit.go}.
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks.jar dev.spindle.bench.ToolkitBench queue
 * </pre>
 *
 * See {@link Bench} for the arguments and the result line.
 */
public final class ToolkitBench {
    private static final String RUNTIME = System.getProperty("bench.runtime", "spindle");
    static final int QUEUE_MAX_SIZE = 100;
    static final int LOCK_WORKERS = 100;

    private ToolkitBench() {}

    public static void main(String[] args) {
        Bench b = Bench.parse("ToolkitBench", args);
        switch (b.workload) {
            case Bench.QUEUE -> queueBench(b);
            case Bench.GENERATOR -> generatorBench(b);
            case Bench.AGEN -> agenBench(b);
            case Bench.LOCK -> lockBench(b);
            default -> throw new AssertionError("ToolkitBench runs queue, generator, agen and lock: " + b.workload);
        }
    }

    // ---- queue: one producer, one consumer, a bounded queue ---------------------------------------------------

    /** Moves {@code n} items through a queue of {@link #QUEUE_MAX_SIZE}; returns the nanoseconds it took. */
    static long queuePairs(int n) {
        LoopQueue<Integer> q = LoopQueue.fifo(QUEUE_MAX_SIZE);
        long t0 = System.nanoTime();
        Task<Void> producer = spawn(() -> {
            for (int i = 0; i < n; i++) {
                q.put(i);
            }
        });
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += q.get();
        }
        producer.await();
        long elapsed = System.nanoTime() - t0;
        check(total, n);
        return elapsed;
    }

    private static void queueBench(Bench b) {
        long nanos = run(() -> {
            for (int w = 0; w < b.warmup; w++) {
                queuePairs(b.warmupCount());
            }
            return queuePairs(b.count);
        });
        new Bench.Result(RUNTIME, b)
                .value(b.count / Bench.seconds(nanos), "pairs/s")
                .extra("wall_s", Bench.seconds(nanos))
                .extra("ns_per_pair", (double) nanos / b.count)
                .extra("maxsize", QUEUE_MAX_SIZE)
                .print();
    }

    // ---- generators ---------------------------------------------------------------------------------------

    /** Sums 0..n-1 pulled one at a time from {@code numbers}, closing it; returns the nanoseconds it took. */
    static <I extends Iterator<Integer> & AutoCloseable> long drain(int n, Supplier<I> numbers) {
        long t0 = System.nanoTime();
        long total = 0;
        I it = numbers.get();
        try {
            while (it.hasNext()) {
                total += it.next();
            }
        } finally {
            closeQuietly(it);
        }
        long elapsed = System.nanoTime() - t0;
        check(total, n);
        return elapsed;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long syncGenerator(int n) {
        return drain(
                n,
                () -> Generator.<Integer>of(out -> {
                    for (int i = 0; i < n; i++) {
                        out.yield(i);
                    }
                }));
    }

    private static void generatorBench(Bench b) {
        long nanos;
        if (b.onThread) { // the consumer is this plain thread; no loop at all
            for (int w = 0; w < b.warmup; w++) {
                syncGenerator(b.warmupCount());
            }
            nanos = syncGenerator(b.count);
        } else {
            nanos = run(() -> {
                for (int w = 0; w < b.warmup; w++) {
                    syncGenerator(b.warmupCount());
                }
                return syncGenerator(b.count);
            });
        }
        new Bench.Result(RUNTIME, b)
                .value(b.count / Bench.seconds(nanos), "items/s")
                .extra("wall_s", Bench.seconds(nanos))
                .extra("ns_per_item", (double) nanos / b.count)
                .extra("consumer", b.onThread ? "plain thread" : "coroutine")
                .print();
    }

    static long asyncGenerator(int n) {
        return drain(
                n,
                () -> AsyncGenerator.<Integer>of(out -> {
                    for (int i = 0; i < n; i++) {
                        out.yield(i);
                    }
                }));
    }

    private static void agenBench(Bench b) {
        long nanos = run(() -> {
            for (int w = 0; w < b.warmup; w++) {
                asyncGenerator(b.warmupCount());
            }
            return asyncGenerator(b.count);
        });
        new Bench.Result(RUNTIME, b)
                .value(b.count / Bench.seconds(nanos), "items/s")
                .extra("wall_s", Bench.seconds(nanos))
                .extra("ns_per_item", (double) nanos / b.count)
                .print();
    }

    // ---- lock: 100 coroutines, each holding the lock across a yield ------------------------------------------

    private static final class Counter {
        long value;
    }

    /** Returns {nanoseconds, acquisitions}. */
    static long[] contendedLock(int n) {
        LoopLock lock = new LoopLock();
        int perWorker = n / LOCK_WORKERS;
        Counter counter = new Counter();
        long t0 = System.nanoTime();
        List<Task<Void>> workers = new ArrayList<>();
        for (int w = 0; w < LOCK_WORKERS; w++) {
            workers.add(spawn(() -> {
                for (int i = 0; i < perWorker; i++) {
                    try (var _ = lock.acquire()) {
                        long c = counter.value;
                        sleep(0); // hold the lock across a pass of the loop: the other 99 queue behind it
                        counter.value = c + 1;
                    }
                }
            }));
        }
        gather(workers);
        long elapsed = System.nanoTime() - t0;
        long ops = (long) perWorker * LOCK_WORKERS;
        if (counter.value != ops) {
            throw new AssertionError("lost an update: " + counter.value + " of " + ops);
        }
        return new long[] {elapsed, ops};
    }

    private static void lockBench(Bench b) {
        long[] r = run(() -> {
            for (int w = 0; w < b.warmup; w++) {
                contendedLock(b.warmupCount());
            }
            return contendedLock(b.count);
        });
        new Bench.Result(RUNTIME, b)
                .value(r[1] / Bench.seconds(r[0]), "acquires/s")
                .extra("wall_s", Bench.seconds(r[0]))
                .extra("ns_per_acquire", (double) r[0] / r[1])
                .extra("workers", LOCK_WORKERS)
                .print();
    }

    private static void check(long total, int n) {
        if (total != (long) n * (n - 1) / 2) {
            throw new AssertionError("lost an item: sum " + total);
        }
    }
}
