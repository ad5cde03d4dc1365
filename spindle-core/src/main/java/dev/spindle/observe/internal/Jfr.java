package dev.spindle.observe.internal;

import dev.spindle.task.Task;

/**
 * Not API: the gate in front of Spindle's JFR events. Loading a JFR event class when JFR has never started makes the
 * JDK instrument it, which costs hundreds of milliseconds; so no event class is touched until a recording exists.
 * {@link #on} becomes true when JFR initialises in this JVM (at start with {@code -XX:StartFlightRecording}, or later
 * with {@code jcmd <pid> JFR.start} or a {@code jdk.jfr.Recording}); from then on each event is checked with JFR's own
 * {@code isEnabled()}/{@code shouldCommit()}, so events a recording does not enable still cost one check.
 *
 * <p>The hot paths read only {@link #on}: one volatile load (a plain load on x86), false unless JFR ever started.
 */
public final class Jfr {
    /** Whether JFR has initialised in this JVM. */
    public static volatile boolean on;

    private static boolean watching;

    private Jfr() {}

    /**
     * Asks JFR to say when it initialises; called once, when the first loop is made. Does nothing when the
     * {@code jdk.jfr} module is absent, or with {@code -Dspindle.jfr=false}.
     */
    public static synchronized void watchForRecordings() {
        if (watching || "false".equals(System.getProperty("spindle.jfr"))) {
            return;
        }
        watching = true;
        try {
            JfrListener.register();
        } catch (LinkageError | RuntimeException noJfr) {
            // a runtime image without jdk.jfr, or a security manager in the way: no events
        }
    }

    /** Called on JFR's thread when it initialises: opens the gate, and registers the periodic event elsewhere. */
    static void initialised() {
        on = true;
        Thread.ofPlatform().daemon().name("spindle-jfr-setup").start(Jfr::setUp);
    }

    private static void setUp() {
        try {
            jdk.jfr.FlightRecorder.addPeriodicEvent(LoopLagEvent.class, LagProbes::jfrTick);
            StallSampler.forJfr();
        } catch (RuntimeException | LinkageError e) {
            System.getLogger("dev.spindle").log(System.Logger.Level.WARNING, "Spindle's JFR events are off", e);
        }
    }

    /** At spawn, with the gate open: commits TaskSpawned if enabled; returns the begun TaskFinished event, or null. */
    public static TaskFinishedEvent spawned(Task<?> task) {
        TaskSpawnedEvent s = new TaskSpawnedEvent();
        if (s.shouldCommit()) {
            s.fill(task);
            s.commit();
        }
        if (!TaskFinishedEvent.recorded()) {
            return null;
        }
        TaskFinishedEvent f = new TaskFinishedEvent();
        f.begin();
        f.spawned = task;
        return f;
    }

    /** When a task whose life is timed finishes. */
    public static void finished(TaskFinishedEvent e, String outcome, Throwable failure) {
        e.end();
        Task<?> task = e.spawned;
        e.spawned = null;
        if (e.shouldCommit()) {
            e.fill(task, outcome, failure);
            e.commit();
        }
    }

    /** Kept apart so that {@link Jfr} loads without {@code jdk.jfr}. */
    private static final class JfrListener implements jdk.jfr.FlightRecorderListener {
        static void register() {
            jdk.jfr.FlightRecorder.addListener(new JfrListener());
        }

        @Override
        public void recorderInitialized(jdk.jfr.FlightRecorder recorder) {
            initialised();
        }
    }
}
