package dev.spindle.tutorial;

// tutorial:begin
import static dev.spindle.Spindle.*;
import static dev.spindle.tutorial.Say.say;

import dev.spindle.task.Task;
import java.time.Duration;

public class TwoTasks {
    static String others(String name) {
        say(name + ": start......");
        sleep(Duration.ofSeconds(2));
        say(name + ": end");
        return name + "'s result";
    }

    static void func() {
        say("func()......");
        Task<String> task1 = spawn(() -> others("task1")); // scheduled; spawn returns at once
        Task<String> task2 = spawn(() -> others("task2"));
        String ret1 = task1.await(); // while we wait here, both tasks sleep side by side
        String ret2 = task2.await(); // already done by now
        say(ret1 + ", " + ret2);
    }

    public static void main(String[] args) {
        run(TwoTasks::func);
    }
}
// tutorial:end
