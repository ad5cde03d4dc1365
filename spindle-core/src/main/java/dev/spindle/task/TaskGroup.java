package dev.spindle.task;

import dev.spindle.loop.ExceptionContext;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.internal.Interruption;
import dev.spindle.task.internal.Sneaky;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * A scope that owns tasks (asyncio's {@code TaskGroup}, Trio's nursery): the body spawns children into the group,
 * and {@link #open} returns only when every child has finished.
 *
 * {@snippet :
 * List<String> pages = taskGroup(tg -> {
 *     Task<String> a = tg.spawn(() -> fetch("a"));
 *     Task<String> b = tg.spawn(() -> fetch("b"));
 *     return null; // the body's result is open()'s result
 * });
 * }
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Children never outlive the group: the group waits for all of them, even when the body fails.
 *   <li>The first child to fail (with anything but a cancellation) cancels every other child and the body
 *       (which receives {@link Cancelled} at its current wait). The group sees a child's end, and a failing
 *       body's, after the steps already ready in that loop pass: children that fail in the same pass are all
 *       reported (see the package docs, "Reacting to a task's end").
 *   <li>When all are done, every failure, the children's and the body's, is thrown together as one
 *       {@link ExceptionGroup}. Cancelled children add nothing.
 *   <li>If the task running the group is cancelled from outside, the children are cancelled, the group waits for
 *       them, and the {@link Cancelled} goes on, unless some child failed: then the {@link ExceptionGroup} wins,
 *       and the cancellation stays requested, to be delivered at the task's next suspension.
 *   <li>Once the group is finished, or shutting down after a failure, spawning into it fails.
 * </ul>
 * Lambda-shaped, not try-with-resources: closing cannot see or replace the body's exception.
 *
 * <p>Confined to the task that opened it: spawn from that task or its children, on the same loop.
 */
public final class TaskGroup {
    private final Task<?> parent;
    private final EventLoop loop;
    private final Set<Task<?>> children = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    /** Children that ended and whose end the group has not handled yet, in the order they ended. */
    private final ArrayDeque<Task<?>> ended = new ArrayDeque<>();

    private final Runnable reaction = this::reactToEnds;
    private boolean reactionQueued;
    private boolean entered;
    private boolean exiting;
    private boolean aborting;
    private boolean finished;
    private boolean parentCancelRequested;

    private TaskGroup(Task<?> parent) {
        this.parent = parent;
        this.loop = (EventLoop) parent.loop();
    }

    /** The body of a task group: spawns children into {@code group} and returns a result. */
    @FunctionalInterface
    public interface Body<R> {
        R run(TaskGroup group) throws Exception;
    }

    /**
     * Runs {@code body} with a new group in the current task, waits for every child, and returns the body's result.
     *
     * @throws ExceptionGroup if any child or the body failed
     * @throws Cancelled if the running task was cancelled from outside and nothing failed
     */
    public static <R> R open(Body<R> body) {
        Objects.requireNonNull(body, "body");
        TaskGroup g = new TaskGroup(Tasks.currentTask("TaskGroup.open"));
        g.entered = true;
        R result = null;
        Throwable bodyError = null;
        try {
            result = body.run(g);
        } catch (Throwable e) {
            bodyError = e;
        }
        g.exit(bodyError);
        return result;
    }

    /** Spawns a child into the group. @throws IllegalStateException if the group is finished or shutting down */
    public <T> Task<T> spawn(Coroutine<T> coroutine) {
        return spawn(null, coroutine);
    }

    /** Spawns a named child into the group. */
    public <T> Task<T> spawn(String name, Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        checkAcceptsChildren();
        return track(Task.spawn(loop, name, coroutine));
    }

    /** {@link #spawn(Coroutine)} for a coroutine that returns nothing. */
    public Task<Void> spawn(VoidCoroutine coroutine) {
        return spawn(null, coroutine);
    }

    /** {@link #spawn(String, Coroutine)} for a coroutine that returns nothing. */
    public Task<Void> spawn(String name, VoidCoroutine coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        checkAcceptsChildren();
        return track(Task.spawn(loop, name, coroutine));
    }

    private void checkAcceptsChildren() {
        if (!entered) {
            throw new IllegalStateException("the TaskGroup has not started");
        }
        if (finished || (exiting && children.isEmpty())) {
            throw new IllegalStateException("the TaskGroup is finished");
        }
        if (aborting) {
            throw new IllegalStateException("the TaskGroup is shutting down after a failure");
        }
    }

    private <T> Task<T> track(Task<T> child) {
        children.add(child);
        child.group = this;
        child.whenDone(() -> childEnded(child));
        return child;
    }

    /**
     * A child's end is seen through the ready queue, not inline on the completing thread: siblings the loop has
     * already made ready in this pass run their step first, so a failure they raise in it is reported, not cancelled
     * away. Ends are batched: one queued reaction handles every child that ended before it runs.
     */
    private void childEnded(Task<?> child) {
        ended.add(child);
        if (!reactionQueued) {
            reactionQueued = true;
            loop.enqueue(reaction);
        }
    }

    private void reactToEnds() {
        reactionQueued = false;
        Task<?> child;
        while ((child = ended.poll()) != null) {
            onChildDone(child);
        }
    }

    /** The task that opened the group. */
    Task<?> owner() {
        return parent;
    }

    /** The children still running. */
    public int size() {
        return children.size();
    }

    private void onChildDone(Task<?> child) {
        children.remove(child);
        if (exiting && children.isEmpty()) {
            parent.signal();
        }
        if (child.isCancelled() || !child.isFailed()) {
            return;
        }
        Throwable e = child.exception(); // retrieved: the group reports it
        errors.add(e);
        if (parent.isDone()) {
            loop.callExceptionHandler(
                    new ExceptionContext("task group child failed after its parent finished", e, child));
            return;
        }
        if (!aborting && !parentCancelRequested) {
            abort();
            parentCancelRequested = true;
            parent.cancel();
        }
    }

    private void abort() {
        aborting = true;
        for (Task<?> c : List.copyOf(children)) {
            c.cancel();
        }
    }

    private void exit(Throwable bodyError) {
        exiting = true;
        Throwable propagateCancel = null;
        boolean bodyCancelled = bodyError != null && Interruption.isCancellation(bodyError, parent.cancelling() > 0);
        if (bodyCancelled) {
            propagateCancel = bodyError;
        }
        if (bodyError != null && !aborting) {
            // Deferred like a child's failure: children already ready in this pass finish their step first.
            aborting = true;
            loop.enqueue(this::abort);
        }
        while (!children.isEmpty()) {
            if (parent.cancelPending()) {
                Cancelled c = parent.takeCancel();
                if (!aborting) { // cancelled from outside while waiting for the children
                    propagateCancel = c;
                    abort();
                }
                continue;
            }
            parent.park(true, this);
        }
        finished = true;
        if (parentCancelRequested && parent.uncancel() == 0) {
            propagateCancel = null; // the cancellation was ours: it has done its job
        }
        if (bodyError instanceof Error err && !(bodyError instanceof AssertionError)) {
            throw err; // VirtualMachineErrors and the like are not grouped
        }
        if (propagateCancel != null && errors.isEmpty()) {
            throw Sneaky.rethrow(propagateCancel);
        }
        if (bodyError != null && !bodyCancelled) {
            errors.add(bodyError);
        }
        if (!errors.isEmpty()) {
            if (parent.cancelling() > 0) {
                // Cancelled from outside as well: the group wins, but the cancellation must not be lost. Re-arm it
                // (keeping the count) so that the parent's next suspension raises it, as asyncio does.
                String message = propagateCancel instanceof CancellationException c ? c.getMessage() : null;
                parent.uncancel();
                parent.cancel(message);
            }
            throw new ExceptionGroup("unhandled failures in a TaskGroup", errors);
        }
    }

    @Override
    public String toString() {
        return "TaskGroup[" + children.size() + " running" + (aborting ? ", aborting" : "")
                + (finished ? ", finished" : "") + "]";
    }
}
