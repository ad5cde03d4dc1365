package dev.spindle.observe.internal;

import dev.spindle.observe.SpindleEvent;
import dev.spindle.task.Task;
import dev.spindle.task.internal.TaskIntrospection;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR: a task was spawned. Off by default even in a recording (one event per spawn costs a spawn-heavy program dearly:
 * see BENCHMARKS.md); enable it in a {@code .jfc} or with {@code jfr configure}. Off the hot path unless JFR runs (see
 * {@link Jfr}).
 */
@Name("dev.spindle.TaskSpawned")
@Label("Task Spawned")
@Category({"Spindle", "Tasks"})
@Description("A coroutine was spawned as a task of a loop")
@StackTrace(false)
@Enabled(false)
public final class TaskSpawnedEvent extends SpindleEvent {
    @Label("Parent Task Id")
    @Description("The task that spawned it, or 0 when spawned from outside any task")
    long parentId;

    void fill(Task<?> t) {
        bindToTask(t);
        parentId = TaskIntrospection.parentId(t);
    }
}
