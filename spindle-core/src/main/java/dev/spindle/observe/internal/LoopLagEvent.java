package dev.spindle.observe.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * JFR: how late a loop runs work. Every period JFR's periodic thread hands each running loop a probe through its inbox;
 * the event starts then and ends when the loop runs the probe, so its duration is the lag, committed from the loop's
 * thread. With the event's threshold, only lags over it are kept.
 */
@Name("dev.spindle.LoopLag")
@Label("Loop Lag")
@Category({"Spindle", "Loop"})
@Description("The time from handing a loop a probe to the loop running it; with the loop's load")
@Period("1 s")
@StackTrace(false)
public final class LoopLagEvent extends jdk.jfr.Event {
    @Label("Loop")
    String loop;

    @Label("Ready Queue Depth")
    int readyDepth;

    @Label("Tasks Alive")
    int tasksAlive;

    @Label("Steps per Second")
    double stepsPerSecond;
}
