package dev.spindle.observe;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A ready-made {@link PoolMetrics} for a pool to update as it works, registered with {@link Metrics} from
 * {@link #register} until {@link #close()}. The pool (on its loop) calls the setters; any thread reads the figures.
 *
 * {@snippet :
 * PoolCounters counters = PoolCounters.register("redis", "127.0.0.1:6379", 8); // when the pool opens
 * // in acquire():
 * counters.addWaiters(1);
 * long t0 = System.nanoTime();
 * permits.acquire();
 * counters.addWaiters(-1);
 * counters.acquired(System.nanoTime() - t0);
 * counters.addInUse(1);
 * // when the pool closes:
 * counters.close();
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Names: a pool is registered under its kind and name; when that pair is taken (two clients of the same
 *       server), the name gets a suffix {@code #2}, {@code #3}... ({@link #name()} tells which).
 *   <li>Cost: each update is one atomic add; thread-safe, from any thread; readers never lock. Figures read
 *       together may come from slightly different moments.
 *   <li>{@link #close()} unregisters (idempotent); the counters stay readable.
 * </ul>
 */
public final class PoolCounters implements PoolMetrics, AutoCloseable {
    private final String kind;
    private final String name;
    private final int maxSize;
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger waiters = new AtomicInteger();
    private final LongAdder acquisitions = new LongAdder();
    private final LongAdder waitNanos = new LongAdder();
    private volatile AutoCloseable registration;

    private PoolCounters(String kind, String name, int maxSize) {
        this.kind = kind;
        this.name = name;
        this.maxSize = maxSize;
    }

    /**
     * New counters, registered with {@link Metrics} under {@code kind} and {@code name} (suffixed {@code #2},
     * {@code #3}... if taken).
     *
     * @throws IllegalArgumentException if {@code maxSize} is negative
     */
    public static PoolCounters register(String kind, String name, int maxSize) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (maxSize < 0) {
            throw new IllegalArgumentException("a pool's maxSize cannot be negative: " + maxSize);
        }
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (PoolMetrics p : Metrics.pools()) {
            if (p.kind().equals(kind)) {
                taken.add(p.name());
            }
        }
        for (int n = 1; ; n++) {
            String candidate = n == 1 ? name : name + "#" + n;
            if (taken.contains(candidate)) {
                continue;
            }
            PoolCounters c = new PoolCounters(kind, candidate, maxSize);
            try {
                c.registration = Metrics.register(c);
                return c;
            } catch (IllegalArgumentException takenMeanwhile) {
                // another thread registered a pool of this kind under the name since the look: try the next suffix
            }
        }
    }

    /** Adds {@code delta} to the connections open. */
    public void addSize(int delta) {
        size.addAndGet(delta);
    }

    /** Adds {@code delta} to the connections lent. */
    public void addInUse(int delta) {
        inUse.addAndGet(delta);
    }

    /** Adds {@code delta} to the waiters. */
    public void addWaiters(int delta) {
        waiters.addAndGet(delta);
    }

    /** Counts one acquisition that waited {@code waitedNanos}. */
    public void acquired(long waitedNanos) {
        acquisitions.increment();
        if (waitedNanos > 0) {
            waitNanos.add(waitedNanos);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return kind;
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
        return maxSize;
    }

    @Override
    public int waiters() {
        return waiters.get();
    }

    @Override
    public long acquisitions() {
        return acquisitions.sum();
    }

    @Override
    public long totalWaitNanos() {
        return waitNanos.sum();
    }

    /** Unregisters from {@link Metrics}; idempotent. */
    @Override
    public void close() {
        AutoCloseable r = registration;
        registration = null;
        if (r != null) {
            try {
                r.close();
            } catch (Exception e) {
                throw new IllegalStateException("unregistering pool " + kind + " " + name + " failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "PoolCounters[" + kind + " " + name + ": " + size() + " open, " + inUse() + " in use, " + waiters()
                + " waiting, " + acquisitions() + " acquisitions]";
    }
}
