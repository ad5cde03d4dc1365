package dev.spindle.gen.internal;

import dev.spindle.gen.AsyncGenerator;
import dev.spindle.gen.AsyncGenerator.State;
import dev.spindle.gen.GeneratorExit;
import dev.spindle.gen.Yielder;
import dev.spindle.loop.ExceptionContext;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Cancelled;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Outcome;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Sneaky;
import dev.spindle.task.internal.Suspension;
import java.lang.ref.Cleaner;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not API: the state machine behind {@link AsyncGenerator}, and the producer's {@link Yielder}.
 *
 * <h2>Implementation overview</h2>
 * The producer's body runs in its own task (the <em>producer</em>), spawned on the consumer's loop at the first
 * step. Consumer and producer take turns, handing control over with {@link Suspension#signal} and parking with
 * {@link Suspension#park}; exactly one of them runs at a time:
 * <pre>
 *   consumer: step(cmd) ── command=cmd, RUNNING, signal(producer) ── park until state != RUNNING
 *   producer:                    resumes at yield: GeneratorExit | throwIn's exception | send's value
 *                                ... runs, awaits anything ...
 *                                yield(v): pending=v, SUSPENDED, signal(consumer) ── park until a command
 *                             or ends: failure=e, CLOSED, signal(consumer)
 * </pre>
 * The producer parks at a yield deaf to cancellation: a suspended generator is not running anything that could be
 * cancelled, as in asyncio where the generator's frame runs only inside its consumer's steps. A cancel request
 * that reaches the producer there stays pending and wins when it is next resumed (except over close, whose
 * GeneratorExit is always delivered). Cancelling the <em>consumer</em> while it waits for a step cancels the
 * producer's step as well, since the consumer awaits it (see {@link #abandonStep}).
 *
 * <p>This object is what the loop tracks (for {@code shutdownAsyncGenerators}) and what the producer's stack
 * refers to; the public {@link AsyncGenerator} only wraps it. So when a consumer drops a generator without closing
 * it, the wrapper becomes unreachable even though the producer task still holds this core, and a {@link Cleaner}
 * closes the core on its loop (Python's finaliser hook for async generators).
 *
 * <p>All fields but {@link #state} are confined to the loop's thread; {@code state} is volatile so that
 * {@link #state()} and the cleaner may read it from elsewhere.
 */
public final class AsyncGeneratorCore<T> implements Yielder<T>, AutoCloseable {
    private static final AtomicLong IDS = new AtomicLong();

    private static final int NONE = 0;
    private static final int SEND = 1;
    private static final int THROW = 2;
    private static final int EXIT = 3;

    /** One cleaner thread for all generators, started with the first generator that runs. */
    private static final class Holder {
        static final Cleaner CLEANER = Cleaner.create();
    }

    private final AsyncGenerator.Body<T> body;
    private final long id = IDS.incrementAndGet();

    private volatile State state = State.CREATED;

    /** The loop of the first step; {@code null} before. */
    private EventLoop loop;

    private Task<Void> producer;
    /** The coroutine waiting for the current step to end, or {@code null}. */
    private Task<?> waiter;

    /** What the producer does when it resumes at its yield: {@link #SEND}, {@link #THROW} or {@link #EXIT}. */
    private int command = NONE;

    private Object argument;

    /** A value yielded and not yet taken by {@code next()}. */
    private T pending;

    private boolean hasPending;
    /** How the producer ended, not yet thrown to the consumer. */
    private Throwable failure;
    /** A close() is waiting for the producer's cleanup. */
    private boolean closing;
    /** The producer yielded during close(): it caught GeneratorExit and went on. */
    private boolean exitIgnored;
    /** Coroutines calling close() while another close() runs: they wait for it. */
    private WaitQueue closeWaiters;

    private Cleaner.Cleanable cleanable;

    public AsyncGeneratorCore(AsyncGenerator.Body<T> body) {
        this.body = Objects.requireNonNull(body, "body");
    }

    public State state() {
        return state;
    }

    /**
     * Closes this core on its loop when {@code owner} (the public wrapper) becomes unreachable while the producer
     * is suspended. Called by the wrapper before its first step; the action must not refer to the owner.
     */
    public void watch(Object owner) {
        if (cleanable == null && state == State.CREATED) {
            cleanable = Holder.CLEANER.register(owner, this::abandoned);
        }
    }

    // ---- consumer's side --------------------------------------------------------------------------------

    public boolean hasNext() {
        Task<?> self = checkCaller("hasNext");
        if (hasPending) {
            return true;
        }
        if (state == State.CLOSED) {
            throwFailure();
            return false;
        }
        checkNotRunning("hasNext");
        step(self, SEND, null);
        if (hasPending) {
            return true;
        }
        throwFailure();
        return false;
    }

    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the async generator has ended");
        }
        return takePending();
    }

    public T send(Object value) {
        Task<?> self = checkCaller("send");
        checkNoPending("send");
        if (state == State.CREATED && value != null) {
            throw new IllegalStateException(
                    "cannot send a non-null value to a generator that has not started: its body has no yield to"
                            + " receive it yet; start it with next() or send(null)");
        }
        if (state == State.CLOSED) {
            throwFailure();
            throw new NoSuchElementException("the async generator has ended");
        }
        checkNotRunning("send");
        step(self, SEND, value);
        return valueOfStep();
    }

    public T throwIn(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        Task<?> self = checkCaller("throwIn");
        if (state == State.CREATED || state == State.CLOSED) {
            state = State.CLOSED; // a generator that never started never will: its body never sees the exception
            throw Sneaky.rethrow(exception);
        }
        checkNoPending("throwIn");
        checkNotRunning("throwIn");
        step(self, THROW, exception);
        return valueOfStep();
    }

    /**
     * The step that {@code send}, {@code throwIn} or the context manager ran: the value yielded, or {@link #END}
     * if the producer returned; rethrows how it failed.
     */
    public Object advance(Object value) {
        return advanceWith(SEND, value);
    }

    /** {@link #advance} with an exception thrown in at the yield. */
    public Object advanceThrowing(Throwable exception) {
        return advanceWith(THROW, Objects.requireNonNull(exception, "exception"));
    }

    /** What {@link #advance} returns when the producer returned instead of yielding. */
    public static final Object END = new Object();

    private Object advanceWith(int cmd, Object arg) {
        Task<?> self = checkCaller(cmd == SEND ? "send" : "throwIn");
        checkNoPending(cmd == SEND ? "send" : "throwIn");
        if (state == State.CLOSED) {
            throwFailure();
            return END;
        }
        checkNotRunning(cmd == SEND ? "send" : "throwIn");
        step(self, cmd, arg);
        if (hasPending) {
            return takePending();
        }
        throwFailure();
        return END;
    }

    @Override
    public void close() {
        State s = state;
        if (s == State.CREATED) {
            state = State.CLOSED; // never started: the body never runs
            return;
        }
        if (s == State.CLOSED) {
            return;
        }
        Task<?> self = checkCaller("close");
        if (closing) {
            if (closeWaiters == null) {
                closeWaiters = new WaitQueue();
            }
            closeWaiters.park(self, null); // someone else is closing it: wait for that close to end
            return;
        }
        checkNotRunning("close");
        hasPending = false; // a value fetched by hasNext() and never taken is dropped
        pending = null;
        closing = true;
        try {
            step(self, EXIT, null);
        } finally {
            closing = false;
            if (closeWaiters != null) {
                closeWaiters.wakeAll(Boolean.TRUE);
            }
        }
        if (exitIgnored) {
            exitIgnored = false;
            throw new IllegalStateException("the async generator ignored GeneratorExit: its body yielded again after"
                    + " close() (catch GeneratorExit only to clean up, then let it propagate); it is still suspended");
        }
        throwFailure();
    }

    private T valueOfStep() {
        if (hasPending) {
            return takePending();
        }
        throwFailure();
        throw new NoSuchElementException("the async generator has ended");
    }

    private T takePending() {
        T v = pending;
        pending = null;
        hasPending = false;
        return v;
    }

    private void throwFailure() {
        Throwable f = failure;
        if (f != null) {
            failure = null; // thrown once; afterwards the generator is simply exhausted
            throw Sneaky.rethrow(f);
        }
    }

    private Task<?> checkCaller(String what) {
        Task<?> self = Suspension.currentTask("AsyncGenerator." + what + "()");
        EventLoop l = loop;
        if (l != null && self.loop() != l) {
            throw new IllegalStateException("this AsyncGenerator runs on " + l.name() + " and cannot be used from a"
                    + " coroutine of " + ((EventLoop) self.loop()).name()
                    + ": an async generator belongs to the loop of its first step");
        }
        return self;
    }

    private void checkNotRunning(String what) {
        if (state == State.RUNNING) {
            Task<?> me = Task.currentOrNull();
            throw new IllegalStateException("AsyncGenerator." + what + "(): the generator is already running"
                    + (me != null && me == producer
                            ? " (its own body cannot iterate or close it)"
                            : " (another coroutine waits for its next step)"));
        }
    }

    private void checkNoPending(String what) {
        if (hasPending) {
            throw new IllegalStateException("AsyncGenerator." + what + "(): a value fetched by hasNext() has not been"
                    + " taken with next() yet");
        }
    }

    /**
     * Runs one step: resumes the producer with {@code cmd} (or starts it) and parks the caller until the producer
     * yields or ends. Cancellation wins, as everywhere in Spindle: if the caller is cancelled before the producer
     * has handed anything over, the producer's step is cancelled too ({@link #abandonStep}); if the producer has
     * already yielded or ended, that stays for the next call and the caller just throws {@link Cancelled}.
     */
    private void step(Task<?> self, int cmd, Object arg) {
        if (cmd != EXIT) {
            // a cancelled consumer does not start a step; close() always runs the cleanup (its awaits may be
            // cancelled in turn, as when asyncio delivers a pending cancel inside aclose())
            Suspension.checkCancel(self);
        }
        waiter = self;
        state = State.RUNNING;
        if (producer == null) {
            start(self);
        } else {
            command = cmd;
            argument = arg;
            Suspension.signal(producer);
        }
        try {
            while (state == State.RUNNING) {
                Suspension.park(self);
                if (Suspension.cancelPending(self)) {
                    Cancelled c = Suspension.takeCancel(self);
                    if (state == State.RUNNING) {
                        abandonStep(self, c);
                    }
                    throw c;
                }
            }
        } finally {
            waiter = null;
        }
    }

    /**
     * The consumer was cancelled while the producer runs a step for it: cancel that step, as awaiting a task does,
     * and wait (deaf to further cancels) until the producer has ended or yielded anyway.
     */
    private void abandonStep(Task<?> self, Cancelled c) {
        producer.cancel(c.getMessage());
        while (state == State.RUNNING) {
            Suspension.parkUncancellable(self);
        }
        if (state == State.SUSPENDED) {
            // It swallowed the cancel, or yielded before reaching a suspension point: withdraw our request so that
            // it does not hit the next step. The value it yielded stays pending for the next call.
            producer.uncancel();
        } else {
            failure = null; // how it ended (most likely this very cancel) is superseded by the consumer's Cancelled
        }
    }

    private void start(Task<?> self) {
        EventLoop l = (EventLoop) self.loop();
        loop = l;
        Task<Void> p = Task.spawn(l, "async-generator-" + id, this::runProducer);
        producer = p;
        p.addDoneCallback(this::producerTaskDone);
        l.trackAsyncGenerator(p, this);
    }

    // ---- producer's side --------------------------------------------------------------------------------

    private void runProducer() {
        Throwable end = null;
        try {
            body.run(this);
        } catch (Throwable e) {
            end = e; // delivered to the consumer, so the task itself ends normally and reports nothing
        }
        producerEnded(end);
    }

    /** The producer task ended without running its body (cancelled before its first step). */
    private void producerTaskDone(LoopFuture<Void> task) {
        if (state != State.CLOSED) {
            Outcome<Void> o = task.outcome();
            producerEnded(o instanceof Outcome.Failure<Void> f ? f.exception() : null);
        }
    }

    private void producerEnded(Throwable e) {
        if (closing) {
            if (e != null && !(e instanceof GeneratorExit)) {
                failure = e; // close() throws what the cleanup raised
            }
        } else if (e != null) {
            failure = e;
        }
        state = State.CLOSED;
        loop.untrackAsyncGenerator(producer);
        Cleaner.Cleanable c = cleanable;
        if (c != null) {
            cleanable = null;
            c.clean(); // nothing left to finalise
        }
        wakeWaiter();
    }

    private void wakeWaiter() {
        Task<?> w = waiter;
        if (w != null) {
            Suspension.signal(w);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S> S yield(T value) {
        Task<?> me = Task.currentOrNull();
        if (me == null || me != producer) {
            throw new IllegalStateException(
                    "Yielder.yield must be called by the generator's own body, in its own coroutine");
        }
        if (closing) {
            exitIgnored = true; // it caught GeneratorExit and yields again: close() reports it; the value is dropped
        } else {
            pending = value;
            hasPending = true;
        }
        state = State.SUSPENDED;
        wakeWaiter();
        int cmd;
        while ((cmd = command) == NONE) {
            Suspension.parkUncancellable(me);
        }
        Object arg = argument;
        command = NONE;
        argument = null;
        if (cmd == EXIT) {
            throw new GeneratorExit(); // a cancel pending on the producer stays pending: its cleanup's awaits get it
        }
        if (Suspension.cancelPending(me)) {
            throw Suspension.takeCancel(me); // a cancel that reached the producer while suspended wins
        }
        if (cmd == THROW) {
            throw Sneaky.rethrow((Throwable) arg);
        }
        return (S) arg;
    }

    // ---- finalisation -----------------------------------------------------------------------------------

    /** On the cleaner's thread: the wrapper was collected. Close the producer on its loop if it is suspended. */
    private void abandoned() {
        EventLoop l = loop;
        if (state != State.SUSPENDED || l == null || l.isClosed()) {
            return;
        }
        try {
            l.callSoonThreadsafe(this::closeAbandoned);
        } catch (IllegalStateException closedMeanwhile) {
            // the loop closed: its close() finalised the open generators already
        }
    }

    private void closeAbandoned() {
        if (state != State.SUSPENDED || closing) {
            return;
        }
        Task.spawn(loop, "close abandoned " + this, () -> {
            try {
                close();
            } catch (Throwable e) {
                loop.callExceptionHandler(
                        new ExceptionContext("an error occurred while closing an abandoned async generator", e, this));
            }
        });
    }

    @Override
    public String toString() {
        return "AsyncGenerator-" + id + "[" + state + "]";
    }
}
