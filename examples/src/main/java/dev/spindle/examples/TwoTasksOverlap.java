package dev.spindle.examples;

import static dev.spindle.Spindle.*;
import static dev.spindle.examples.AwaitOneAfterAnother.others;

import dev.spindle.task.Task;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * 2.3 Task: {@code spawn} (asyncio's {@code create_task}) schedules a coroutine on the loop and returns at once, so
 * two tasks wait at the same time.
 *
 * <p>Compare with {@link AwaitOneAfterAnother}: the same two {@code others()} now take one wait in all, not two.
 * While {@code await(task1)} waits, the loop runs {@code task2}, which is waiting already.
 */
public final class TwoTasksOverlap {
    private TwoTasksOverlap() {}

    /** Creates two tasks, then awaits them one by one. Returns the timeline's messages. */
    public static List<String> twoTasks(PrintStream out, Duration wait) {
        return run(() -> {
            Timeline t = new Timeline(out);
            t.say("func()......");
            // create_task: each starts on the loop's next turn; neither call waits
            Task<String> task1 = spawn("task1", () -> others(t, wait));
            Task<String> task2 = spawn("task2", () -> others(t, wait));
            String ret1 = await(task1); // both tasks are sleeping together by now
            String ret2 = await(task2); // it finished at about the same time
            t.say("ret1 = " + ret1 + ", ret2 = " + ret2);
            out.printf("side by side: %.2f s in all for two waits of %.2f s%n", t.elapsed(), Timeline.seconds(wait));
            return t.events();
        });
    }

    public static void main(String[] args) {
        twoTasks(System.out, Duration.ofSeconds(2));
    }
}
