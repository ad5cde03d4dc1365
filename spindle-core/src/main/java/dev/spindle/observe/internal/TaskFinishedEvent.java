package dev.spindle.observe.internal;

import dev.spindle.observe.SpindleEvent;
import dev.spindle.task.Task;
import dev.spindle.task.internal.TaskIntrospection;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * JFR: a task's life, from spawn (the event's start) to its end (the event's end), with its outcome. Begun at spawn
 * only while a recording enables it. Its default threshold, 20 ms (as the JDK's own waits), keeps tasks that lived
 * longer; a threshold of 0 records every task, at a cost per spawn (see BENCHMARKS.md).
 */
@Name("dev.spindle.TaskFinished")
@Label("Task Finished")
@Category({"Spindle", "Tasks"})
@Description("A task ended: its duration is its life from spawn to end")
@StackTrace(false)
@Threshold("20 ms")
public final class TaskFinishedEvent extends SpindleEvent {
    @Label("Parent Task Id")
    long parentId;

    @Label("Outcome")
    @Description("result, failed or cancelled")
    String outcome;

    @Label("Exception")
    String exception;

    @Label("Message")
    String message;

    /** The task, between spawn and end; not recorded (transient fields are not event fields). */
    transient Task<?> spawned;

    void fill(Task<?> t, String outcome, Throwable failure) {
        bindToTask(t);
        parentId = TaskIntrospection.parentId(t);
        this.outcome = outcome;
        if (failure != null) {
            exception = failure.getClass().getName();
            message = failure.getMessage();
        }
    }

    /** Whether a recording takes this event now (checked on an instance the JIT can scalar-replace). */
    static boolean recorded() {
        return new TaskFinishedEvent().isEnabled();
    }
}
