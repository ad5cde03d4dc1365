package dev.spindle.loop.internal;

import dev.spindle.loop.ExceptionContext;
import dev.spindle.loop.ExceptionHandler;
import dev.spindle.loop.Handle;
import dev.spindle.loop.Loop;
import dev.spindle.loop.TimerHandle;
import dev.spindle.task.Context;
import dev.spindle.task.Coroutine;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import dev.spindle.task.Tasks;
import dev.spindle.task.internal.TaskIntrospection;
import dev.spindle.time.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loop: one platform thread, a FIFO ready queue, a timer heap and an inbox for other threads.
 *
 * <h2>Implementation overview</h2>
 * A coroutine is a virtual thread built by {@link Carrier} with this loop as its scheduler ({@link #execute}):
 * whenever the JDK decides the virtual thread can run (it was started, unparked, its socket became readable,
 * its {@code Thread.sleep} ended) it hands the thread's continuation to {@code execute}. On the loop's own
 * thread that appends to {@link #ready}; from any other thread (the JDK's I/O poller, a timer thread, another
 * loop) it goes through the {@link Inbox}, which wakes the loop if it is idle. Callbacks ({@link CallbackHandle})
 * share the same ready queue, so coroutines and callbacks run in one FIFO order.
 *
 * <p>{@link #runOnce()} is the only place anything of this loop runs. One pass: wait in the inbox if nothing is
 * ready (until the next timer is due), take the inbox, move due timers to the ready queue, then run exactly the
 * entries that were ready when the pass began. Running a continuation mounts the virtual thread on this thread
 * until it parks again or ends, so at most one coroutine or callback of the loop runs at any instant.
 *
 * <p>Field confinement: {@link #ready}, {@link #timers}, {@link #tasks} and {@link #seq} belong to the loop's
 * thread (or, before the loop first runs, to the thread setting it up). The rest is volatile or guarded as noted.
 */
public final class EventLoop implements Loop, Executor {
    static final long NOT_TIMED = Long.MIN_VALUE;
    /** Made on first use: the first {@link System#getLogger} looks the logging backend up (10-20 ms cold). */
    private static final class Log {
        static final System.Logger LOG = System.getLogger("dev.spindle");
    }

    private static final ThreadLocal<EventLoop> RUNNING_HERE = new ThreadLocal<>();
    private static final AtomicInteger LOOP_IDS = new AtomicInteger();
    private static final VarHandle STEP;
    private static final VarHandle STEPS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STEP = lookup.findVarHandle(EventLoop.class, "step", Runnable.class);
            STEPS = lookup.findVarHandle(EventLoop.class, "steps", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Clock clock;
    /** The clock again when it is virtual (a test loop), else null: see {@link #idleOnVirtualTime}. */
    private final VirtualTime virtual;
    /** toThread/runInExecutor jobs queued or running; counted on virtual time only. Thread-safe. */
    private final AtomicInteger jobsInFlight = new AtomicInteger();
    /** Coroutines awaiting a CompletableFuture (completed by some other thread); counted on virtual time only. */
    private int foreignWaits;

    private final Thread.Builder.OfVirtual coroutineThreads;
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>(1024);
    private final TimerHeap timers = new TimerHeap();
    private final Inbox inbox = new Inbox();
    /** The loop's I/O driver, installed by the first I/O object; null while the loop does no I/O of its own. */
    private volatile IoPoller poller;

    private final TaskRegistry tasks = new TaskRegistry();
    private final UnretrievedFailures unretrieved = new UnretrievedFailures(this);
    private final int id;
    private final String name;
    private long seq;

    /** The platform thread running the loop now, or null. */
    private volatile Thread thread;

    private volatile boolean stopping;
    private volatile boolean closed;

    private volatile ExceptionHandler exceptionHandler;
    private final ExceptionHandler defaultHandler = EventLoop::logException;

    private volatile Executor defaultExecutor;
    private boolean ownsDefaultExecutor;

    /*
     * What the loop is doing, for observers on other threads (the stall watchdog, task dumps, metrics): the entry of
     * the ready queue running now (null between passes) and how many entries ran so far. Written by the loop's thread
     * with opaque stores (plain moves: nothing is fenced on the hot path), read with opaque loads; a reader sees each
     * value eventually and never a torn one. The count tells one step from the next even when the same coroutine runs
     * again (its continuation is the same object every time).
     */
    @SuppressWarnings("unused") // through STEP
    private Runnable step;

    private long steps;

    /*
     * Whether some observer needs to tell one step from the next (the stall watchdog, task dumps): only then does a
     * pass record each step as it starts. Otherwise the count moves once per pass and nothing is stored per step:
     * a reference store per step costs the switch benchmark measurably (GC write barriers on a hot loop), and
     * "off costs nothing" is the contract. Read once per pass; one observer is enough for every loop.
     */
    private static final java.util.concurrent.atomic.AtomicInteger STEP_OBSERVERS =
            new java.util.concurrent.atomic.AtomicInteger();
    private static volatile boolean stepsObserved;

    // Debug mode. The watchdog reads the step fields from its own thread, hence volatile.
    private volatile boolean debug = Boolean.getBoolean("spindle.debug");
    private volatile long slowNanos = TimeUnit.MILLISECONDS.toNanos(100);
    volatile long stepStartNanos;
    volatile long stepNumber;
    volatile Thread stepThread;
    volatile StackTraceElement[] stepStack;
    volatile long stepStackNumber;
    /** This loop's signal callbacks by canonical signal name; guarded by itself (any thread may add or remove). */
    private final HashMap<String, SignalRouter.Registration> signalHandlers = new HashMap<>();

    /** Started, unclosed async generators, by producer task (how to close each): see shutdownAsyncGenerators. */
    private final LinkedHashMap<Task<?>, AutoCloseable> asyncGenerators = new LinkedHashMap<>();

    public EventLoop(Clock clock) {
        this(clock, true);
    }

    EventLoop(Clock clock, boolean warmUp) {
        Carrier.check();
        if (warmUp) {
            Warmup.once();
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.virtual = clock instanceof VirtualTime vt ? vt : null;
        this.coroutineThreads = Carrier.virtualThreadBuilder(this);
        if (warmUp) {
            this.id = LOOP_IDS.incrementAndGet();
            this.name = "spindle-loop-" + id;
            LoopDirectory.add(this);
        } else { // Warmup's own loop: it may run beside the program's first loops, unseen by dumps and metrics
            this.id = 0;
            this.name = "spindle-warmup";
        }
        if (debug) {
            Watchdog.watch(this);
        }
    }

    // ---- which loop, which thread ---------------------------------------------------------------------

    public static EventLoop currentOrNull() {
        Task<?> task = Task.currentOrNull();
        if (task != null) {
            return (EventLoop) task.loop();
        }
        return RUNNING_HERE.get();
    }

    public static EventLoop current() {
        EventLoop l = currentOrNull();
        if (l == null) {
            throw new IllegalStateException(
                    "no running Spindle loop here: call this from a coroutine started by Spindle.run(...)");
        }
        return l;
    }

    /** Whether the current code runs on some loop's thread outside any coroutine (where it must not block). */
    public static boolean onAnyLoopThread() {
        return RUNNING_HERE.get() != null && !Thread.currentThread().isVirtual();
    }

    /** Whether the current code runs on this loop's thread (in a coroutine or a callback). */
    public boolean inLoopThread() {
        Thread t = thread;
        return t != null && Carrier.currentCarrier() == t;
    }

    /** Fails unless called on the loop's thread, or while the loop is not running. */
    public void checkThread(String what) {
        Thread t = thread;
        if (t != null && Carrier.currentCarrier() != t) {
            throw new IllegalStateException(what + " must be called on the loop's thread " + t.getName() + ", not "
                    + Thread.currentThread() + ": use loop.callSoonThreadsafe(...) or loop.submit(...)");
        }
    }

    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the loop is closed");
        }
    }

    // ---- scheduling: the executor of this loop's virtual threads -----------------------------------------

    /** Makes a coroutine's continuation ready. Called by the JDK; thread-safe. */
    @Override
    public void execute(Runnable continuation) {
        Thread t = thread;
        if (t != null && Carrier.currentCarrier() == t) {
            ready.add(continuation);
        } else if (!closed) {
            inbox.add(continuation);
        }
        // else: the loop is closed and the coroutine abandoned; it never runs again.
    }

    /**
     * Queues {@code reaction} behind every step already ready, so that it runs after them: in this pass if the pass
     * has not reached the end of its batch (never), else in the next. This is how core reacts to one task's end by
     * cancelling others (the rule is in {@code dev.spindle.task}'s package docs): a sibling that the loop already
     * made ready in this pass still runs its step first. Thread-safe; on a closed loop the reaction is dropped.
     * Unlike {@link #callSoon} it makes no {@link Handle} and captures no context; {@code reaction} must not throw.
     */
    public void enqueue(Runnable reaction) {
        Thread t = thread;
        if (t != null && Carrier.currentCarrier() == t) {
            ready.add(reaction);
        } else if (!closed) {
            inbox.add(reaction);
        }
    }

    public Thread newCoroutineThread(Runnable body) {
        return coroutineThreads.unstarted(body);
    }

    /** Starts a task's thread; its first continuation joins the ready queue. */
    public void startCoroutine(Task<?> task, Thread t) {
        t.start();
    }

    public TaskRegistry tasks() {
        return tasks;
    }

    public UnretrievedFailures unretrievedFailures() {
        return unretrieved;
    }

    // ---- time -----------------------------------------------------------------------------------------

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public long nanoTime() {
        return clock.nanoTime();
    }

    // ---- callbacks ------------------------------------------------------------------------------------

    @Override
    public Handle callSoon(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkThread("Loop.callSoon");
        checkOpen();
        CallbackHandle h = new CallbackHandle(this, callback, Context.current(), NOT_TIMED, 0);
        ready.add(h);
        return h;
    }

    @Override
    public TimerHandle callLater(Duration delay, Runnable callback) {
        Objects.requireNonNull(delay, "delay");
        return callAt(deadlineAfter(nanoTime(), saturatedNanos(delay)), callback);
    }

    @Override
    public TimerHandle callAt(long deadlineNanos, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkThread("Loop.callAt");
        checkOpen();
        return scheduleTimer(deadlineNanos, callback, Context.current());
    }

    /** A timer for Spindle's own waits (no context switch needed). Loop thread only. */
    public CallbackHandle scheduleTimer(long deadlineNanos, Runnable callback) {
        return scheduleTimer(deadlineNanos, callback, null);
    }

    private CallbackHandle scheduleTimer(long deadlineNanos, Runnable callback, Context context) {
        if (deadlineNanos == NOT_TIMED) {
            deadlineNanos++;
        }
        CallbackHandle h = new CallbackHandle(this, callback, context, deadlineNanos, ++seq);
        timers.add(h);
        return h;
    }

    /** Schedules a timer made by a subclass of {@link CallbackHandle}. Loop thread only. */
    public void schedule(CallbackHandle timer) {
        timer.seq = ++seq;
        timers.add(timer);
    }

    void timerCancelled() {
        timers.noteCancelled();
    }

    @Override
    public Handle callSoonThreadsafe(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        CallbackHandle h = new CallbackHandle(this, callback, Context.current(), NOT_TIMED, 0);
        if (inLoopThread()) {
            ready.add(h);
        } else {
            inbox.add(h);
        }
        return h;
    }

    @Override
    public void addSignalHandler(String signal, Runnable callback) {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        SignalRouter.Registration r = new SignalRouter.Registration(SignalRouter.canonical(signal), this, callback);
        SignalRouter.add(r); // first, so that a signal never finds the JVM's default handler between two callbacks
        SignalRouter.Registration replaced;
        synchronized (signalHandlers) {
            replaced = signalHandlers.put(r.signal(), r);
        }
        if (replaced != null) {
            SignalRouter.remove(replaced);
        }
        if (closed) { // closed meanwhile: close() may have missed this one
            removeSignalHandler(signal);
            checkOpen();
        }
    }

    @Override
    public boolean removeSignalHandler(String signal) {
        Objects.requireNonNull(signal, "signal");
        SignalRouter.Registration r;
        synchronized (signalHandlers) {
            r = signalHandlers.remove(SignalRouter.canonical(signal));
        }
        if (r == null) {
            return false;
        }
        SignalRouter.remove(r);
        return true;
    }

    /** On the JVM's signal thread: runs {@code r}'s callback on this loop, unless it was replaced or removed since. */
    void deliverSignal(SignalRouter.Registration r) {
        synchronized (signalHandlers) {
            if (signalHandlers.get(r.signal()) != r) {
                return;
            }
        }
        try {
            callSoonThreadsafe(r.callback());
        } catch (IllegalStateException closedMeanwhile) {
            // the loop closed after the signal came: nobody is left to tell
        }
    }

    private void removeAllSignalHandlers() {
        List<SignalRouter.Registration> all;
        synchronized (signalHandlers) {
            all = new ArrayList<>(signalHandlers.values());
            signalHandlers.clear();
        }
        for (SignalRouter.Registration r : all) {
            SignalRouter.remove(r);
        }
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE / 4 : Long.MAX_VALUE / 4;
        }
    }

    // ---- tasks ----------------------------------------------------------------------------------------

    @Override
    public <T> Task<T> spawn(Coroutine<T> coroutine) {
        return Task.spawn(this, null, coroutine);
    }

    @Override
    public <T> Task<T> spawn(String name, Coroutine<T> coroutine) {
        return Task.spawn(this, Objects.requireNonNull(name, "name"), coroutine);
    }

    @Override
    public <T> LoopFuture<T> createFuture() {
        return new LoopFuture<>(this);
    }

    @Override
    public List<Task<?>> allTasks() {
        checkThread("Loop.allTasks");
        return tasks.snapshot();
    }

    @Override
    public <T> CompletableFuture<T> submit(Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        CompletableFuture<T> result = new CompletableFuture<>();
        callSoonThreadsafe(() -> {
            if (result.isDone()) {
                return; // cancelled before it could start
            }
            Task<T> task = spawn(coroutine);
            CompletableFuture<T> bridge = task.toCompletableFuture();
            bridge.whenComplete((v, e) -> {
                if (e == null) {
                    result.complete(v);
                } else {
                    result.completeExceptionally(e);
                }
            });
            result.whenComplete((v, e) -> {
                if (result.isCancelled()) {
                    bridge.cancel(false);
                }
            });
        });
        return result;
    }

    // ---- running --------------------------------------------------------------------------------------

    @Override
    public <T> T runUntilComplete(Coroutine<T> coroutine) {
        checkOpen();
        return runUntilComplete(spawn(coroutine));
    }

    @Override
    public <T> T runUntilComplete(LoopFuture<T> future) {
        Objects.requireNonNull(future, "future");
        checkOpen();
        future.addDoneCallback(f -> stop());
        runForever();
        if (!future.isDone()) {
            throw new IllegalStateException("the loop stopped before the future completed");
        }
        return future.result();
    }

    @Override
    public void runForever() {
        checkOpen();
        if (thread != null) {
            throw new IllegalStateException("this loop is already running on " + thread.getName());
        }
        if (RUNNING_HERE.get() != null) {
            throw new IllegalStateException("another Spindle loop is already running on this thread");
        }
        Thread me = Thread.currentThread();
        if (me.isVirtual()) {
            throw new IllegalStateException("a Spindle loop must run on a platform thread, not " + me);
        }
        thread = me;
        inbox.setOwner(me);
        RUNNING_HERE.set(this);
        try {
            while (true) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            stopping = false;
            RUNNING_HERE.remove();
            inbox.setOwner(null);
            thread = null;
        }
    }

    /**
     * One pass of the loop: the only place its callbacks and coroutines run. Waits for work if none is ready,
     * takes the inbox, moves due timers to the ready queue, and runs the entries that were ready when the pass
     * began (what they make ready waits for the next pass, so a busy coroutine cannot starve timers or I/O).
     */
    private void runOnce() {
        IoPoller io = poller;
        if (ready.isEmpty() && !stopping && inbox.isEmpty()) {
            if (virtual != null) {
                idleOnVirtualTime(virtual, io); // jumps the clock instead of waiting for the next timer
            } else {
                CallbackHandle next = timers.peek();
                long timeout = next == null ? -1 : untilDeadline(next.when, clock.nanoTime());
                if (io != null) {
                    inbox.awaitOn(io, timeout);
                } else if (timeout != 0) {
                    inbox.await(timeout);
                }
            }
            if (Thread.interrupted()) {
                // Someone interrupted the loop's own thread (a test's timeout, a shutdown hook): every later park would
                // return at once and the loop would spin, so stop here instead, as KeyboardInterrupt stops asyncio.
                throw new dev.spindle.loop.LoopInterrupted(name);
            }
        } else if (io != null) {
            io.poll(0); // coroutines are ready: look at I/O without waiting, so that they cannot starve it
        }
        inbox.drainTo(ready);
        if (!timers.isEmpty()) {
            long now = clock.nanoTime();
            CallbackHandle h;
            while ((h = timers.peek()) != null && h.when <= now) {
                timers.poll();
                ready.add(h);
            }
        }
        int n = ready.size();
        if (stepsObserved) {
            runObservedPass(n);
            return;
        }
        STEPS.setOpaque(this, steps + n);
        for (; n > 0; n--) {
            Runnable r = ready.poll();
            if (debug) {
                runTimed(r);
            } else {
                runStep(r);
            }
        }
    }

    /** A pass that records each step as it starts, for observers on other threads (see {@link #stepsObserved}). */
    private void runObservedPass(int n) {
        long count = steps;
        for (; n > 0; n--) {
            Runnable r = ready.poll();
            STEP.setOpaque(this, r);
            STEPS.setOpaque(this, ++count);
            if (debug) {
                runTimed(r);
            } else {
                runStep(r);
            }
        }
        STEP.setOpaque(this, (Runnable) null);
    }

    /**
     * Starts (or, with {@code false}, ends) one observer's need to see each step: while any observer needs it, every
     * loop records the step it runs ({@link #currentStep}) and counts steps one by one; without one,
     * {@link #currentStep} is null and {@link #stepCount} moves once per pass. Thread-safe; takes effect at each
     * loop's next pass. The stall watchdog holds it while it runs; task dumps take it for good at their first use.
     */
    public static synchronized void observeSteps(boolean on) { // synchronized: the flag follows the count's order
        int observers = on ? STEP_OBSERVERS.incrementAndGet() : STEP_OBSERVERS.decrementAndGet();
        stepsObserved = observers > 0;
    }

    /**
     * The idle wait of a loop on virtual time: instead of waiting for the next timer, sets the clock to its deadline
     * once nothing outside the loop may still wake a coroutine. The rule, step by step, is {@link VirtualTime}'s
     * class comment; each step here is numbered as there. Runs when nothing is ready and the inbox is empty.
     */
    private void idleOnVirtualTime(VirtualTime vt, IoPoller io) {
        long threshold = vt.thresholdNanos();
        // 1. a toThread job is always waited for; its completion comes through the inbox
        if (jobsInFlight.get() > 0) {
            vt.setStalled(false);
            waitInRealTime(io, threshold > 0 ? threshold : TimeUnit.MILLISECONDS.toNanos(1));
            return;
        }
        CallbackHandle next = timers.peek();
        boolean canJump = next != null && next.when <= vt.jumpLimit();
        boolean somethingToDo = canJump || vt.hasIdleWaiters() || vt.driving();
        // 2. the outside may still wake a coroutine: give it the threshold in real time
        if (somethingToDo && threshold > 0 && outsideMayWake(io)) {
            waitInRealTime(io, threshold);
            if (!ready.isEmpty() || !inbox.isEmpty() || jobsInFlight.get() > 0) {
                vt.setStalled(false);
                return; // it did: run that at the current time
            }
        }
        // The counter was read before the inbox, so a job that ended before the count read zero is in the inbox.
        if (!inbox.isEmpty()) {
            return;
        }
        vt.setStalled(false);
        // 3. coroutines waiting for idleness go before any jump
        if (vt.hasIdleWaiters()) {
            for (Runnable r : vt.takeIdleWaiters()) {
                ready.add(new CallbackHandle(this, r, null, NOT_TIMED, 0));
            }
            return;
        }
        // 4. jump: the pass then moves the timers now due
        if (canJump) {
            vt.jumpTo(next.when);
            return;
        }
        // 5. the driver's target is reached, or nothing but another thread can help
        if (vt.driving()) {
            vt.arrived();
            stopping = true;
            return;
        }
        vt.setStalled(!outsideMayWake(io));
        waitInRealTime(io, -1);
    }

    /** Whether something outside the loop's passes may still wake a coroutine (step 2 of the rule). */
    private boolean outsideMayWake(IoPoller io) {
        if (foreignWaits > 0 || (io != null && io.hasWaiters())) {
            return true;
        }
        return tasks.anyBlockedOutsideSpindle();
    }

    private void waitInRealTime(IoPoller io, long nanos) {
        if (io != null) {
            inbox.awaitOn(io, nanos);
        } else {
            inbox.await(nanos);
        }
    }

    /** Whether the loop runs on virtual time (its clock is a {@link VirtualTime}). Thread-safe. */
    public boolean isVirtual() {
        return virtual != null;
    }

    /**
     * Virtual time only: runs the loop on the calling thread until it is idle with no timer due at or before
     * {@code target}, jumping its clock from timer to timer up to there; then, if {@code settle}, sets the clock to
     * {@code target}. With {@code target} at the current time this runs what is runnable now without moving the
     * clock. Waits in real time for what is in flight, as an auto-jumping loop does.
     *
     * @throws IllegalStateException if the loop is not on virtual time, is running already, or is closed
     */
    public void drive(long target, boolean settle) {
        if (virtual == null) {
            throw new IllegalStateException("only a loop on virtual time can be driven");
        }
        checkOpen();
        if (thread != null) {
            throw new IllegalStateException("the loop is already running on " + thread.getName());
        }
        virtual.startDriving(target, settle);
        try {
            runForever();
        } finally {
            virtual.stopDriving();
        }
    }

    /**
     * Counts a toThread/runInExecutor job of this loop as in flight until {@link #jobEnded()}; on virtual time the
     * clock does not jump meanwhile. Returns whether it counted (it does only on virtual time). Thread-safe.
     */
    public boolean jobStarted() {
        if (virtual == null) {
            return false;
        }
        jobsInFlight.incrementAndGet();
        return true;
    }

    /** Ends what {@link #jobStarted()} counted; call after the job's result was handed to the loop. Thread-safe. */
    public void jobEnded() {
        if (jobsInFlight.decrementAndGet() == 0) {
            inbox.wake(); // a loop waiting only for this job looks again
        }
    }

    /**
     * Counts (with +1, then -1) a coroutine awaiting a future that another thread completes, such as a
     * {@code CompletableFuture}; on virtual time the clock then jumps only after the auto-jump threshold. Loop
     * thread only.
     */
    public void foreignWait(int delta) {
        if (virtual != null) {
            foreignWaits += delta;
        }
    }

    /** Nanoseconds from {@code now} to {@code deadline}: 0 if past, saturated rather than wrapped if far. */
    static long untilDeadline(long deadline, long now) {
        if (deadline <= now) {
            return 0;
        }
        long d = deadline - now;
        return d < 0 ? Long.MAX_VALUE : d;
    }

    /** {@code now + delay}, saturated rather than wrapped. */
    static long deadlineAfter(long now, long delay) {
        long d = now + delay;
        if (((now ^ d) & (delay ^ d)) < 0) { // overflow
            return delay > 0 ? Long.MAX_VALUE : Long.MIN_VALUE + 1;
        }
        return d;
    }

    private void runStep(Runnable r) {
        if (r instanceof CallbackHandle h) {
            if (h.isCancelled()) {
                return;
            }
            try {
                if (h.context == null) {
                    h.run();
                } else {
                    h.context.run(h);
                }
            } catch (Throwable e) {
                callExceptionHandler(new ExceptionContext("exception in callback " + h.callback(), e, h));
            }
        } else {
            r.run(); // a coroutine's continuation: runs until the coroutine parks or ends
        }
    }

    private void runTimed(Runnable r) {
        Task<?> owner = null;
        if (!(r instanceof CallbackHandle)) {
            owner = TaskIntrospection.taskOf(Carrier.virtualThreadOf(r));
        }
        long number = stepNumber + 1;
        stepThread = owner != null ? owner.thread() : Thread.currentThread();
        stepNumber = number;
        long start = System.nanoTime();
        stepStartNanos = start;
        try {
            runStep(r);
        } finally {
            stepStartNanos = 0;
            long took = System.nanoTime() - start;
            if (took >= slowNanos) {
                StackTraceElement[] stack = stepStackNumber == number ? stepStack : null;
                Object what = owner != null ? owner : r;
                String msg = String.format(
                        "executing %s took %.3f seconds (debug mode reports steps over %.3f s)%s",
                        owner != null ? "task '" + owner.name() + "'" : r,
                        took / 1e9,
                        slowNanos / 1e9,
                        stack != null ? "; the stack shows where it was when the limit passed" : "");
                SlowStep warning = new SlowStep(msg);
                warning.setStackTrace(stack != null ? stack : new StackTraceElement[0]);
                callExceptionHandler(new ExceptionContext(msg, warning, what));
            }
        }
    }

    @Override
    public void stop() {
        stopping = true;
        inbox.wake();
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (thread != null) {
            throw new IllegalStateException("cannot close a running loop; stop it first");
        }
        if (closed) {
            return;
        }
        if (!asyncGenerators.isEmpty()) {
            try {
                shutdownAsyncGenerators();
            } catch (RuntimeException e) { // this thread cannot run the loop (a virtual thread, another loop's)
                callExceptionHandler(new ExceptionContext(
                        asyncGenerators.size() + " async generators left open could not be closed", e, this));
            }
        }
        closed = true;
        removeAllSignalHandlers();
        ready.clear();
        timers.clear();
        inbox.drainTo(new ArrayDeque<>());
        IoPoller io = poller;
        if (io != null) {
            io.close();
        }
        unretrieved.reportAll();
        Watchdog.unwatch(this);
        LoopDirectory.remove(this);
        Executor ex = defaultExecutor;
        if (ownsDefaultExecutor && ex instanceof ExecutorService es) {
            es.shutdown();
        }
    }

    // ---- I/O ----------------------------------------------------------------------------------------------

    /**
     * The loop's I/O poller, installed on first use by {@code factory}. A loop has one poller for its life: asking
     * for another kind fails, so one program cannot mix two I/O backends on one loop. Loop thread only.
     *
     * @throws IllegalStateException if the loop already has a poller of another type, or is closed
     */
    public <P extends IoPoller> P poller(Class<P> type, java.util.function.Function<EventLoop, P> factory) {
        checkOpen();
        IoPoller p = poller;
        if (p == null) {
            P created = factory.apply(this);
            poller = created;
            return created;
        }
        if (!type.isInstance(p)) {
            throw new IllegalStateException(
                    "this loop already does I/O through " + p.getClass().getName() + ", not " + type.getName());
        }
        return type.cast(p);
    }

    /** The installed poller, or {@code null}. */
    public IoPoller pollerOrNull() {
        return poller;
    }

    // ---- async generators -----------------------------------------------------------------------------

    /** Records a started async generator: its producer task and how to close it. Loop thread only. */
    public void trackAsyncGenerator(Task<?> producer, AutoCloseable generator) {
        asyncGenerators.put(producer, generator);
    }

    /** Forgets a finished async generator. Loop thread only. */
    public void untrackAsyncGenerator(Task<?> producer) {
        asyncGenerators.remove(producer);
    }

    /** Whether {@code task} runs the body of an open async generator (which shutdown closes rather than cancels). */
    public boolean isAsyncGeneratorProducer(Task<?> task) {
        return asyncGenerators.containsKey(task);
    }

    @Override
    public void shutdownAsyncGenerators() {
        Task<?> self = Task.currentOrNull();
        if (self != null && self.loop() == this) {
            closeAsyncGenerators();
            return;
        }
        if (thread != null) {
            throw new IllegalStateException("shutdownAsyncGenerators must be called from a coroutine of this loop,"
                    + " or while the loop is not running");
        }
        if (!closed && !asyncGenerators.isEmpty()) {
            runUntilComplete(() -> {
                closeAsyncGenerators();
                return null;
            });
        }
    }

    private void closeAsyncGenerators() {
        if (asyncGenerators.isEmpty()) {
            return;
        }
        List<AutoCloseable> open = new ArrayList<>(asyncGenerators.values());
        List<Task<Void>> closers = new ArrayList<>(open.size());
        for (AutoCloseable g : open) {
            closers.add(Task.spawn(this, "close " + g, g::close));
        }
        Tasks.gatherOutcomes(closers);
        for (int i = 0; i < closers.size(); i++) {
            Task<Void> c = closers.get(i);
            if (c.isFailed()) {
                callExceptionHandler(new ExceptionContext(
                        "an error occurred while closing an async generator at shutdown", c.exception(), open.get(i)));
            }
        }
    }

    /** Waits for the default executor's jobs to finish (asyncio.run does this before closing). */
    public void shutdownDefaultExecutor(Duration timeout) {
        Executor ex = defaultExecutor;
        if (ownsDefaultExecutor && ex instanceof ExecutorService es) {
            es.shutdown();
            try {
                if (!es.awaitTermination(saturatedNanos(timeout), TimeUnit.NANOSECONDS)) {
                    Log.LOG.log(System.Logger.Level.WARNING, "the default executor did not finish within " + timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- blocking work --------------------------------------------------------------------------------

    @Override
    public Executor defaultExecutor() {
        Executor ex = defaultExecutor;
        if (ex == null) {
            synchronized (this) {
                ex = defaultExecutor;
                if (ex == null) {
                    checkOpen();
                    int max = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
                    AtomicInteger n = new AtomicInteger();
                    ThreadPoolExecutor pool =
                            new ThreadPoolExecutor(max, max, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                                Thread t = new Thread(r, name + "-worker-" + n.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
                    pool.allowCoreThreadTimeOut(true);
                    ex = defaultExecutor = pool;
                    ownsDefaultExecutor = true;
                }
            }
        }
        return ex;
    }

    @Override
    public synchronized void setDefaultExecutor(Executor executor) {
        defaultExecutor = Objects.requireNonNull(executor, "executor");
        ownsDefaultExecutor = false;
    }

    // ---- errors and debugging -------------------------------------------------------------------------

    @Override
    public void setExceptionHandler(ExceptionHandler handler) {
        exceptionHandler = handler;
    }

    @Override
    public ExceptionHandler exceptionHandler() {
        ExceptionHandler h = exceptionHandler;
        return h != null ? h : defaultHandler;
    }

    @Override
    public ExceptionHandler defaultExceptionHandler() {
        return defaultHandler;
    }

    @Override
    public void callExceptionHandler(ExceptionContext context) {
        try {
            exceptionHandler().handle(this, context);
        } catch (Throwable e) {
            Log.LOG.log(
                    System.Logger.Level.ERROR, "the exception handler failed while handling: " + context.message(), e);
        }
    }

    /** Reports through the loop when it can take work, directly otherwise. Thread-safe. */
    void reportFromAnyThread(ExceptionContext ctx) {
        if (!closed && thread != null && !inLoopThread()) {
            try {
                callSoonThreadsafe(() -> callExceptionHandler(ctx));
                return;
            } catch (IllegalStateException closedMeanwhile) {
                // fall through
            }
        }
        callExceptionHandler(ctx);
    }

    private static void logException(Loop loop, ExceptionContext ctx) {
        Log.LOG.log(
                System.Logger.Level.ERROR,
                ctx.message() + (ctx.source() != null ? " [" + ctx.source() + "]" : ""),
                ctx.exception());
    }

    @Override
    public void setDebug(boolean enabled) {
        debug = enabled;
        if (enabled) {
            Watchdog.watch(this);
        } else {
            Watchdog.unwatch(this);
        }
    }

    @Override
    public boolean isDebug() {
        return debug;
    }

    @Override
    public Duration slowCallbackDuration() {
        return Duration.ofNanos(slowNanos);
    }

    @Override
    public void setSlowCallbackDuration(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the slow-callback limit must be positive, not " + limit);
        }
        slowNanos = saturatedNanos(limit);
    }

    long slowNanos() {
        return slowNanos;
    }

    // ---- observing from other threads (thread-safe, approximate: see the step fields) ---------------------------

    /**
     * The entry of the ready queue running now (a continuation or a callback handle), or null: always null unless
     * some observer asked for steps ({@link #observeSteps}). Thread-safe.
     */
    public Runnable currentStep() {
        return (Runnable) STEP.getOpaque(this);
    }

    /**
     * How many entries of the ready queue this loop has run or started so far: exact per step while steps are
     * observed ({@link #observeSteps}), else counted once per pass, at its start. Thread-safe.
     */
    public long stepCount() {
        return (long) STEPS.getOpaque(this);
    }

    /** How many entries wait in the ready queue now, as last seen; a racy read, never an error. Thread-safe. */
    public int readyDepth() {
        try {
            return Math.max(0, ready.size());
        } catch (RuntimeException racedWithTheLoop) {
            return 0;
        }
    }

    /** The platform thread running the loop now, or null. Thread-safe. */
    public Thread runningThread() {
        return thread;
    }

    @Override
    public dev.spindle.observe.TaskDump dumpTasks() {
        return dev.spindle.observe.internal.Dumper.dump(List.of(this));
    }

    /** The loop's number in this JVM, from 1 in order of creation. */
    public int id() {
        return id;
    }

    /** The name of the loop, as shown in its worker threads' names. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "EventLoop[" + name + (isRunning() ? ", running" : "") + (closed ? ", closed" : "") + ", tasks="
                + tasks.size() + "]";
    }

    /** Stands for a step that held the loop too long; its stack is where the step was when the limit passed. */
    static final class SlowStep extends RuntimeException {
        SlowStep(String message) {
            super(message, null, false, true);
        }
    }
}
