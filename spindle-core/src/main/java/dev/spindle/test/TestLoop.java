package dev.spindle.test;

import dev.spindle.loop.ExceptionContext;
import dev.spindle.loop.Loop;
import dev.spindle.loop.LoopInterrupted;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.loop.internal.VirtualTime;
import dev.spindle.task.Coroutine;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import dev.spindle.task.Tasks;
import dev.spindle.task.VoidCoroutine;
import dev.spindle.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A loop for tests: on virtual time by default, so that sleeps, {@code callLater}, timeouts and {@code waitFor}
 * end at once in real time while the loop's clock advances exactly as if they had waited; and a {@link #run} that
 * fails the test when it leaves tasks running, leaves a failure unretrieved, holds the loop too long in one step,
 * or overruns its real-time timeout. {@link SpindleTest} runs every test method this way.
 *
 * {@snippet :
 * TestLoop t = TestLoop.virtual();
 * t.run(() -> {
 *     sleep(Duration.ofHours(1));                              // takes microseconds
 *     assertEquals(Duration.ofHours(1), TestLoop.current().elapsed());
 *     return null;
 * });
 * }
 *
 * <h2>When virtual time moves</h2>
 * The clock jumps only when no coroutine or callback is ready and nothing outside the loop is in flight, straight to
 * the next timer's deadline, so a test sees every timer fire at its exact time and in the same order on every run:
 * <ul>
 *   <li>a {@code toThread}/{@code runInExecutor} job of the loop is always waited for, in real time;
 *   <li>while a coroutine waits for socket readiness, is blocked in a JDK call, or awaits a
 *       {@code CompletableFuture}, the loop first waits up to {@link TestOptions#autoJumpThreshold()} of real time
 *       (20 ms by default) for it and jumps only if nothing arrived: a local peer's bytes are never skipped, and a
 *       server waiting for clients never hangs the test.
 * </ul>
 * Virtual time covers Spindle's clock only: {@code sleep}, timers, timeouts and deadlines. {@code Thread.sleep} in a
 * coroutine is the JDK's timer and takes real time (the clock may jump meanwhile, after the threshold). Waits on
 * other threads through {@code ThreadsafeQueue}, futures of another loop or {@code callSoonThreadsafe} are not seen
 * as in flight. The full rule is in {@code dev.spindle.loop.internal.VirtualTime}.
 *
 * <p>Order: the loop's ready queue and timer heap are FIFO (timers due together fire in scheduling order) and the
 * clock moves only between passes, so a test that touches nothing outside its loop runs the same interleaving, at the
 * same virtual instants, on every run.
 *
 * <h2>Manual control</h2>
 * {@link #advance}, {@link #runUntilIdle} and {@link #advanceUntilIdle} move a virtual loop by hand: from a
 * coroutine of the loop (a test body), or from the thread that owns the loop while it is not running (then the
 * calling thread runs the loop for the duration of the call). With {@link TimeMode#MANUAL} the clock moves only
 * through them.
 *
 * <h2>Threads</h2>
 * {@link #run} runs the loop on the calling platform thread; {@link #nanoTime()}, {@link #elapsed()} and
 * {@link #current()} are thread-safe; the rest follows the rule given per method.
 */
public final class TestLoop implements AutoCloseable {
    private static final Map<Loop, TestLoop> BY_LOOP = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spindle-test-timeout");
        t.setDaemon(true);
        return t;
    });
    /** How long, in real time, a timed-out test's tasks get to finish after being cancelled. */
    private static final Duration CLEANUP_LIMIT = Duration.ofSeconds(5);

    private final EventLoop loop;
    private final VirtualTime virtual;
    private final TestOptions options;
    private final long startNanos;
    /** What reached the loop's exception handler: unretrieved failures, slow steps, exceptions in callbacks. */
    private final List<ExceptionContext> reports = Collections.synchronizedList(new ArrayList<>());

    private TestLoop(TestOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        Clock clock = options.time() == TimeMode.REAL
                ? Clock.system()
                : new VirtualTime(
                        options.time() == TimeMode.VIRTUAL,
                        options.autoJumpThreshold().toNanos());
        this.loop = (EventLoop) Loop.create(clock);
        this.virtual = clock instanceof VirtualTime vt ? vt : null;
        this.startNanos = loop.nanoTime();
        loop.setExceptionHandler((l, context) -> reports.add(context));
        if (!options.slowStepLimit().isZero()) {
            loop.setSlowCallbackDuration(options.slowStepLimit());
            loop.setDebug(true); // debug mode times every step
        }
        BY_LOOP.put(loop, this);
    }

    /** A new test loop with {@code options}. */
    public static TestLoop create(TestOptions options) {
        return new TestLoop(options);
    }

    /** A new test loop on auto-jumping virtual time, with the default options. */
    public static TestLoop virtual() {
        return create(TestOptions.defaults());
    }

    /** A new test loop on virtual time that moves only through {@link #advance} and friends. */
    public static TestLoop manual() {
        return create(TestOptions.defaults().withTime(TimeMode.MANUAL));
    }

    /** A new test loop on the system clock, with the checks of {@link #run}. */
    public static TestLoop real() {
        return create(TestOptions.defaults().withTime(TimeMode.REAL));
    }

    /**
     * The test loop running the current coroutine or callback. Thread-safe.
     *
     * @throws IllegalStateException outside a coroutine or callback of a test loop
     */
    public static TestLoop current() {
        Loop l = Loop.currentOrNull();
        TestLoop t = l != null ? BY_LOOP.get(l) : null;
        if (t == null) {
            throw new IllegalStateException("not running on a TestLoop: use @SpindleTest or TestLoop.run");
        }
        return t;
    }

    /** The loop itself, for spawning before {@link #run} or for the loop's own API. */
    public Loop loop() {
        return loop;
    }

    public TestOptions options() {
        return options;
    }

    /** Whether the loop runs on virtual time (auto-jumping or manual). */
    public boolean isVirtual() {
        return virtual != null;
    }

    /** The loop's clock now, in nanoseconds. Thread-safe. */
    public long nanoTime() {
        return loop.nanoTime();
    }

    /** How far the loop's clock has moved since the loop was made; on virtual time, the sum of its jumps. */
    public Duration elapsed() {
        return Duration.ofNanos(loop.nanoTime() - startNanos);
    }

    // ---- manual control -----------------------------------------------------------------------------------

    /**
     * Moves virtual time forward by {@code d}, running every timer that falls due on the way at its own deadline
     * (and what those timers wake), like kotlinx's {@code advanceTimeBy} then {@code runCurrent}; returns with the clock exactly {@code d}
     * later and nothing left to run at that time. From a coroutine of this loop the coroutine sleeps for {@code d} (in
     * manual mode, the clock is also allowed to move that far), then waits for the loop to go idle; from the thread
     * owning the loop while it does not run, that thread runs the loop meanwhile. Either way timers due exactly at the
     * end run too, with what they wake, however late they were scheduled.
     *
     * @throws IllegalStateException on real time, or from another thread while the loop runs
     * @throws IllegalArgumentException if {@code d} is negative
     */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("cannot advance by a negative duration: " + d);
        }
        VirtualTime vt = requireVirtual("advance");
        long nanos = saturatedNanos(d);
        if (inOwnCoroutine()) {
            vt.allowUntil(deadline(nanos));
            Tasks.sleep(Duration.ofNanos(nanos));
            runUntilIdle(); // what fell due at the very end, and what it woke, runs before the caller goes on
        } else {
            loop.drive(deadline(nanos), true);
        }
    }

    /**
     * Lets every coroutine and callback run until none is runnable and nothing is in flight (by the rule of the class
     * comment), without moving the clock. From a coroutine of this loop, that coroutine waits meanwhile; from the
     * thread owning the loop while it does not run, that thread runs the loop.
     *
     * @throws IllegalStateException on real time, or from another thread while the loop runs
     */
    public void runUntilIdle() {
        VirtualTime vt = requireVirtual("runUntilIdle");
        if (inOwnCoroutine()) {
            LoopFuture<Void> idle = loop.createFuture();
            vt.onIdle(() -> {
                if (!idle.isDone()) { // a cancelled waiter cancelled its future
                    idle.setResult(null);
                }
            });
            idle.await();
        } else {
            loop.drive(loop.nanoTime(), false);
        }
    }

    /**
     * Runs the loop from the owning thread, jumping the clock from timer to timer, until no timer is left and nothing
     * is runnable or in flight (kotlinx's {@code advanceUntilIdle}). A coroutine that sleeps in a loop forever makes
     * this run forever.
     *
     * @throws IllegalStateException on real time, from a coroutine, or while the loop runs
     */
    public void advanceUntilIdle() {
        requireVirtual("advanceUntilIdle");
        if (Task.currentOrNull() != null) {
            throw new IllegalStateException(
                    "advanceUntilIdle runs the loop from its owning thread; from a coroutine use advance or sleep");
        }
        loop.drive(Long.MAX_VALUE, false);
    }

    private VirtualTime requireVirtual(String what) {
        if (virtual == null) {
            throw new IllegalStateException(what + " needs virtual time; this TestLoop runs on the system clock");
        }
        return virtual;
    }

    private boolean inOwnCoroutine() {
        Task<?> t = Task.currentOrNull();
        if (t != null && t.loop() != loop) {
            throw new IllegalStateException("a coroutine of another loop cannot move this TestLoop's clock");
        }
        return t != null;
    }

    private long deadline(long nanos) {
        long now = loop.nanoTime();
        return now > Long.MAX_VALUE - nanos ? Long.MAX_VALUE : now + nanos;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 4;
        }
    }

    // ---- running a test ---------------------------------------------------------------------------------

    /**
     * Runs {@code main} on a fresh test loop on auto-jumping virtual time with the default options, and returns its
     * result: {@code TestLoop.virtual().run(main)}, the counterpart of {@code Spindle.run} (and of kotlinx's
     * {@code runTest}) for tests that do not use {@link SpindleTest}.
     *
     * {@snippet :
     * assertThrows(TimedOut.class, () -> runTest(() -> withTimeout(Duration.ofMinutes(5), () -> sleep(Duration.ofHours(1)))));
     * }
     */
    public static <T> T runTest(Coroutine<T> main) {
        return virtual().run(main);
    }

    /** {@link #runTest(Coroutine)} for a main that returns nothing. */
    public static void runTest(VoidCoroutine main) {
        virtual().run(main);
    }

    /** {@link #run(String, Coroutine)} for a main that returns nothing. */
    public void run(VoidCoroutine main) {
        run("test", Coroutine.of(main));
    }

    /** {@link #run(String, Coroutine)} with the main task named {@code test}. */
    public <T> T run(Coroutine<T> main) {
        return run("test", main);
    }

    /**
     * Runs {@code main} as a task named {@code name} on this loop (on the calling platform thread), then checks what
     * it left behind, cleans up and closes the loop, as {@code Spindle.run} does. Returns {@code main}'s result.
     * The test fails with an {@link AssertionError} naming each culprit when:
     * <ul>
     *   <li>tasks are still running when {@code main} ends (they are cancelled and awaited first);
     *   <li>a task's or future's failure was never retrieved, or anything else reached the loop's exception handler
     *       (an exception in a callback, say);
     *   <li>one step of a coroutine or callback held the loop longer than {@link TestOptions#slowStepLimit()};
     *   <li>the whole run took longer than {@link TestOptions#timeout()} in real time: {@code main} is cancelled and the
     *       error shows where every task was at that moment.
     * </ul>
     * If {@code main} itself fails, its exception is rethrown unchanged, with those findings attached as suppressed.
     *
     * <p>Pitfall: the timeout cancels {@code main} through the loop, and if the loop does not come back within five
     * seconds it interrupts the calling thread, which stops the loop the next time it is idle. A coroutine that spins
     * without ever parking holds the loop's thread for good, and nothing can stop it (the slow-step limit reports
     * it only once the step ends).
     *
     * @throws IllegalStateException if the loop is running or closed, or the caller is a coroutine or runs a loop
     */
    public <T> T run(String name, Coroutine<T> main) {
        Objects.requireNonNull(main, "main");
        if (Task.currentOrNull() != null || EventLoop.onAnyLoopThread()) {
            throw new IllegalStateException("TestLoop.run must be called from a plain thread, not from a loop");
        }
        Task<T> task = loop.spawn(name, main);
        Timeout timeout = new Timeout(task);
        T result = null;
        Throwable failure = null;
        try {
            result = loop.runUntilComplete(task);
        } catch (Throwable e) {
            failure = e;
        } finally {
            timeout.disarm();
        }
        List<String> problems = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        if (timeout.fired) {
            Throwable cause = failure;
            failure = new AssertionError(timeout.message(), cause);
        }
        try {
            finish(problems);
        } catch (Throwable e) {
            problems.add("cleaning up after the test failed: " + e);
            causes.add(e);
        }
        synchronized (reports) {
            for (ExceptionContext c : reports) {
                problems.add(c.message());
                if (c.exception() != null) {
                    causes.add(c.exception());
                }
            }
        }
        if (failure != null) {
            if (!problems.isEmpty()) {
                AssertionError also = findings(problems, causes);
                failure.addSuppressed(also);
            }
            throw dev.spindle.task.internal.Sneaky.rethrow(failure);
        }
        if (!problems.isEmpty()) {
            throw findings(problems, causes);
        }
        return result;
    }

    private static AssertionError findings(List<String> problems, List<Throwable> causes) {
        StringBuilder sb = new StringBuilder();
        sb.append(problems.size() == 1 ? "the test left a problem behind: " : "the test left problems behind:");
        if (problems.size() == 1) {
            sb.append(problems.getFirst());
        } else {
            for (String p : problems) {
                sb.append("\n  - ").append(p);
            }
        }
        AssertionError e = new AssertionError(sb.toString());
        for (Throwable c : causes) {
            e.addSuppressed(c);
        }
        return e;
    }

    /** Cancels and awaits the tasks left running (reporting them), closes async generators, closes the loop. */
    private void finish(List<String> problems) {
        if (loop.isClosed()) {
            return;
        }
        try {
            List<Task<?>> left = new ArrayList<>(loop.allTasks());
            left.removeIf(loop::isAsyncGeneratorProducer); // closed below, as Spindle.run does
            if (!left.isEmpty()) {
                StringBuilder names = new StringBuilder();
                for (Task<?> t : left) {
                    names.append(names.isEmpty() ? "" : ", ").append(describe(t));
                }
                problems.add(left.size() + (left.size() == 1 ? " task was" : " tasks were")
                        + " still running when the test ended: " + names);
                for (Task<?> t : left) {
                    t.cancel("still running when the test ended");
                }
                bounded(() -> loop.runUntilComplete(() -> Tasks.gatherOutcomes(left)));
            }
            bounded(loop::shutdownAsyncGenerators);
            loop.shutdownDefaultExecutor(CLEANUP_LIMIT);
        } finally {
            close();
        }
    }

    /** Runs a clean-up step of the loop, interrupting it (so that it stops when idle) if it overruns. */
    private static void bounded(Runnable step) {
        Interrupter alarm = new Interrupter(Thread.currentThread(), CLEANUP_LIMIT);
        try {
            step.run();
        } catch (LoopInterrupted e) {
            throw new IllegalStateException("tasks did not finish within " + CLEANUP_LIMIT + " of being cancelled", e);
        } finally {
            alarm.cancel();
        }
    }

    /**
     * Interrupts a thread after a delay unless cancelled first. Once {@link #cancel()} returns it never interrupts, and
     * an interrupt it already sent is cleared: a stray one would hit whatever the thread runs next (the next test).
     */
    private static final class Interrupter {
        private final Thread target;
        private final ScheduledFuture<?> alarm;
        private boolean cancelled;

        Interrupter(Thread target, Duration delay) {
            this.target = target;
            this.alarm = WATCHDOG.schedule(this::fire, delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        private synchronized void fire() {
            if (!cancelled) {
                target.interrupt();
            }
        }

        /** Cancels; call on the target thread. */
        void cancel() {
            synchronized (this) {
                cancelled = true;
            }
            alarm.cancel(false);
            Thread.interrupted();
        }
    }

    private static String describe(Task<?> t) {
        return "Task '" + t.name() + "'";
    }

    /** Closes the loop (reporting failures still unretrieved). Idempotent. */
    @Override
    public void close() {
        try {
            if (!loop.isClosed()) {
                loop.close();
            }
        } finally {
            BY_LOOP.remove(loop);
        }
    }

    @Override
    public String toString() {
        return "TestLoop[" + options.time() + ", elapsed=" + elapsed() + ", " + loop + "]";
    }

    /** The real-time limit of one {@link #run}: cancels the main task when it passes, then stops an idle loop. */
    private final class Timeout {
        private final Task<?> main;
        private final Thread runner = Thread.currentThread();
        private final ScheduledFuture<?> alarm;
        /** Guarded by this: once disarmed, the timeout neither cancels nor interrupts anything. */
        private boolean disarmed;

        private Interrupter hardStop;
        volatile boolean fired;
        private volatile String tasksThen = "";
        private volatile boolean stalledThen;

        Timeout(Task<?> main) {
            this.main = main;
            long ms = options.timeout().toMillis();
            this.alarm = ms > 0 ? WATCHDOG.schedule(this::fire, ms, TimeUnit.MILLISECONDS) : null;
        }

        private synchronized void fire() {
            if (disarmed) {
                return;
            }
            fired = true;
            try {
                loop.callSoonThreadsafe(() -> {
                    tasksThen = describeTasks();
                    stalledThen = virtual != null && virtual.stalled();
                    main.cancel("the test timed out");
                });
            } catch (IllegalStateException closed) {
                return;
            }
            // If the loop does not come back (a coroutine holds it, or it waits on the outside), stop it when idle.
            hardStop = new Interrupter(runner, CLEANUP_LIMIT);
        }

        /** Ends the timeout; call on the thread that runs the loop, once the run is over. */
        void disarm() {
            Interrupter h;
            synchronized (this) {
                disarmed = true;
                h = hardStop;
            }
            if (alarm != null) {
                alarm.cancel(false);
            }
            if (h != null) {
                h.cancel();
            }
        }

        String message() {
            String clock = virtual == null
                    ? ""
                    : "; the virtual clock had advanced by " + elapsed()
                            + (stalledThen
                                    ? ", and the loop was idle with no timer and nothing in flight (a deadlock?)"
                                    : "");
            return "the test timed out after " + options.timeout() + " of real time" + clock + tasksThen;
        }

        private String describeTasks() {
            StringBuilder sb = new StringBuilder();
            for (Task<?> t : loop.allTasks()) {
                sb.append("\n  ").append(describe(t));
                Thread th = t.thread();
                if (th != null) {
                    for (StackTraceElement e : th.getStackTrace()) {
                        sb.append("\n      at ").append(e);
                    }
                }
            }
            return sb.isEmpty() ? "" : "; its tasks then:" + sb;
        }
    }
}
