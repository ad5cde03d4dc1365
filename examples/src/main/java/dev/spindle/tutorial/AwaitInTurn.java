package dev.spindle.tutorial;

// tutorial:begin
import static dev.spindle.Spindle.*;
import static dev.spindle.tutorial.Say.say;

import java.time.Duration;

public class AwaitInTurn {
    static String others() {
        say("start......");
        sleep(Duration.ofSeconds(2)); // suspends this coroutine; the loop is free
        say("end");
        return "the result";
    }

    static void func() {
        say("func()......");
        String response1 = others(); // the next line waits until others() has returned
        say(response1);
        String response2 = others();
        say(response2);
    }

    public static void main(String[] args) {
        run(AwaitInTurn::func);
    }
}
// tutorial:end
