package dev.spindle.web.internal;

import dev.spindle.Spindle;
import dev.spindle.observe.Metrics;
import dev.spindle.observe.PoolMetrics;
import dev.spindle.web.HTTPException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bounded pool that runs {@link dev.spindle.web.OnWorker} handlers: {@code threads} platform threads (daemons,
 * started on demand, idle ones retired after 30 s) and a queue of {@code queue} waiting calls; a call that finds both
 * full is answered 503. Created by the first call, so an app without worker routes starts no thread. While it runs it
 * is registered with core's {@link Metrics} as a pool of kind {@code web-workers} named {@code spindle-web-worker-<n>}
 * (threads as its size, running calls in use, queued calls as waiters, time spent queued as wait time).
 */
public final class WorkerPool {
    /** A call to run: the handler's, throwing what it throws. */
    @FunctionalInterface
    public interface Call {
        Object call() throws Throwable;
    }

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final int queue;
    private volatile ThreadPoolExecutor executor;
    private AutoCloseable registration;
    private final LongAdder calls = new LongAdder();
    private final LongAdder queuedNanos = new LongAdder();

    public WorkerPool(int threads, int queue) {
        this.threads = threads;
        this.queue = queue;
    }

    /** Runs {@code call} on the pool and waits for it (parking only the calling coroutine). */
    public Object run(Call call) throws Throwable {
        ThreadPoolExecutor e = executor();
        long submitted = System.nanoTime();
        try {
            return Spindle.runInExecutor(e, () -> {
                queuedNanos.add(System.nanoTime() - submitted);
                calls.increment();
                try {
                    return call.call();
                } catch (Exception | Error x) {
                    throw x;
                } catch (Throwable t) {
                    throw new UndeclaredThrowableException(t);
                }
            });
        } catch (RejectedExecutionException full) {
            throw new HTTPException(503, "Service Unavailable", Map.of("Retry-After", "1"));
        }
    }

    private ThreadPoolExecutor executor() {
        ThreadPoolExecutor e = executor;
        if (e == null) {
            synchronized (this) {
                e = executor;
                if (e == null) {
                    int pool = POOLS.incrementAndGet();
                    AtomicInteger n = new AtomicInteger();
                    e = new ThreadPoolExecutor(
                            threads,
                            threads,
                            30,
                            TimeUnit.SECONDS,
                            new ArrayBlockingQueue<>(queue),
                            r -> Thread.ofPlatform()
                                    .daemon()
                                    .name("spindle-web-worker-" + pool + "-" + n.incrementAndGet())
                                    .unstarted(r),
                            new ThreadPoolExecutor.AbortPolicy());
                    e.allowCoreThreadTimeOut(true);
                    registration = Metrics.register(new Figures("spindle-web-worker-" + pool, e));
                    executor = e;
                }
            }
        }
        return e;
    }

    /** Stops the threads once the calls under way end (the app's shutdown); a later call starts new ones. */
    public synchronized void close() {
        if (executor != null) {
            executor.shutdown();
            executor = null;
            try {
                registration.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot unregister the worker pool's metrics", e);
            }
            registration = null;
        }
    }

    /** The pool's figures for core's metrics (read from any thread). */
    private final class Figures implements PoolMetrics {
        private final String name;
        private final ThreadPoolExecutor executor;

        Figures(String name, ThreadPoolExecutor executor) {
            this.name = name;
            this.executor = executor;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String kind() {
            return "web-workers";
        }

        @Override
        public int size() {
            return executor.getPoolSize();
        }

        @Override
        public int inUse() {
            return executor.getActiveCount();
        }

        @Override
        public int maxSize() {
            return threads;
        }

        @Override
        public int waiters() {
            return executor.getQueue().size();
        }

        @Override
        public long acquisitions() {
            return calls.sum();
        }

        @Override
        public long totalWaitNanos() {
            return queuedNanos.sum();
        }
    }
}
