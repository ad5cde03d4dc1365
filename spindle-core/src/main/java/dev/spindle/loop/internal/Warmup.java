package dev.spindle.loop.internal;

import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import dev.spindle.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs Spindle's wait and wake paths a few thousand times, once per JVM, when the first real loop is made.
 *
 * <p>Why: the JIT compiles the code around {@code LockSupport.park} while coroutines are parking, before any has
 * woken, so it compiles the wake-up path as never taken. Every coroutine parked in that code then deoptimizes its
 * own frame when it resumes: a program that parks a million coroutines and then wakes or cancels them all spent
 * 13 to 20 s doing so. Waking and cancelling a couple of thousand coroutines first, on a loop of its own, puts
 * the wake-up path into the profile: measured, waking a million parked coroutines then took 1.3 to 1.5 s instead of
 * 12.8 s, and cancelling them 4 to 5 s instead of 20 s. It runs on a daemon thread beside the first loop (about
 * 50 ms of one core; its loop is in no dump or metric); {@code -Dspindle.warmup=false} skips it.
 *
 * <p>A JVM started from an AOT cache ({@code -XX:AOTCache}, JDK 25) skips it too: the cache holds the method profiles
 * of its training run (JEP 515), which ran this warm-up, so the wake-up path is in the profile from the start, and
 * on two cores the warm-up only competed with the program's first requests (about 85 ms of a web app's first one).
 * The check runs on the warm-up's own thread, so it costs the program's start nothing.
 */
final class Warmup {
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private static final int ROUNDS = Integer.getInteger("spindle.warmupRounds", 2);

    private Warmup() {}

    static void once() {
        if (!Boolean.parseBoolean(System.getProperty("spindle.warmup", "true")) || !DONE.compareAndSet(false, true)) {
            return;
        }
        // Beside the program's own first coroutines, not before them: what matters is that the wake-up path is in
        // the profile before the JIT compiles the waiting code, which takes thousands of calls, while the warm-up
        // needs about 50 ms; so the program's start no longer waits for it (on a loaded machine it took 300 to
        // 600 ms, the largest item of a web app's start-up).
        Thread.ofPlatform().name("spindle-warmup").daemon().start(new Runner());
    }

    /**
     * Whether the method profiles that this warm-up provides are already there: the JVM was started with an AOT cache
     * ({@code aotCache}, the value of {@code -XX:AOTCache}, empty when not given) and mapped a shared archive
     * ({@code vmInfo}, {@code java.vm.info}, names "sharing" then). A cache given but not usable (another class path,
     * another JDK) leaves the JVM without sharing, and the warm-up runs. A training run ({@code -XX:AOTCacheOutput} or
     * {@code -XX:AOTMode=record}) gives no {@code AOTCache}, so it runs the warm-up and its profile is recorded.
     */
    static boolean profiledByAotCache(String aotCache, String vmInfo) {
        return aotCache != null && !aotCache.isBlank() && vmInfo != null && vmInfo.contains("sharing");
    }

    /** {@link #profiledByAotCache(String, String)} for this JVM; false when HotSpot's options cannot be read. */
    static boolean runningFromAotCache() {
        try {
            var hotspot = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            String cache =
                    hotspot == null ? "" : hotspot.getVMOption("AOTCache").getValue();
            return profiledByAotCache(cache, System.getProperty("java.vm.info"));
        } catch (RuntimeException | LinkageError e) {
            return false; // not HotSpot, an older JDK without the option, or no jdk.management: warm up
        }
    }

    private static final class Runner implements Runnable {
        @Override
        public void run() {
            if (runningFromAotCache()) {
                return;
            }
            EventLoop loop = new EventLoop(Clock.system(), false);
            try {
                loop.runUntilComplete(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        LoopFuture<Void> gate = loop.createFuture();
                        List<Task<Void>> tasks = new ArrayList<>(1000);
                        for (int i = 0; i < 500; i++) {
                            tasks.add(Task.spawn(loop, null, () -> {
                                gate.await();
                            }));
                            tasks.add(Task.spawn(loop, null, () -> dev.spindle.Spindle.sleep(Duration.ofHours(1))));
                        }
                        dev.spindle.Spindle.sleep(Duration.ZERO);
                        gate.setResult(null);
                        for (Task<Void> t : tasks) {
                            t.cancel();
                        }
                        for (Task<Void> t : tasks) {
                            try {
                                t.await();
                            } catch (RuntimeException expected) {
                                // cancelled
                            }
                        }
                    }
                    return null;
                });
            } catch (RuntimeException | Error e) {
                // a warm-up that fails costs nothing but speed
            } finally {
                loop.close();
            }
        }
    }
}
