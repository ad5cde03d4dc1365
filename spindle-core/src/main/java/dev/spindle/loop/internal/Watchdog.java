package dev.spindle.loop.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spindle's one sampler thread: a daemon that looks at loops from outside, for everything that watches them without
 * costing their hot path. Started on first use; idle (parked) while nobody watches.
 *
 * <ul>
 *   <li>Debug mode: for every loop in debug mode, a few times per slow-step limit, when a step has held its loop past
 *       the limit, records the stack of the coroutine (or callback) still running it; the loop reports the step when
 *       it ends, and the stack tells where the time went.
 *   <li>{@link Job}s added by observers: the stall watchdog (which spots long steps from the loop's step counter, so
 *       that loops pay no clock read per step) and the lag probes of metrics.
 * </ul>
 */
public final class Watchdog implements Runnable {
    /** Work for the sampler thread. */
    public interface Job {
        /**
         * Looks at the loops once; returns the nanoseconds until it wants to look again. Runs on the sampler thread;
         * must be quick (it delays the other jobs) and should not throw (what it throws is logged).
         */
        long sample(long nowNanos);
    }

    private static final long IDLE = TimeUnit.MILLISECONDS.toNanos(250);
    private static final Set<EventLoop> LOOPS = ConcurrentHashMap.newKeySet();
    private static final Set<Job> JOBS = ConcurrentHashMap.newKeySet();
    private static Thread sampler;

    private Watchdog() {}

    static void watch(EventLoop loop) {
        LOOPS.add(loop);
        wake();
    }

    static void unwatch(EventLoop loop) {
        LOOPS.remove(loop);
    }

    /** Runs {@code job} on the sampler thread until {@link #remove}d. Thread-safe. */
    public static void add(Job job) {
        JOBS.add(job);
        wake();
    }

    public static void remove(Job job) {
        JOBS.remove(job);
    }

    private static synchronized void wake() {
        if (sampler == null) {
            sampler = Thread.ofPlatform().daemon().name("spindle-watchdog").start(new Watchdog());
        } else {
            LockSupport.unpark(sampler);
        }
    }

    @Override
    public void run() {
        while (!Thread.currentThread().isInterrupted()) {
            long period = LOOPS.isEmpty() && JOBS.isEmpty() ? IDLE : TimeUnit.MILLISECONDS.toNanos(25);
            for (EventLoop loop : LOOPS) {
                period = Math.min(period, Math.max(TimeUnit.MILLISECONDS.toNanos(1), loop.slowNanos() / 4));
                sampleDebug(loop);
            }
            for (Job job : JOBS) {
                try {
                    period =
                            Math.min(period, Math.max(TimeUnit.MILLISECONDS.toNanos(1), job.sample(System.nanoTime())));
                } catch (Throwable e) {
                    System.getLogger("dev.spindle")
                            .log(System.Logger.Level.ERROR, "a Spindle watchdog job failed: " + job, e);
                }
            }
            LockSupport.parkNanos(this, period);
        }
    }

    private static void sampleDebug(EventLoop loop) {
        long start = loop.stepStartNanos;
        long number = loop.stepNumber;
        if (start != 0 && System.nanoTime() - start >= loop.slowNanos() && loop.stepStackNumber != number) {
            Thread t = loop.stepThread;
            if (t != null) {
                StackTraceElement[] stack = t.getStackTrace();
                if (loop.stepNumber == number && loop.stepStartNanos == start) {
                    loop.stepStack = stack;
                    loop.stepStackNumber = number;
                }
            }
        }
    }
}
