package dev.spindle.examples;

import static dev.spindle.Spindle.*;
import static dev.spindle.examples.AwaitOneAfterAnother.others;

import dev.spindle.task.ReturnWhen;
import dev.spindle.task.Task;
import dev.spindle.task.WaitResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * 2.3 Task, "实际中应该这样写" (how it is written in practice): make a list of tasks and wait for all of them.
 *
 * <p>{@code waitTasks} is asyncio's {@code wait}: it returns the tasks that are done and those still pending. With
 * a timeout, pending holds what did not finish in time; {@code waitTasks} cancels nothing, so that is up to us.
 * {@code gather} waits for all and returns their results in list order.
 */
public final class WaitOnTaskList {
    private WaitOnTaskList() {}

    /** What happened: the names of the tasks done and pending after {@code waitTasks}, and gather's results. */
    public record Result(List<String> done, List<String> pending, List<String> gathered, List<String> events) {}

    /** Waits on a list of two tasks with {@code waitTasks}, then runs two more with {@code gather}. */
    public static Result waitOnList(PrintStream out, Duration wait, Duration timeout) {
        Timeline t = new Timeline(out);

        // done, pending = await asyncio.wait(task_list), inside a coroutine
        WaitResult<Task<String>> r = run(() -> {
            t.say("func()......");
            List<Task<String>> taskList =
                    List.of(spawn("n1", () -> others(t, wait)), spawn("n2", () -> others(t, wait)));
            WaitResult<Task<String>> result = waitTasks(taskList, ReturnWhen.ALL_COMPLETED, timeout);
            for (Task<String> task : result.done()) {
                t.say(task.name() + " done: " + task.result());
            }
            for (Task<String> task : result.pending()) {
                t.say(task.name() + " still pending after " + Timeline.seconds(timeout) + " s: cancelling it");
                task.cancel();
            }
            return result;
        });

        // asyncio.gather(...): tasks need a running loop, so even a one-liner spawns them inside run()
        List<String> gathered = run(() -> gather(spawn(() -> others(t, wait)), spawn(() -> others(t, wait))));
        t.say("gather returned " + gathered);

        return new Result(
                r.done().stream().map(Task::name).toList(),
                r.pending().stream().map(Task::name).toList(),
                gathered,
                t.events());
    }

    public static void main(String[] args) {
        waitOnList(System.out, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
}
