package dev.spindle.observe;

import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Task;
import dev.spindle.task.internal.TaskIntrospection;
import jdk.jfr.Category;
import jdk.jfr.Label;

/**
 * The base of JFR events of Spindle's modules (an HTTP request, a Redis command, a MySQL query): it adds the loop and
 * the task the event happened in, and puts the event in JFR's "Spindle" category. A module declares its event by
 * extending it, with a {@code @Name} of its own ({@code dev.spindle.http.Request}, {@code dev.spindle.redis.Command}...).
 *
 * {@snippet :
 * @Name("dev.spindle.redis.Command") @Label("Redis Command") @StackTrace(false)
 * final class CommandEvent extends SpindleEvent {
 *     @Label("Command") String command;
 * }
 *
 * // around a command:
 * CommandEvent e = SpindleJfr.recording() ? new CommandEvent() : null;
 * if (e != null) e.begin();
 * Object reply = send(args);
 * if (e != null) {
 *     e.end();
 *     if (e.shouldCommit()) { e.command = args[0]; e.bindToCurrentTask(); e.commit(); }
 * }
 * }
 *
 * <h2>Cost</h2>
 * Guard every use with {@link SpindleJfr#recording()}, a static check that loads nothing of JFR: the JDK instruments a JFR event
 * class when it is first loaded, which costs hundreds of milliseconds in a JVM where JFR never started. Once JFR runs,
 * {@code shouldCommit()} decides, by the recording's settings (enabled, threshold), as for any JFR event.
 */
@Category("Spindle")
public abstract class SpindleEvent extends jdk.jfr.Event {
    @Label("Loop")
    protected String loop;

    @Label("Task Id")
    protected long taskId;

    @Label("Task")
    protected String task;

    protected SpindleEvent() {}

    /** Fills the loop and task fields with {@code t}'s. */
    protected final void bindToTask(Task<?> t) {
        loop = t.loop().name();
        taskId = TaskIntrospection.id(t);
        task = t.name();
    }

    /** Fills the loop and task fields from the code running now (a coroutine, or a loop's callback). */
    protected final void bindToCurrentTask() {
        Task<?> t = Task.currentOrNull();
        EventLoop l = EventLoop.currentOrNull();
        loop = l == null ? null : l.name();
        if (t != null) {
            taskId = TaskIntrospection.id(t);
            task = t.name();
        }
    }
}
