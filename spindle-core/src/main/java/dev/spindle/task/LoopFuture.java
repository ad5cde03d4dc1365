package dev.spindle.task;

import dev.spindle.loop.ExceptionContext;
import dev.spindle.loop.Loop;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.loop.internal.UnretrievedFailures;
import dev.spindle.task.internal.Sneaky;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A result that will be set later, bound to one loop (asyncio's {@code Future}; named so as not to clash with
 * {@link java.util.concurrent.Future}). {@link Task} is the future of a coroutine; a bare {@code LoopFuture} is
 * set by hand, typically to turn a callback-style API into something a coroutine can await.
 *
 * {@snippet :
 * LoopFuture<String> reply = new LoopFuture<>();
 * loop.callLater(Duration.ofMillis(5), () -> reply.setResult("pong"));
 * String s = reply.await(); // parks this coroutine until the callback runs
 * }
 *
 * <h2>States</h2>
 * <pre>
 *   PENDING ──setResult──▶ RESULT
 *      │    ──setException▶ FAILED
 *      └────cancel────────▶ CANCELLED
 * </pre>
 * A future leaves PENDING once. Afterwards {@link #result()} returns the value, rethrows the exception unchanged,
 * or throws {@link Cancelled}.
 *
 * <h2>Threads</h2>
 * {@link #setResult}, {@link #setException}, {@link #cancel()} and {@link #addDoneCallback} must be called on the
 * loop's thread (other threads use {@link Loop#callSoonThreadsafe}). Reading the state and awaiting are
 * thread-safe: coroutines of other loops and plain threads may await the future. On completion, done callbacks
 * and awaiting coroutines of the loop are made ready in the order they registered (as in asyncio, where an await
 * is a done callback too); both then run through the loop's ready queue, never inline.
 *
 * <h2>Unretrieved failures</h2>
 * If a future fails and nobody awaits it, asks for its {@link #result()} or {@link #exception()}, the failure is
 * reported to the loop's exception handler when the future is garbage-collected or the loop closes, whichever
 * comes first.
 *
 * @param <T> the result type
 */
public class LoopFuture<T> {
    static final int PENDING = 0;
    static final int RESULT = 1;
    static final int FAILED = 2;
    static final int CANCELLED = 3;

    final EventLoop loop;

    private static final Object DONE = new Object();
    private static final VarHandle LISTENERS;

    static {
        try {
            LISTENERS = MethodHandles.lookup().findVarHandle(LoopFuture.class, "listeners", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Written once, on the loop's thread; {@link #outcome} is written before it. */
    private volatile int state;
    /** The value, the exception, or the cancellation message, by state. */
    private Object outcome;
    /**
     * Who to tell on completion: {@code null}, the one listener itself, or the newest {@link Registration} of a
     * stack of them; after
     * completion, {@link #DONE}. A listener is a {@link Task} (signalled), a {@link Runnable} (run on the completing
     * thread) or a {@link DoneCallback} (scheduled through the loop). Pushed only by CAS: other threads may add
     * listeners while the loop completes the future.
     */
    private volatile Object listeners;

    private UnretrievedFailures.Report unretrieved;

    /** A pending future bound to the current loop. */
    public LoopFuture() {
        this(EventLoop.current());
    }

    /** A pending future bound to {@code loop}. */
    public LoopFuture(Loop loop) {
        this.loop = (EventLoop) Objects.requireNonNull(loop, "loop");
    }

    /** The loop this future belongs to. */
    public Loop loop() {
        return loop;
    }

    // ---- state ------------------------------------------------------------------------------------------

    /** Whether it has a result, an exception, or was cancelled. Thread-safe. */
    public final boolean isDone() {
        return state != PENDING;
    }

    /** Whether it was cancelled. Thread-safe. */
    public final boolean isCancelled() {
        return state == CANCELLED;
    }

    /** Whether it failed with an exception (not a cancellation). Thread-safe. */
    public final boolean isFailed() {
        return state == FAILED;
    }

    /**
     * The result. Rethrows the failure unchanged (checked exceptions included) and marks it retrieved.
     *
     * @throws Cancelled if the future was cancelled
     * @throws IllegalStateException if it is not done
     */
    @SuppressWarnings("unchecked")
    public final T result() {
        switch (state) {
            case RESULT:
                return (T) outcome;
            case FAILED:
                markRetrieved();
                throw Sneaky.rethrow((Throwable) outcome);
            case CANCELLED:
                throw new Cancelled((String) outcome);
            default:
                throw new IllegalStateException(describe() + " has no result yet");
        }
    }

    /**
     * The exception it failed with, or {@code null} if it succeeded. Marks the failure retrieved.
     *
     * @throws Cancelled if the future was cancelled
     * @throws IllegalStateException if it is not done
     */
    public final Throwable exception() {
        switch (state) {
            case RESULT:
                return null;
            case FAILED:
                markRetrieved();
                return (Throwable) outcome;
            case CANCELLED:
                throw new Cancelled((String) outcome);
            default:
                throw new IllegalStateException(describe() + " has no exception yet");
        }
    }

    /** The outcome as a value; never throws for a done future. */
    public final Outcome<T> outcome() {
        if (state == PENDING) {
            throw new IllegalStateException(describe() + " is not done");
        }
        if (state == RESULT) {
            return new Outcome.Success<>(result());
        }
        if (state == FAILED) {
            return new Outcome.Failure<>(exception());
        }
        return new Outcome.Failure<>(new Cancelled((String) outcome));
    }

    /** The message given to {@link #cancel(String)}, or {@code null}. */
    final String cancelMessage() {
        return state == CANCELLED ? (String) outcome : null;
    }

    // ---- completing -------------------------------------------------------------------------------------

    /**
     * Sets the result and wakes everything awaiting it.
     *
     * @throws IllegalStateException if it is already done
     */
    public void setResult(T value) {
        loop.checkThread("LoopFuture.setResult");
        if (!complete(RESULT, value)) {
            throw new IllegalStateException(describe() + " is already done");
        }
    }

    /**
     * Fails the future with {@code exception}.
     *
     * @throws IllegalStateException if it is already done
     * @throws IllegalArgumentException if {@code exception} is a {@link java.util.concurrent.CancellationException}
     *     (use {@link #cancel()})
     */
    public void setException(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        if (exception instanceof java.util.concurrent.CancellationException) {
            throw new IllegalArgumentException("a cancellation cannot be set as an exception: call cancel()");
        }
        loop.checkThread("LoopFuture.setException");
        if (!complete(FAILED, exception)) {
            throw new IllegalStateException(describe() + " is already done");
        }
    }

    /** Cancels the future. Returns {@code false} if it was already done. */
    public boolean cancel() {
        return cancel(null);
    }

    /** Cancels the future with a message that its {@link Cancelled} will carry. */
    public boolean cancel(String message) {
        loop.checkThread("LoopFuture.cancel");
        return complete(CANCELLED, message);
    }

    /**
     * Leaves PENDING; false if already done. Tasks complete themselves through this too. Always on the loop's thread,
     * so there is one completer; listeners may be added concurrently from other threads, hence the CAS protocol on
     * {@link #listeners}: completion swaps in {@link #DONE}, and an adder that finds {@code DONE} handles the
     * completion itself.
     */
    final boolean complete(int newState, Object value) {
        if (state != PENDING) {
            return false;
        }
        outcome = value;
        state = newState;
        Object toTell = LISTENERS.getAndSet(this, DONE);
        if (newState == FAILED) {
            unretrieved = loop.unretrievedFailures().track(this, (Throwable) value);
        }
        if (toTell != null && !(toTell instanceof Registration)) {
            tell(toTell); // the one listener, held directly
        } else if (toTell instanceof Registration head) {
            if (head.next == null) {
                Object l = head.listener;
                if (l != null) {
                    tell(l);
                }
            } else {
                // the stack holds the newest first: tell them in registration order
                java.util.ArrayList<Object> all = new java.util.ArrayList<>();
                for (Registration r = head; r != null; r = r.next) {
                    Object l = r.listener;
                    if (l != null) {
                        all.add(l);
                    }
                }
                for (int i = all.size() - 1; i >= 0; i--) {
                    tell(all.get(i));
                }
            }
        }
        return true;
    }

    private void tell(Object listener) {
        try {
            // an instanceof chain, not a type switch: the switch's bootstrap spins a class (some 3 ms) when the
            // first future of a process completes
            if (listener instanceof Task<?> t) {
                t.signal();
            } else if (listener instanceof DoneCallback<?> cb) {
                loop.callSoon(cb);
            } else if (listener instanceof Runnable r) {
                r.run();
            } else {
                throw new AssertionError(listener);
            }
        } catch (Throwable e) {
            loop.callExceptionHandler(new ExceptionContext("listener of " + describe() + " failed", e, this));
        }
    }

    final void markRetrieved() {
        UnretrievedFailures.Report r = unretrieved;
        if (r != null) {
            unretrieved = null;
            r.retrieved();
        }
    }

    // ---- listening --------------------------------------------------------------------------------------

    /**
     * One registration: a node of a stack that other threads push onto with a CAS. Removing a registration only
     * clears its {@code listener}, in O(1) whoever removes it; cleared nodes are skipped at completion and unlinked
     * by {@link #compact()} on the loop's thread once they are many, so that a future awaited by a million
     * coroutines, then abandoned by them, costs linear time.
     */
    static final class Registration {
        volatile Object listener;
        /** Written before the node is published, and afterwards only by {@link #compact()} on the loop thread. */
        Registration next;

        Registration(Object listener, Registration next) {
            this.listener = listener;
            this.next = next;
        }
    }

    /** Registrations pushed, and cleared, since the last compaction: a heuristic, so racy counts are fine. */
    private int pushed;

    private int cleared;

    /**
     * Registers an internal listener and returns a token for {@link #removeListener}; returns {@code null} (and
     * registers nothing) if the future is already done. Thread-safe.
     *
     * <p>The first listener of a future is held directly, with no {@link Registration}: most futures have one
     * awaiter, and that keeps an await free of allocation. A second listener turns it into a stack.
     */
    final Object addListener(Object listener) {
        Registration r = null;
        while (true) {
            Object cur = listeners;
            if (cur == DONE) {
                return null;
            }
            if (cur == null) {
                if (LISTENERS.compareAndSet(this, null, listener)) {
                    pushed++;
                    return listener;
                }
                continue;
            }
            Registration below = cur instanceof Registration head ? head : new Registration(cur, null);
            if (r == null) {
                r = new Registration(listener, below);
            } else {
                r.next = below;
            }
            if (LISTENERS.compareAndSet(this, cur, r)) {
                pushed++;
                return r;
            }
        }
    }

    /** Withdraws a registration by the token {@link #addListener} returned; {@code null} is ignored. Thread-safe. */
    final void removeListener(Object token) {
        if (token == null) {
            return;
        }
        Registration r;
        if (token instanceof Registration reg) {
            r = reg;
        } else {
            // a listener held directly, or since wrapped at the bottom of the stack by a second listener
            while (true) {
                Object cur = listeners;
                if (cur == token) {
                    if (LISTENERS.compareAndSet(this, token, null)) {
                        return;
                    }
                    continue;
                }
                r = null;
                if (cur instanceof Registration head) {
                    for (Registration x = head; x != null; x = x.next) {
                        if (x.listener == token) {
                            r = x;
                        }
                    }
                }
                break;
            }
            if (r == null) {
                return;
            }
        }
        if (r.listener == null) {
            return;
        }
        r.listener = null;
        if (++cleared > 64 && cleared * 2 > pushed && loop.inLoopThread()) {
            compact();
        }
    }

    /** Unlinks cleared registrations. Loop thread only, so it never races completion or itself. */
    private void compact() {
        Object head = listeners;
        if (!(head instanceof Registration first)) {
            return;
        }
        int live = 0;
        Registration prev = first; // the head stays, even if cleared: other threads CAS against it
        for (Registration r = first.next; r != null; r = r.next) {
            if (r.listener == null) {
                prev.next = r.next;
            } else {
                prev = r;
                live++;
            }
        }
        pushed = live + 1;
        cleared = 0;
    }

    /** Runs {@code action} on the completing thread once done, or now if already done. Thread-safe. */
    final void whenDone(Runnable action) {
        if (addListener(action) == null) {
            action.run();
        }
    }

    /**
     * Calls {@code callback} with this future, through the loop's ready queue, once it is done (at once, in a later
     * pass, if it already is). Callbacks run in the {@link Context} current when they were added.
     */
    public void addDoneCallback(Consumer<? super LoopFuture<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        loop.checkThread("LoopFuture.addDoneCallback");
        DoneCallback<T> cb = new DoneCallback<>(this, callback, Context.current());
        if (addListener(cb) == null) {
            loop.callSoon(cb);
        }
    }

    /** Removes every registration of {@code callback}; returns how many there were. */
    public int removeDoneCallback(Consumer<? super LoopFuture<T>> callback) {
        int removed = 0;
        Object cur = listeners;
        if (cur instanceof DoneCallback<?> direct && direct.callback == callback) {
            if (LISTENERS.compareAndSet(this, cur, null)) {
                return 1;
            }
        }
        if (listeners instanceof Registration head) {
            for (Registration r = head; r != null; r = r.next) {
                if (r.listener instanceof DoneCallback<?> cb && cb.callback == callback) {
                    removeListener(r);
                    removed++;
                }
            }
        }
        return removed;
    }

    // ---- awaiting ---------------------------------------------------------------------------------------

    /**
     * Waits for the result: parks the current coroutine (or blocks the current plain thread) until the future is
     * done, then returns the value or rethrows the failure unchanged.
     *
     * <p>If the awaiting task is cancelled meanwhile, the awaited future is cancelled too (as in asyncio), the
     * task waits for it to finish, and then receives {@link Cancelled}. Use {@link Tasks#shield} to keep the
     * awaited work running.
     *
     * @throws IllegalStateException on a loop's thread outside any coroutine, where waiting would block the loop
     */
    public T await() {
        return Awaiting.await(this);
    }

    /**
     * A {@link CompletableFuture} that completes with this future's outcome. Cancelling it cancels this future.
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> cf = new CompletableFuture<>();
        whenDone(() -> {
            switch (state) {
                case RESULT -> cf.complete(result());
                case FAILED -> {
                    markRetrieved();
                    cf.completeExceptionally((Throwable) outcome);
                }
                default -> cf.cancel(false);
            }
        });
        cf.whenComplete((v, e) -> {
            if (cf.isCancelled() && !isDone()) {
                cancelThreadsafe(null);
            }
        });
        return cf;
    }

    /** Cancels from any thread: directly on the loop's thread, else through the loop. */
    void cancelThreadsafe(String message) {
        if (loop.inLoopThread()) {
            cancel(message);
        } else if (!loop.isClosed()) {
            try {
                loop.callSoonThreadsafe(() -> cancel(message));
            } catch (IllegalStateException closed) {
                // the loop closed meanwhile: nothing left to cancel
            }
        }
    }

    String describe() {
        return "LoopFuture@" + Integer.toHexString(System.identityHashCode(this));
    }

    @Override
    public String toString() {
        String s =
                switch (state) {
                    case PENDING -> "pending";
                    case RESULT -> "result=" + outcome;
                    case FAILED -> "exception=" + outcome;
                    default -> "cancelled";
                };
        return describe() + "[" + s + "]";
    }

    /** A user's done callback, scheduled through the loop in the context it was added in. */
    static final class DoneCallback<T> implements Runnable {
        private final LoopFuture<T> future;
        final Consumer<? super LoopFuture<T>> callback;
        private final Context context;

        DoneCallback(LoopFuture<T> future, Consumer<? super LoopFuture<T>> callback, Context context) {
            this.future = future;
            this.callback = callback;
            this.context = context;
        }

        @Override
        public void run() {
            context.run(() -> callback.accept(future));
        }
    }
}
