package dev.spindle.task.internal;

import dev.spindle.task.Task;
import dev.spindle.task.TaskGroup;

/**
 * Not API: what observers (task dumps, the stall watchdog, debug mode, JFR events) may read of a task without
 * {@link Task} making it public. Installed once by {@link Task}'s static initialiser, like {@link Suspension}.
 *
 * <p>Reads are racy when made from a thread other than the loop's: each value is one that the field held at some
 * point, so a dump of a busy loop may mix moments, never crash.
 */
public abstract class TaskIntrospection {
    private static volatile TaskIntrospection installed;

    protected TaskIntrospection() {}

    /** Called once, by {@link Task}'s static initialiser. */
    public static void install(TaskIntrospection t) {
        if (installed != null) {
            throw new IllegalStateException("already installed");
        }
        installed = t;
    }

    private static TaskIntrospection ops() {
        TaskIntrospection t = installed;
        if (t == null) {
            try {
                Class.forName(Task.class.getName(), true, Task.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            t = installed;
        }
        return t;
    }

    /** The task whose virtual thread {@code t} is, or {@code null} (also for {@code null}). */
    public static Task<?> taskOf(Thread t) {
        return t == null ? null : ops().doTaskOf(t);
    }

    /** The task's number: its thread's id, unique in the JVM. */
    public static long id(Task<?> task) {
        return ops().doId(task);
    }

    /** The id of the task whose coroutine spawned {@code task}, or 0 if it was spawned from outside any task. */
    public static long parentId(Task<?> task) {
        return ops().doParentId(task);
    }

    /** The task group {@code task} was spawned into, or {@code null}. */
    public static TaskGroup group(Task<?> task) {
        return ops().doGroup(task);
    }

    /** The task that opened {@code group}. */
    public static Task<?> owner(TaskGroup group) {
        return ops().doOwner(group);
    }

    /** Whether the task's body has begun. */
    public static boolean started(Task<?> task) {
        return ops().doStarted(task);
    }

    /** Whether the task is parked in Spindle's own park (as opposed to running, ready, or blocked in the JDK). */
    public static boolean parkedInSpindle(Task<?> task) {
        return ops().doParked(task);
    }

    protected abstract Task<?> doTaskOf(Thread t);

    protected abstract long doId(Task<?> task);

    protected abstract long doParentId(Task<?> task);

    protected abstract TaskGroup doGroup(Task<?> task);

    protected abstract Task<?> doOwner(TaskGroup group);

    protected abstract boolean doStarted(Task<?> task);

    protected abstract boolean doParked(Task<?> task);
}
