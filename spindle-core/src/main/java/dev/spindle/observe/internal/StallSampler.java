package dev.spindle.observe.internal;

import dev.spindle.loop.internal.Carrier;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.loop.internal.LoopDirectory;
import dev.spindle.loop.internal.Watchdog;
import dev.spindle.observe.Stall;
import dev.spindle.task.Task;
import dev.spindle.task.internal.TaskIntrospection;
import java.time.Duration;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Not API: the stall watchdog's job on the {@link Watchdog} thread. Per loop it remembers the step it saw running (the
 * loop's current entry and step count) and since when; a step seen across the threshold is stalled: its stack and
 * whether it pins its carrier are taken, and it is reported once, when it ends or after the ongoing limit.
 */
public final class StallSampler implements Watchdog.Job {
    /** Made on first use: the first {@link System#getLogger} looks the logging backend up (10-20 ms cold). */
    private static final class Log {
        static final System.Logger LOG = System.getLogger("dev.spindle");
    }

    private static StallSampler jfrSampler;

    private final long threshold;
    private final long period;
    private final long ongoing;
    private final Consumer<? super Stall> listener;
    /** Whether this sampler commits dev.spindle.SlowStep (only the one started for JFR does, so none is doubled). */
    private final boolean forJfr;

    private final Map<EventLoop, Seen> seen = new IdentityHashMap<>();
    private long lastSample;
    private volatile boolean stopped;

    /** What the sampler saw of one loop. Sampler thread only. */
    private static final class Seen {
        long count = -1;
        Runnable step;
        long since;
        long lastSame;
        boolean stalled;
        boolean reported;
        boolean pinned;
        Thread thread;
        /** The task of the stalled step, found while it runs (a thread that ended no longer names its task). */
        Task<?> task;

        StackTraceElement[] stack;
    }

