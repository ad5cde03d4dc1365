package dev.spindle.web.internal;

import dev.spindle.Spindle;
import dev.spindle.web.HTTPException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool that runs {@link dev.spindle.web.OnWorker} handlers: {@code threads} platform threads (daemons,
 * started on demand, idle ones retired after 30 s) and a queue of {@code queue} waiting calls; a call that finds both
 * full is answered 503. Created by the first call, so an app without worker routes starts no thread.
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

    public WorkerPool(int threads, int queue) {
        this.threads = threads;
        this.queue = queue;
    }

    /** Runs {@code call} on the pool and waits for it (parking only the calling coroutine). */
    public Object run(Call call) throws Throwable {
        ThreadPoolExecutor e = executor();
        try {
            return Spindle.runInExecutor(e, () -> {
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
        }
    }
}
