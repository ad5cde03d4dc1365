package dev.spindle.tutorial;

// tutorial:begin
import static dev.spindle.Spindle.*;
import static dev.spindle.tutorial.Say.say;

import dev.spindle.task.ReturnWhen;
import dev.spindle.task.Task;
import dev.spindle.task.WaitResult;
import java.time.Duration;
import java.util.List;

public class WaitOnTaskList {
    static String others(int seconds) {
        sleep(Duration.ofSeconds(seconds));
        return "slept " + seconds + " s";
    }

    static void func() {
        say("func()......");
        List<Task<String>> taskList =
                List.of(spawn("n1", () -> others(2)), spawn("n2", () -> others(2)), spawn("n3", () -> others(9)));
        // done, pending = await asyncio.wait(task_list, timeout=5)
        WaitResult<Task<String>> r = waitTasks(taskList, ReturnWhen.ALL_COMPLETED, Duration.ofSeconds(5));
        for (Task<String> task : taskList) {
            if (r.done().contains(task)) {
                say(task.name() + " done: " + task.result());
            } else {
                say(task.name() + " pending: cancelling it"); // wait() cancels nothing itself
                task.cancel();
            }
        }
        waitTasks(r.pending(), ReturnWhen.ALL_COMPLETED); // until the cancelled ones have stopped
        say("n3 cancelled: " + taskList.get(2).isCancelled());
    }

    public static void main(String[] args) {
        run(WaitOnTaskList::func);
    }
}
// tutorial:end
