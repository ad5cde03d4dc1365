package dev.spindle.tutorial;

// tutorial:begin
import static dev.spindle.Spindle.*;
import static dev.spindle.tutorial.Say.say;

import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import java.time.Duration;
import java.util.List;

public class AsCompleted {
    static String fetch(String page, int seconds) {
        sleep(Duration.ofSeconds(seconds)); // a slow download
        return page;
    }

    static void func() {
        say("downloading three pages");
        List<Task<String>> downloads = List.of(
                spawn(() -> fetch("slow.html", 3)),
                spawn(() -> fetch("fast.html", 1)),
                spawn(() -> fetch("medium.html", 2)));
        for (LoopFuture<String> next : asCompleted(downloads)) { // for f in asyncio.as_completed(...)
            say("got " + next.result());
        }
    }

    public static void main(String[] args) {
        run(AsCompleted::func);
    }
}
// tutorial:end
