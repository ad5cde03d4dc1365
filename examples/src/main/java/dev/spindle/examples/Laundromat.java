package dev.spindle.examples;

import static dev.spindle.Spindle.*;

import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * 1 协程 (coroutines): the tutorial's laundromat. One worker (the event loop's one thread) runs ten washing
 * machines (coroutines). He switches one on, and while it washes switches on the next; then he goes to whichever
 * machine finishes first (哪台洗好先就取哪台). All ten take about as long as the longest wash, not the sum.
 */
public final class Laundromat {
    private Laundromat() {}

    /** How many time units machine 1, 2, ... 10 needs to wash: every machine a different time. */
    public static final List<Integer> WASH_UNITS = List.of(6, 2, 9, 4, 10, 1, 7, 3, 8, 5);

    /** The machines in the order they finished, the time it all took, and the sum of all wash times. */
    public record Result(List<Integer> finishOrder, double elapsedSeconds, double sumOfWashesSeconds) {}

    /** A washing machine: starts, washes without holding the worker, and returns its number. */
    static int wash(Timeline t, int machine, Duration washTime) {
        t.say("machine " + machine + " started, washes " + Timeline.seconds(washTime) + " s");
        sleep(washTime); // washing: only this machine waits, the worker is free
        return machine;
    }

    /** Runs the laundromat on a loop of its own; {@code unit} is one time unit (0.1 s in the demo). */
    public static Result laundromat(PrintStream out, Duration unit) {
        return run(() -> washAll(out, unit));
    }

    /** The laundromat inside a coroutine: one worker starts all ten machines, then unloads each as it finishes. */
    public static Result washAll(PrintStream out, Duration unit) {
        {
            Timeline t = new Timeline(out);
            List<Task<Integer>> machines = new ArrayList<>();
            for (int i = 0; i < WASH_UNITS.size(); i++) {
                int machine = i + 1;
                Duration washTime = unit.multipliedBy(WASH_UNITS.get(i));
                machines.add(spawn("machine " + machine, () -> wash(t, machine, washTime))); // returns at once
            }
            // asCompleted hands back each machine as it finishes: the async iterator of 2.5, as a plain for loop
            List<Integer> finishOrder = new ArrayList<>();
            for (LoopFuture<Integer> done : asCompleted(machines)) {
                int machine = done.result();
                t.say("machine " + machine + " done: the worker unloads it");
                finishOrder.add(machine);
            }
            int totalUnits = WASH_UNITS.stream().mapToInt(Integer::intValue).sum();
            int longestUnits =
                    WASH_UNITS.stream().mapToInt(Integer::intValue).max().orElseThrow();
            double sum = totalUnits * Timeline.seconds(unit);
            double longest = longestUnits * Timeline.seconds(unit);
            double elapsed = t.elapsed();
            out.printf(
                    "one worker, %d machines: %.2f s in all; the washes add up to %.2f s, the longest is %.2f s%n",
                    machines.size(), elapsed, sum, longest);
            return new Result(finishOrder, elapsed, sum);
        }
    }

    public static void main(String[] args) {
        laundromat(System.out, Duration.ofMillis(100));
    }
}
