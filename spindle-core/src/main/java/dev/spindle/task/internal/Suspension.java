package dev.spindle.task.internal;

import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;

/**
 * Not API: the one way Spindle's other packages (sync, queue, gen) suspend a coroutine and wake it. {@link Task}
 * keeps its park and signal methods package-private; it installs an implementation of this class once, when it is
 * initialised, so that those packages can reach them without making them public.
 *
 * <p>The contract is Task's: {@link #park} may return spuriously, so callers re-check what they wait for, and check
 * {@link #cancelPending} after every return.
 */
public abstract class Suspension {
    private static volatile Suspension installed;

    protected Suspension() {}

    /** Called once, by {@link Task}'s static initialiser. */
    public static void install(Suspension s) {
        if (installed != null) {
            throw new IllegalStateException("already installed");
        }
        installed = s;
    }

    private static Suspension ops() {
        Suspension s = installed;
        if (s == null) {
            // Task is initialised before any task exists, so this only happens before the first Task: load it now.
            try {
                Class.forName(Task.class.getName(), true, Task.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            s = installed;
        }
        return s;
    }

    /**
     * The task running the current code. {@code what} names the operation for the error message.
     *
     * @throws IllegalStateException outside any coroutine
     */
    public static Task<?> currentTask(String what) {
        Task<?> t = Task.currentOrNull();
        if (t == null) {
            throw new IllegalStateException(what + " must be called from a coroutine (a Spindle task), not from "
                    + Thread.currentThread() + (Thread.currentThread().isVirtual() ? "" : ": spawn a coroutine first"));
        }
        return t;
    }

    /** Parks {@code self} (the current task) until signalled or until a cancellation is requested. */
    public static void park(Task<?> self) {
        ops().doPark(self, true);
    }

    /**
     * {@link #park(Task)}, naming what {@code self} waits for: {@code blocker} is the thread's park blocker while it
     * waits, which task dumps show (a {@code WaitQueue}, a {@code Readiness}, a {@link WaitOn}...).
     */
    public static void park(Task<?> self, Object blocker) {
        ops().doPark(self, true, blocker);
    }

    /** {@link #parkUncancellable(Task)}, naming what {@code self} waits for (see {@link #park(Task, Object)}). */
    public static void parkUncancellable(Task<?> self, Object blocker) {
        ops().doPark(self, false, blocker);
    }

    /** Parks {@code self} until signalled, deaf to cancellation requests (which stay pending). */
    public static void parkUncancellable(Task<?> self) {
        ops().doPark(self, false);
    }

    /** Wakes {@code task} from {@link #park}. Thread-safe. */
    public static void signal(Task<?> task) {
        ops().doSignal(task);
    }

    public static boolean cancelPending(Task<?> self) {
        return ops().doCancelPending(self);
    }

    /** Delivers the pending cancellation: clears the request and returns the exception to throw. */
    public static Cancelled takeCancel(Task<?> self) {
        return ops().doTakeCancel(self);
    }

    /** Throws the pending cancellation, if any. */
    public static void checkCancel(Task<?> self) {
        if (ops().doCancelPending(self)) {
            throw ops().doTakeCancel(self);
        }
    }

    protected abstract void doPark(Task<?> self, boolean wakeOnCancel);

    protected abstract void doPark(Task<?> self, boolean wakeOnCancel, Object blocker);

    protected abstract void doSignal(Task<?> task);

    protected abstract boolean doCancelPending(Task<?> self);

    protected abstract Cancelled doTakeCancel(Task<?> self);
}
