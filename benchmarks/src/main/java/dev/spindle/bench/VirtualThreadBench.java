package dev.spindle.bench;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The side-by-side workloads on plain JDK virtual threads and the JDK's default scheduler (a ForkJoinPool with one
 * carrier per core), no Spindle involved: the baseline of what the JDK gives for free.
 *
 * <pre>
 * java -cp benchmarks.jar dev.spindle.bench.VirtualThreadBench switch [--handoff park|queue]
 * </pre>
 *
 * <ul>
 *   <li>switch: two virtual threads hand a value back and forth; {@code park} (the default) through a single-slot
 *       handoff built on {@link LockSupport}, the same mechanism a Spindle future uses, {@code queue} through a
 *       pair of {@link SynchronousQueue}s, the JDK's ready-made idiom (it spins a little before parking).
 *   <li>spawn: {@code Thread.ofVirtual().start(futureTask)}, then {@code futureTask.get()} on each.
 *   <li>memory: virtual threads in {@code Thread.sleep(1 hour)}, then interrupted and joined.
 *   <li>timers: a {@code ScheduledThreadPoolExecutor(1)}; no virtual thread involved.
 * </ul>
 */
public final class VirtualThreadBench {
    private VirtualThreadBench() {}

    public static void main(String[] args) throws Exception {
        String handoff = "park";
        String[] rest = args;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--handoff")) {
                handoff = args[i + 1];
                String[] copy = new String[args.length - 2];
                System.arraycopy(args, 0, copy, 0, i);
                System.arraycopy(args, i + 2, copy, i, args.length - i - 2);
                rest = copy;
                break;
            }
        }
        if (!handoff.equals("park") && !handoff.equals("queue")) {
            System.err.println("--handoff must be park or queue");
            System.exit(2);
        }
        Bench b = Bench.parse("VirtualThreadBench", rest);
        switch (b.workload) {
            case Bench.SWITCH -> switchBench(b, handoff);
            case Bench.SPAWN -> spawnBench(b);
            case Bench.MEMORY -> memoryBench(b);
            case Bench.TIMERS -> timersBench(b);
            default -> throw new AssertionError(b.workload);
        }
    }

    // ---- switch ---------------------------------------------------------------------------------------------

    /** One direction of the ping-pong. */
    private interface Channel {
        void put(int v) throws InterruptedException;

        int take() throws InterruptedException;
    }

    /**
     * A single-slot handoff on park/unpark: the taker publishes itself and parks until the slot is full; the putter
     * fills the slot and unparks the taker. Both fields are volatile, so either the putter sees the waiter or the
     * taker sees the value before parking.
     */
    private static final class ParkSlot implements Channel {
        private volatile boolean full;
        private int value;
        private volatile Thread waiter;

        @Override
        public void put(int v) {
            value = v;
            full = true;
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }

        @Override
        public int take() {
            waiter = Thread.currentThread();
            while (!full) {
                LockSupport.park(this);
            }
            waiter = null;
            full = false;
            return value;
        }
    }

    private static final class QueueSlot implements Channel {
        private final SynchronousQueue<Integer> queue = new SynchronousQueue<>();

        @Override
        public void put(int v) throws InterruptedException {
            queue.put(v);
        }

        @Override
        public int take() throws InterruptedException {
            return queue.take();
        }
    }

    private static long pingPong(int handoffs, String kind) throws Exception {
        int rounds = handoffs / 2;
        Channel toB = kind.equals("park") ? new ParkSlot() : new QueueSlot();
        Channel toA = kind.equals("park") ? new ParkSlot() : new QueueSlot();
        long[] elapsed = new long[1];
        int[] results = new int[2];
        Thread b = Thread.ofVirtual().start(() -> {
            try {
                int last = 0;
                for (int i = 0; i < rounds; i++) {
                    last = toB.take();
                    toA.put(last + 1);
                }
                results[1] = last;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread a = Thread.ofVirtual().start(() -> {
            try {
                long t0 = System.nanoTime();
                int got = 0;
                for (int i = 0; i < rounds; i++) {
                    toB.put(i);
                    got = toA.take();
                }
                elapsed[0] = System.nanoTime() - t0;
                results[0] = got;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        a.join();
        b.join();
        if (results[0] != rounds || results[1] != rounds - 1) {
            throw new AssertionError("lost a value");
        }
        return elapsed[0];
    }

    private static void switchBench(Bench b, String kind) throws Exception {
        int n = b.count - b.count % 2;
        for (int w = 0; w < b.warmup; w++) {
            pingPong(b.warmupCount() - b.warmupCount() % 2, kind);
        }
        long nanos = pingPong(n, kind);
        new Bench.Result(kind.equals("park") ? "jdk-vt" : "jdk-vt-queue", b)
                .value((double) nanos / n, "ns/switch")
                .extra("wall_s", Bench.seconds(nanos))
                .extra("switches_per_s", n / Bench.seconds(nanos))
                .extra("handoff", kind)
                .print();
    }

    // ---- spawn ----------------------------------------------------------------------------------------------

    private static long spawnAndAwait(int n) throws InterruptedException, ExecutionException {
        @SuppressWarnings("unchecked")
        FutureTask<Integer>[] tasks = new FutureTask[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int v = i;
            FutureTask<Integer> f = new FutureTask<>(() -> v);
            Thread.ofVirtual().start(f);
            tasks[i] = f;
        }
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += tasks[i].get();
        }
        long elapsed = System.nanoTime() - t0;
        if (sum != (long) n * (n - 1) / 2) {
            throw new AssertionError("wrong sum " + sum);
        }
        return elapsed;
    }

    private static void spawnBench(Bench b) throws Exception {
        // Driven from a virtual thread, like the Spindle version's main coroutine.
        long[] nanos = new long[1];
        Thread driver = Thread.ofVirtual().start(() -> {
            try {
                for (int w = 0; w < b.warmup; w++) {
                    spawnAndAwait(b.warmupCount());
                }
                nanos[0] = spawnAndAwait(b.count);
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        });
        driver.join();
        new Bench.Result("jdk-vt", b)
                .value(b.count / Bench.seconds(nanos[0]), "tasks/s")
                .extra("wall_s", Bench.seconds(nanos[0]))
                .extra("ns_per_task", (double) nanos[0] / b.count)
                .print();
    }

    // ---- memory ---------------------------------------------------------------------------------------------

    private static void memoryBench(Bench b) throws Exception {
        int n = b.count;
        Thread[] threads = new Thread[n];
        AtomicInteger started = new AtomicInteger();
        long heap0 = Bench.heapUsedAfterGc();
        long nonHeap0 = Bench.nonHeapUsed();
        long rss0 = Bench.rssBytes();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            threads[i] = Thread.ofVirtual().start(() -> {
                started.incrementAndGet();
                try {
                    Thread.sleep(3_600_000);
                } catch (InterruptedException expected) {
                    // the teardown
                }
            });
        }
        while (started.get() < n) {
            Thread.sleep(1);
        }
        for (Thread t : threads) { // each has counted itself; wait until it is really asleep
            while (t.getState() != Thread.State.TIMED_WAITING) {
                Thread.sleep(1);
            }
        }
        long startNanos = System.nanoTime() - t0;
        long heap1 = Bench.heapUsedAfterGc();
        long nonHeap1 = Bench.nonHeapUsed();
        long rss1 = Bench.rssBytes();

        long t1 = System.nanoTime();
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            t.join();
        }
        long teardownNanos = System.nanoTime() - t1;
        new Bench.Result("jdk-vt", b)
                .value((double) (rss1 - rss0) / n, "B/coroutine (RSS)")
                .extra("rss_delta_mib", (rss1 - rss0) / 1048576.0)
                .extra("heap_b_per_coroutine", (double) (heap1 - heap0) / n)
                .extra("heap_delta_mib", (heap1 - heap0) / 1048576.0)
                .extra("nonheap_delta_mib", (nonHeap1 - nonHeap0) / 1048576.0)
                .extra("start_s", Bench.seconds(startNanos))
                .extra("cancel_s", Bench.seconds(teardownNanos))
                .print();
    }

    // ---- timers ---------------------------------------------------------------------------------------------

    private static long[] timers(int n, long maxDelayNanos, long seed) throws InterruptedException {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
        try {
            SplittableRandom random = new SplittableRandom(seed);
            CountDownLatch allFired = new CountDownLatch(1);
            int[] fired = {0}; // only the executor's one thread touches it
            Runnable tick = () -> {
                if (++fired[0] == n) {
                    allFired.countDown();
                }
            };
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                timer.schedule(tick, (long) (random.nextDouble() * maxDelayNanos), TimeUnit.NANOSECONDS);
            }
            long scheduled = System.nanoTime() - t0;
            allFired.await();
            long total = System.nanoTime() - t0;
            return new long[] {total, scheduled};
        } finally {
            timer.shutdownNow();
        }
    }

    private static void timersBench(Bench b) throws Exception {
        for (int w = 0; w < b.warmup; w++) {
            timers(b.warmupCount(), b.maxDelayNanos / 10, b.seed + w + 1);
        }
        long cpu0 = Bench.processCpuNanos();
        long[] t = timers(b.count, b.maxDelayNanos, b.seed);
        long cpu = Bench.processCpuNanos() - cpu0;
        new Bench.Result("jdk-vt", b)
                .value(b.count / Bench.seconds(t[0]), "timers/s")
                .extra("wall_s", Bench.seconds(t[0]))
                .extra("schedule_s", Bench.seconds(t[1]))
                .extra("max_delay_s", Bench.seconds(b.maxDelayNanos))
                .extra("late_s", Bench.seconds(t[0] - b.maxDelayNanos))
                .extra("cpu_s", Bench.seconds(cpu))
                .extra("timers_per_cpu_s", b.count / Bench.seconds(cpu))
                .extra("threads", "1 timer thread + the scheduling thread")
                .print();
    }
}
