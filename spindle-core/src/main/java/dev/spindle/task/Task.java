package dev.spindle.task;

import dev.spindle.loop.Loop;
import dev.spindle.loop.internal.CallbackHandle;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.loop.internal.TaskRegistry;
import dev.spindle.task.internal.Interruption;
import dev.spindle.task.internal.Suspension;
import dev.spindle.task.internal.TaskIntrospection;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * A coroutine running on a loop, and the future of its result (asyncio's {@code Task}). Made by
 * {@link dev.spindle.Spindle#spawn} or {@link Loop#spawn}; awaited with {@link #await()}.
 *
 * {@snippet :
 * Task<String> t1 = spawn("wash-1", () -> { sleep(Duration.ofSeconds(2)); return "shirts"; });
 * Task<String> t2 = spawn("wash-2", () -> { sleep(Duration.ofSeconds(3)); return "towels"; });
 * System.out.println(t1.await() + " " + t2.await()); // after 3 s, not 5
 * }
 *
 * <h2>Life</h2>
 * <pre>
 *   spawned ──first pass──▶ running ⇄ suspended ──body returns──▶ RESULT
 *      │                       │                 ──body throws───▶ FAILED
 *      └──cancel───────────────┴──Cancelled out of the body───────▶ CANCELLED
 * </pre>
 * A task starts in a later pass of its loop, in spawn order. A task cancelled before that never runs its body.
 *
 * <h2>Cancellation</h2>
 * {@link #cancel(String)} asks the task to stop; the request is delivered as a {@link Cancelled} at the task's
 * current suspension point, or its next one if it is running or about to resume. Spindle's own waits (sleep,
 * await, timeouts, task groups) are woken at once. A task blocked in a JDK call (a socket read, a
 * {@code BlockingQueue.take}, a lock) is interrupted, so the call throws {@link InterruptedException} or
 * {@link java.nio.channels.ClosedByInterruptException}; a task that then ends with an interruption exception counts as cancelled.
 * Note what that leaves behind: the JDK <em>closes</em> a socket or channel whose blocking read or write is
 * interrupted, so a cancelled read on a plain JDK socket costs the connection (Spindle's own streams avoid
 * this). {@code finally} blocks run. A task may catch {@link Cancelled}, but then must rethrow it or call
 * {@link #uncancel()}.
 *
 * <p>Interrupting a task's thread directly counts as cancelling it. Cancelling a task that awaits another future
 * cancels that future too; {@link Tasks#shield} prevents that.
 *
 * <h2>Threads</h2>
 * A task's body, and every resumption of it, runs on its loop's thread. {@code cancel} may be called from any
 * thread (from others it is forwarded to the loop); {@code uncancel} and {@code cancelling} only on the loop's
 * thread.
 *
 * @param <T> the result type
 */
public final class Task<T> extends LoopFuture<T> {
    static {
        Suspension.install(new Suspension() {
            @Override
            protected void doPark(Task<?> self, boolean wakeOnCancel) {
                self.park(wakeOnCancel);
            }

            @Override
            protected void doSignal(Task<?> task) {
                task.signal();
            }

            @Override
            protected boolean doCancelPending(Task<?> self) {
                return self.cancelPending();
            }

            @Override
            protected Cancelled doTakeCancel(Task<?> self) {
                return self.takeCancel();
            }

            @Override
            protected void doPark(Task<?> self, boolean wakeOnCancel, Object blocker) {
                self.park(wakeOnCancel, blocker);
            }
        });
        TaskIntrospection.install(new TaskIntrospection() {
            @Override
            protected Task<?> doTaskOf(Thread t) {
                return t.getUncaughtExceptionHandler() instanceof Body b ? b.task : null;
            }

            @Override
            protected long doId(Task<?> task) {
                return task.id;
            }

            @Override
            protected long doParentId(Task<?> task) {
                return task.parentId;
            }

            @Override
            protected TaskGroup doGroup(Task<?> task) {
                return task.group;
            }

            @Override
            protected Task<?> doOwner(TaskGroup group) {
                return group.owner();
            }

            @Override
            protected boolean doStarted(Task<?> task) {
                return task.started;
            }

            @Override
            protected boolean doParked(Task<?> task) {
                return task.parkedHere;
            }
        });
    }

    /** The task's virtual thread; dropped when the task ends, so that a finished task holds little memory. */
    private Thread thread;

    private final long id;
    /** The id of the task that spawned this one, or 0: the task tree's parent, recorded at spawn (see dumps). */
    private final long parentId;
    /** The task group this task was spawned into, or null; set by the group. */
    TaskGroup group;
    /** The JFR event timing this task's life, if that event was recorded when it was spawned; else null. */
    private dev.spindle.observe.internal.TaskFinishedEvent lifeEvent;
    /** Runs the body; also this task's entry in the loop's registry and the thread's way back to the task. */
    private final Body runner;
    /** A {@link Coroutine} or a {@link VoidCoroutine} (kept as given: a wrapper would cost a frame and an object). */
    private Object body;

    private String name;
    /** The context variables of this task; replaced, never mutated (see {@link Context}). */
    Context context;

    // Loop-confined: written and read only on the loop's thread.
    private boolean started;
    private boolean mustCancel;
    private int cancelRequests;
    private String cancelMessage;
    /** True while parked in {@link #park}; false while running or blocked inside the JDK. */
    private boolean parkedHere;
    /** Whether a cancel was carried by interrupting the thread (the interrupt may outlive the cancel). */
    private boolean interruptSent;
    /** An interrupt of ours is pending for a cancel that was withdrawn: {@link #park} ignores it once. */
    private boolean staleInterrupt;

    /** Set by any thread that wakes this task; consumed by {@link #park}. */
    private volatile boolean signalled;

    private Task(EventLoop loop, String name, Object body, Context context, long parentId) {
        super(loop);
        this.body = body;
        this.name = name;
        this.context = context;
        this.parentId = parentId;
        Body runner = new Body(this);
        this.runner = runner;
        this.thread = loop.newCoroutineThread(runner);
        this.thread.setUncaughtExceptionHandler(runner);
        this.id = thread.threadId();
    }

    /**
     * Spawns {@code body} as a task of {@code loop}; {@link Loop#spawn} calls this. Must run on the loop's thread,
     * or before the loop runs.
     */
    public static <T> Task<T> spawn(Loop loop, String name, Coroutine<T> body) {
        return start(loop, name, Objects.requireNonNull(body, "coroutine"));
    }

    /** {@link #spawn(Loop, String, Coroutine)} for a coroutine that returns nothing. */
    public static Task<Void> spawn(Loop loop, String name, VoidCoroutine body) {
        return start(loop, name, Objects.requireNonNull(body, "coroutine"));
    }

    private static <T> Task<T> start(Loop loop, String name, Object body) {
        EventLoop l = (EventLoop) loop;
        l.checkThread("spawn");
        l.checkOpen();
        Task<?> spawner = currentOrNull(); // one lookup for both: the context, and the parent in the task tree
        Task<T> task = spawner != null
                ? new Task<>(l, name, body, spawner.context, spawner.id)
                : new Task<>(l, name, body, Context.current(), 0);
        l.tasks().add(task.runner);
        if (dev.spindle.observe.internal.Jfr.on) { // false unless a JFR recording ever started in this JVM
            task.lifeEvent = dev.spindle.observe.internal.Jfr.spawned(task);
        }
        l.startCoroutine(task, task.thread);
        return task;
    }

    /** The task running the current code. @throws IllegalStateException outside any task */
    public static Task<?> current() {
        Task<?> t = currentOrNull();
        if (t == null) {
            throw new IllegalStateException("not inside a Spindle task: this must be called from a coroutine");
        }
        return t;
    }

    /** The task running the current code, or {@code null}. */
    public static Task<?> currentOrNull() {
        Thread t = Thread.currentThread();
        return t.isVirtual() && t.getUncaughtExceptionHandler() instanceof Body b ? b.task : null;
    }

    /** The task's name: the one given at spawn, or {@code Task-<n>}. */
    public String name() {
        String n = name;
        if (n == null) {
            n = name = "Task-" + id;
        }
        return n;
    }

    public void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** The virtual thread this task runs on, or {@code null} once the task is done. */
    public Thread thread() {
        return thread;
    }

    /** This task's context variables (a snapshot). */
    public Context context() {
        return context;
    }

    // ---- running ----------------------------------------------------------------------------------------

    /**
     * What a task's virtual thread runs, and how the thread finds its task: it is also the thread's uncaught-exception
     * handler, a slot every thread has. (A {@code ScopedValue} or {@code ThreadLocal} would cost each coroutine a
     * per-thread cache of about 150 bytes and deeper stacks.) So code in a coroutine must not replace its
     * thread's uncaught-exception handler.
     */
    private static final class Body extends TaskRegistry.Node implements Runnable, Thread.UncaughtExceptionHandler {
        Body(Task<?> task) {
            super(task);
        }

        @Override
        public void run() {
            task.step();
        }

        @Override
        protected boolean blockedOutsideSpindle() {
            return task.started && !task.parkedHere;
        }

        @Override
        public void uncaughtException(Thread t, Throwable e) {
            ((EventLoop) task.loop())
                    .callExceptionHandler(new dev.spindle.loop.ExceptionContext(
                            "uncaught exception in the thread of " + task.describe(), e, task));
        }
    }

    /** The timer of one {@link #sleep}: wakes the task when due. */
    private final class SleepTimer extends CallbackHandle {
        SleepTimer(EventLoop loop, long when) {
            super(loop, when);
        }

        @Override
        protected void fire() {
            signal();
        }
    }

    private void step() {
        T value;
        try {
            if (mustCancel) { // cancelled before it started: the body never runs
                finish(new Cancelled(cancelMessage));
                return;
            }
            started = true;
            if (body instanceof Coroutine<?> c) {
                @SuppressWarnings("unchecked")
                T v = (T) c.call();
                value = v;
            } else {
                ((VoidCoroutine) body).run();
                value = null;
            }
        } catch (Throwable e) {
            finish(e);
            return;
        }
        if (mustCancel) { // cancelled after its last suspension: it ends cancelled, as in asyncio
            finish(new Cancelled(cancelMessage));
        } else {
            finishWith(RESULT, value);
        }
    }

    private void finish(Throwable e) {
        if (e instanceof CancellationException c) {
            finishWith(CANCELLED, c.getMessage());
        } else if (cancelRequests > 0 && Interruption.isInterruption(e)) {
            finishWith(CANCELLED, cancelMessage);
        } else {
            finishWith(FAILED, e);
        }
    }

    private void finishWith(int state, Object value) {
        body = null;
        Thread.interrupted(); // a cancel that came too late must not leak into the next use of the thread
        ((EventLoop) loop()).tasks().remove(runner);
        thread = null; // the JDK still runs it to its end; we no longer need it
        if (lifeEvent != null) {
            dev.spindle.observe.internal.Jfr.finished(
                    lifeEvent,
                    state == RESULT ? "result" : state == FAILED ? "failed" : "cancelled",
                    state == FAILED ? (Throwable) value : null);
            lifeEvent = null;
        }
        complete(state, value);
    }

    // ---- suspending (only ever called on this task's own thread) -----------------------------------------

    /** Wakes the task from {@link #park}. Thread-safe. */
    void signal() {
        signalled = true;
        LockSupport.unpark(thread);
    }

    /**
     * Parks this task until it is signalled, or (with {@code wakeOnCancel}) until a cancellation is requested.
     * May return spuriously: callers re-check what they wait for. This is the one place Spindle's own waits
     * suspend a coroutine; JDK blocking calls suspend it inside the JDK instead.
     */
    void park(boolean wakeOnCancel) {
        park(wakeOnCancel, this);
    }

    /**
     * {@link #park(boolean)}, telling what the task waits for: {@code blocker} becomes the thread's park blocker
     * ({@link LockSupport#getBlocker}), which task dumps read to say what each task waits on. Costs nothing more than
     * a park: the JDK stores a blocker at every park anyway.
     */
    void park(boolean wakeOnCancel, Object blocker) {
        parkedHere = true;
        try {
            while (!signalled && !(wakeOnCancel && mustCancel)) {
                LockSupport.park(blocker);
                // Someone interrupted the thread itself: treat it as a cancel (unless it is our own, already counted).
                if (Thread.interrupted() && !mustCancel) {
                    if (staleInterrupt) {
                        staleInterrupt = false; // ours, for a cancel since withdrawn
                    } else {
                        requestCancel("interrupted");
                    }
                }
            }
        } finally {
            parkedHere = false;
        }
        signalled = false;
    }

    /** Whether a cancellation waits to be delivered. */
    boolean cancelPending() {
        return mustCancel;
    }

    /** Delivers a pending cancellation: returns the exception to throw and clears the request. */
    Cancelled takeCancel() {
        mustCancel = false;
        interruptSent = false;
        staleInterrupt = false;
        Thread.interrupted();
        return new Cancelled(cancelMessage);
    }

    /** Throws {@link Cancelled} if a cancellation waits to be delivered. */
    void checkCancel() {
        if (mustCancel) {
            throw takeCancel();
        }
    }

    /** Sleeps on the loop's clock; zero or negative yields to the other ready tasks. */
    void sleep(long nanos) {
        checkCancel();
        EventLoop l = (EventLoop) loop();
        if (nanos <= 0) {
            Thread.yield(); // the continuation goes to the back of the ready queue
            checkCancel();
            return;
        }
        long now = l.nanoTime();
        SleepTimer timer = new SleepTimer(l, now > Long.MAX_VALUE - nanos ? Long.MAX_VALUE : now + nanos);
        l.schedule(timer);
        try {
            while (true) {
                if (mustCancel) {
                    throw takeCancel();
                }
                if (timer.fired()) {
                    return;
                }
                park(true, timer);
            }
        } finally {
            timer.cancel();
        }
    }

    // ---- cancellation -----------------------------------------------------------------------------------

    /** {@link #cancel(String)} with no message. */
    @Override
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * Asks the task to stop (see the class comment). Returns {@code false} if it is already done. May be called
     * from any thread.
     */
    @Override
    public boolean cancel(String message) {
        if (isDone()) {
            return false;
        }
        EventLoop l = (EventLoop) loop();
        if (!l.inLoopThread()) {
            cancelThreadsafe(message);
            return true;
        }
        requestCancel(message);
        return true;
    }

    private void requestCancel(String message) {
        cancelRequests++;
        mustCancel = true;
        cancelMessage = message;
        if (started && Thread.currentThread() != thread) {
            if (parkedHere) {
                LockSupport.unpark(thread);
            } else {
                interruptSent = true;
                thread.interrupt(); // blocked in the JDK, or about to resume: the next blocking call throws
            }
        }
    }

    /**
     * Withdraws one cancellation request (asyncio's {@code uncancel}) and returns how many remain. When none remain,
     * a request not yet delivered is dropped. Timeouts and task groups use this to tell their own cancellations
     * from others.
     */
    public int uncancel() {
        ((EventLoop) loop()).checkThread("Task.uncancel");
        if (cancelRequests > 0) {
            cancelRequests--;
            if (cancelRequests == 0) {
                mustCancel = false;
                if (interruptSent) {
                    // The interrupt that carried the withdrawn cancel may still be pending on the thread, if the
                    // JDK call it aimed at returned normally: it must not read as a new cancel later.
                    interruptSent = false;
                    if (Thread.currentThread() == thread) {
                        Thread.interrupted();
                    } else {
                        staleInterrupt = true;
                    }
                }
            }
        }
        return cancelRequests;
    }

    /** How many cancellation requests are outstanding (asyncio's {@code cancelling}). */
    public int cancelling() {
        return cancelRequests;
    }

    /** A task's result is set by its coroutine. @throws UnsupportedOperationException always */
    @Override
    public void setResult(T value) {
        throw new UnsupportedOperationException("a Task's result is set by its coroutine");
    }

    /** A task's exception is set by its coroutine. @throws UnsupportedOperationException always */
    @Override
    public void setException(Throwable exception) {
        throw new UnsupportedOperationException("a Task's exception is set by its coroutine");
    }

    @Override
    String describe() {
        return "Task '" + name() + "'";
    }
}
