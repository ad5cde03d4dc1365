package dev.spindle.loop.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Debug mode's sampler: a daemon thread that looks at every loop in debug mode a few times per slow-step limit and,
 * when a step has held its loop past the limit, records the stack of the coroutine (or callback) still running it.
 * The loop reports the step when it ends; the stack tells where the time went.
 */
final class Watchdog implements Runnable {
    private static final Set<EventLoop> LOOPS = ConcurrentHashMap.newKeySet();
    private static Thread sampler;

    static synchronized void watch(EventLoop loop) {
        LOOPS.add(loop);
        if (sampler == null) {
            sampler = Thread.ofPlatform().daemon().name("spindle-watchdog").start(new Watchdog());
        }
    }

    static void unwatch(EventLoop loop) {
        LOOPS.remove(loop);
    }

    @Override
    public void run() {
        while (true) {
            long period = TimeUnit.MILLISECONDS.toNanos(25);
            for (EventLoop loop : LOOPS) {
                period = Math.min(period, Math.max(TimeUnit.MILLISECONDS.toNanos(1), loop.slowNanos() / 4));
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
            try {
                TimeUnit.NANOSECONDS.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
