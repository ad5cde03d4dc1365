package dev.spindle.tutorial;

// tutorial:begin
import static dev.spindle.Spindle.*;
import static dev.spindle.tutorial.Say.say;

import dev.spindle.task.Outcome;
import dev.spindle.task.Task;
import java.time.Duration;
import java.util.List;

public class Gather {
    static String others(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("cannot sleep " + seconds + " s");
        }
        sleep(Duration.ofSeconds(seconds));
        return "slept " + seconds + " s";
    }

    static void func() {
        say("func()......");
        // asyncio.gather(a, b): results in the order asked, however they finish
        List<String> results = gather(spawn(() -> others(3)), spawn(() -> others(1)));
        say("gather: " + results);

        // return_exceptions=True: every outcome, failures included
        List<Task<String>> tasks = List.of(spawn(() -> others(1)), spawn(() -> others(-1)));
        for (Outcome<String> outcome : gatherOutcomes(tasks)) {
            switch (outcome) {
                case Outcome.Success<String> s -> say("ok: " + s.value());
                case Outcome.Failure<String> f -> say("failed: " + f.exception().getMessage());
            }
        }
    }

    public static void main(String[] args) {
        run(Gather::func);
    }
}
// tutorial:end
