package dev.spindle.queue;

import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.task.VoidCoroutine;
import dev.spindle.task.internal.Sneaky;
import dev.spindle.task.internal.Suspension;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One operation of a {@link ThreadsafeQueue} carried out on the queue's loop for a caller on another thread, and
 * the handshake that lets the caller give up without losing an item.
 *
 * <h2>States</h2>
 * <pre>
 *   PENDING ──claim (loop side)──▶ CLAIMED ──finish / fail (loop side, same step)──▶ DONE
 *      │ ──fail (loop side: the operation failed, e.g. QueueShutDown)─────────────────▶ DONE
 *      └──abandon (caller: cancelled, interrupted, or the loop closed)──────────────────▶ ABANDONED
 * </pre>
 * The loop side claims the request in the very step in which the operation takes effect (the item is taken or
 * inserted, the count changed) and finishes it in that step. The caller may abandon it only while it is PENDING. So
 * exactly one of two things happens: the operation took effect and the caller receives its result, or it never will
 * and the caller throws. A caller whose cancellation loses the race (the request was claimed) waits the few
 * instants until DONE and returns the result; its cancellation stays pending, or its interrupt flag set, for the
 * next wait. Nothing is ever taken and then given back, so the queue's order is never disturbed.
 *
 * <p>An operation that may wait runs in an <em>agent</em>: a task of the queue's loop that waits in the queue's
 * line on the caller's behalf. When the caller abandons, the agent is cancelled so that it leaves the line; an
 * agent already woken when that happens fails to claim, and passes its wake-up on as a cancelled waiter would.
 *
 * @param <R> the operation's result
 */
final class Forwarded<R> {
    private static final int PENDING = 0;
    private static final int CLAIMED = 1;
    private static final int DONE = 2;
    private static final int ABANDONED = 3;

    /** How often a plain thread waiting for a forwarded operation checks whether the queue's loop was closed. */
    private static final long CLOSE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Forwarded.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What the caller does, for messages and the agent's name. */
    private final String what;

    private final EventLoop loop;
    /** The waiting coroutine (of another loop), or {@code null} when a plain thread waits. */
    private final Task<?> waitingTask;

    private final Thread waitingThread;

    private volatile int state;
    /** Written by the loop side before the volatile write that makes the state DONE. */
    private R value;

    private Throwable failure;
    /** The task waiting in the queue on the caller's behalf, if any. Confined to the queue's loop. */
    private Task<?> agent;

    Forwarded(String what, EventLoop loop, Task<?> waitingTask) {
        this.what = what;
        this.loop = loop;
        this.waitingTask = waitingTask;
        this.waitingThread = Thread.currentThread();
    }

    // ---- the loop side ----------------------------------------------------------------------------------

    /** Takes the request on: from now on the caller can no longer give up. False if it already has. */
    boolean claim() {
        return STATE.compareAndSet(this, PENDING, CLAIMED);
    }

    /** Completes a claimed request with its result. */
    void finish(R result) {
        value = result;
        state = DONE;
        wakeCaller();
    }

    /** Completes the request with a failure, unless the caller gave up or it is done already. */
    void fail(Throwable e) {
        int s = state;
        if (s == CLAIMED) {
            failure = e;
            state = DONE;
            wakeCaller();
        } else if (s == PENDING) {
            failure = e;
            if (STATE.compareAndSet(this, PENDING, DONE)) {
                wakeCaller();
            }
        }
    }

    /** A body for {@link #spawnAgent}: the waiting part of the operation, given the agent's task. */
    interface AgentBody {
        void run(Task<?> agent);
    }

    /**
     * Starts the agent that waits in the queue for the caller. The body finishes the request (or finds it claimed
     * by nobody, if the caller gave up); whatever else ends the agent, an exception or a cancellation by its own
     * loop, fails the request so that the caller does not wait forever.
     */
    void spawnAgent(AgentBody body) {
        Task<Void> a = Task.spawn(loop, what, (VoidCoroutine) () -> body.run(Suspension.currentTask(what)));
        agent = a;
        // toCompletableFuture's listener runs on the loop's thread when the agent ends, even if it never started.
        a.toCompletableFuture().whenComplete((v, e) -> {
            if (e == null) {
                return; // the body finished the request, or the caller gave up
            }
            fail(
                    e instanceof java.util.concurrent.CancellationException
                            ? new IllegalStateException(what + " was cancelled on the queue's loop " + loop.name()
                                    + " (is it shutting down?)")
                            : e);
        });
    }

    private void wakeCaller() {
        if (waitingTask != null) {
            Suspension.signal(waitingTask);
        } else {
            LockSupport.unpark(waitingThread);
        }
    }

    // ---- the caller's side ------------------------------------------------------------------------------

    /** Hands the operation to the queue's loop and waits for its result. */
    R run(Consumer<Forwarded<R>> onLoop) {
        try {
            loop.callSoonThreadsafe(() -> {
                if (state == ABANDONED) {
                    return;
                }
                try {
                    onLoop.accept(this);
                } catch (Throwable e) {
                    fail(e);
                }
            });
        } catch (IllegalStateException closed) {
            throw loopClosed();
        }
        return waitingTask != null ? awaitInTask(waitingTask) : awaitBlocking();
    }

    private R awaitInTask(Task<?> self) {
        while (state != DONE) {
            if (Suspension.cancelPending(self)) {
                if (abandon()) {
                    throw Suspension.takeCancel(self);
                }
                // Claimed: the loop side finishes in the same step. Take the result; the cancel stays pending.
                while (state != DONE) {
                    Suspension.parkUncancellable(self);
                }
                break;
            }
            Suspension.park(self);
        }
        return result();
    }

    private R awaitBlocking() {
        boolean interrupted = false;
        while (state != DONE) {
            if (Thread.interrupted()) {
                if (abandon()) {
                    Thread.currentThread().interrupt();
                    throw new Cancelled("interrupted while waiting in " + what);
                }
                interrupted = true; // claimed: the result is a moment away; the interrupt is kept for later
            } else if (loop.isClosed() && abandon()) {
                throw loopClosed();
            }
            LockSupport.parkNanos(this, CLOSE_POLL_NANOS);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return result();
    }

    /** Gives up a request not yet claimed, and withdraws its agent from the queue's line. */
    private boolean abandon() {
        if (!STATE.compareAndSet(this, PENDING, ABANDONED)) {
            return false;
        }
        try {
            // Runs after the callback that may have spawned the agent: both were handed over by this thread, in order.
            loop.callSoonThreadsafe(() -> {
                if (agent != null) {
                    agent.cancel();
                }
            });
        } catch (IllegalStateException closed) {
            // the loop is closed: its agent will never run again
        }
        return true;
    }

    private R result() {
        if (failure != null) {
            throw Sneaky.rethrow(failure);
        }
        return value;
    }

    private IllegalStateException loopClosed() {
        return new IllegalStateException(what + ": the loop " + loop.name() + " that owns this queue is closed");
    }
}
