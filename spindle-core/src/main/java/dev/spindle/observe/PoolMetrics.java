package dev.spindle.observe;

/**
 * Live figures of a connection pool, for metrics systems: implemented by the pools of Spindle's clients (HTTP, Redis,
 * MySQL) and registered with {@link Metrics#register(PoolMetrics)}. Every method is called from any thread (a metrics
 * scrape), so each must be cheap and thread-safe: read a volatile or an atomic counter, never take the loop.
 *
 * {@snippet :
 * final class RedisPool implements PoolMetrics {
 *     private volatile int size, inUse, waiters;
 *     private final LongAdder acquired = new LongAdder(), waitNanos = new LongAdder();
 *     public String name() { return "redis://cache:6379"; }
 *     public String kind() { return "redis"; }
 *     public int size() { return size; }
 *     public int inUse() { return inUse; }
 *     public int maxSize() { return 16; }
 *     public int waiters() { return waiters; }
 *     public long acquisitions() { return acquired.sum(); }
 *     public long totalWaitNanos() { return waitNanos.sum(); }
 * }
 * AutoCloseable registration = Metrics.register(pool); // close() when the pool closes
 * }
 */
public interface PoolMetrics {
    /** The pool's name, unique with its kind: what it connects to, typically. */
    String name();

    /** What it pools: {@code http}, {@code redis}, {@code mysql}... */
    String kind();

    /** Connections open now (in use and idle). */
    int size();

    /** Connections lent out now. */
    int inUse();

    /** The most connections it may open. */
    int maxSize();

    /** Coroutines waiting for a connection now. */
    int waiters();

    /** Connections ever handed out (a counter). */
    long acquisitions();

    /** Nanoseconds spent waiting for a connection, summed over all acquisitions (a counter). */
    long totalWaitNanos();
}