    private StallSampler(long threshold, Consumer<? super Stall> listener, boolean forJfr) {
        this.threshold = threshold;
        this.period =
                Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(TimeUnit.MILLISECONDS.toNanos(10), threshold / 8));
        this.ongoing = Math.max(TimeUnit.SECONDS.toNanos(1), threshold * 10);
        this.listener = listener;
        this.forJfr = forJfr;
    }

    public static StallSampler start(Duration threshold, Consumer<? super Stall> listener, boolean forJfr) {
        StallSampler s = new StallSampler(saturated(threshold), listener, forJfr);
        EventLoop.observeSteps(true); // loops now record each step, which is what this sampler compares
        Watchdog.add(s);
        return s;
    }

    /**
     * With {@code -Dspindle.stallThreshold=<duration>} (like {@code 200ms}, {@code 1s} or {@code PT0.2S}): a watchdog for
     * the whole process, logging. Called when the first loop is made.
     */
    public static void fromProperty() {
        String p = System.getProperty("spindle.stallThreshold");
        if (p != null && !p.isBlank()) {
            start(parse(p, "spindle.stallThreshold"), StallSampler::log, false);
        }
    }

    /**
     * Once JFR runs: the sampler that commits {@code dev.spindle.SlowStep}, at {@code -Dspindle.jfr.slowStepThreshold}
     * (100 ms by default).
     */
    static synchronized void forJfr() {
        if (jfrSampler == null) {
            String p = System.getProperty("spindle.jfr.slowStepThreshold", "100ms");
            jfrSampler = start(parse(p, "spindle.jfr.slowStepThreshold"), s -> {}, true);
        }
    }

    /** Parses {@code 200ms}, {@code 2s}, {@code 500us} or an ISO-8601 duration. */
    public static Duration parse(String text, String what) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(
                        Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            if (t.endsWith("us")) {
                return Duration.ofNanos(
                        1000 * Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(
                        1000 * Double.parseDouble(t.substring(0, t.length() - 1).trim())));
            }
            return Duration.ofMillis(Long.parseLong(t));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + ": not a duration: '" + text + "' (try 200ms, 1s or PT0.2S)", e);
        }
    }

    private static long saturated(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    public long thresholdNanos() {
        return threshold;
    }

    public long ongoingNanos() {
        return ongoing;
    }

    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        Watchdog.remove(this);
        EventLoop.observeSteps(false);
    }

    public static void log(Stall s) {
        Log.LOG.log(System.Logger.Level.WARNING, "stalled loop: " + s.toText());
    }

    @Override
    public long sample(long now) {
        if (stopped) {
            return period;
        }
        long previous = lastSample == 0 ? now - period : lastSample;
        lastSample = now;
        List<EventLoop> loops = LoopDirectory.all();
        Set<EventLoop> live = new HashSet<>(loops);
        seen.keySet().retainAll(live);
        for (EventLoop loop : loops) {
            Seen s = seen.computeIfAbsent(loop, l -> new Seen());
            Runnable step = loop.currentStep();
            long count = loop.stepCount();
            if (step == null || count != s.count || step != s.step) {
                if (s.stalled && !s.reported) {
                    long held = (s.lastSame + now) / 2 - s.since;
                    report(loop, s, held, true);
                }
                s.count = step == null ? -1 : count;
                s.step = step;
                s.since = (previous + now) / 2; // it began between the last sample and this one
                s.lastSame = now;
                s.stalled = false;
                s.reported = false;
                s.pinned = false;
                s.thread = null;
                s.task = null;
                s.stack = null;
                continue;
            }
            s.lastSame = now;
            long held = now - s.since;
            if (!s.stalled && held >= threshold) {
                s.stalled = true;
                Thread t = Carrier.virtualThreadOf(step);
                s.thread = t != null ? t : loop.runningThread();
                s.task = TaskIntrospection.taskOf(t);
                s.stack = stackOf(s.thread);
            }
            if (s.stalled && s.stack != null && s.stack.length == 0) {
                s.stack = stackOf(s.thread); // caught between mount and run: look again
            }
            if (s.stalled && !s.pinned && s.thread != null && s.thread.isVirtual()) {
                Thread.State st = s.thread.getState();
                // Mounted on the loop's thread, yet waiting: it blocked without unmounting.
                s.pinned = st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING || st == Thread.State.BLOCKED;
                if (s.pinned) {
                    s.stack = stackOf(s.thread); // where it blocked
                }
            }
            if (s.stalled && !s.reported && held >= ongoing) {
                report(loop, s, held, false);
            }
        }
        return period;
    }

    private static StackTraceElement[] stackOf(Thread t) {
        try {
            return t == null ? new StackTraceElement[0] : t.getStackTrace();
        } catch (RuntimeException e) {
            return new StackTraceElement[0];
        }
    }

    private void report(EventLoop loop, Seen s, long held, boolean ended) {
        s.reported = true;
        Task<?> task = s.task;
        long taskId = task == null ? 0 : TaskIntrospection.id(task);
        String step = task != null ? "Task '" + task.name() + "' #" + taskId : "callback " + s.step;
        Stall stall = new Stall(
                loop.name(),
                taskId,
                step,
                Duration.ofNanos(Math.max(held, threshold)),
                ended,
                s.pinned,
                List.of(s.stack == null ? new StackTraceElement[0] : s.stack));
        if (forJfr) {
            if (Jfr.on) {
                SlowSteps.commit(stall);
            }
            return;
        }
        try {
            listener.accept(stall);
        } catch (Throwable e) {
            Log.LOG.log(System.Logger.Level.ERROR, "the stall watchdog's listener failed", e);
        }
    }

    /** Kept apart: the event class loads only once JFR runs. */
    private static final class SlowSteps {
        static void commit(Stall stall) {
            SlowStepEvent e = new SlowStepEvent();
            if (e.shouldCommit()) {
                e.loop = stall.loop();
                e.taskId = stall.taskId();
                e.step = stall.step();
                e.heldNanos = stall.held().toNanos();
                e.ended = stall.ended();
                e.pinned = stall.pinned();
                StringBuilder b = new StringBuilder();
                for (StackTraceElement f : stall.stack()) {
                    b.append(f).append('\n');
                }
                e.stack = b.toString();
                e.commit();
            }
        }
    }

    @Override
    public String toString() {
        return "StallSampler[" + Duration.ofNanos(threshold) + (forJfr ? ", JFR" : "") + "]";
    }
}
