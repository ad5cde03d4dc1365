package dev.spindle.observe.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR: a step (a coroutine's run between two suspensions, or a callback) held its loop past the stall watchdog's
 * threshold. Committed once per stall by the watchdog's thread, hence the stack as a field: JFR's own stack trace would
 * be the watchdog's.
 */
@Name("dev.spindle.SlowStep")
@Label("Slow Step")
@Category({"Spindle", "Loop"})
@Description("A coroutine step or callback held its loop past the stall threshold")
@StackTrace(false)
public final class SlowStepEvent extends jdk.jfr.Event {
    @Label("Loop")
    String loop;

    @Label("Task Id")
    long taskId;

    @Label("Step")
    @Description("The task, or the callback")
    String step;

    @Label("Held For")
    @Timespan(Timespan.NANOSECONDS)
    long heldNanos;

    @Label("Ended")
    @Description("false: still running when reported")
    boolean ended;

    @Label("Pinned")
    @Description("The coroutine blocked while mounted: it pinned the loop's thread")
    boolean pinned;

    @Label("Stack")
    String stack;
}
