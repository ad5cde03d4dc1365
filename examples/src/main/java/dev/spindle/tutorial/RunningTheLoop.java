package dev.spindle.tutorial;

// tutorial:begin
import static dev.spindle.Spindle.*;

import dev.spindle.loop.Loop;
import java.time.Duration;

public class RunningTheLoop {
    static String func() {
        Loop.current().callSoon(() -> System.out.println("  a callback: the loop runs it while func sleeps"));
        sleep(Duration.ofMillis(10)); // func steps aside; the loop runs the callback meanwhile
        return "func's result";
    }

    public static void main(String[] args) {
        // the long way, as in early asyncio: make a loop, run a coroutine on it until it ends, close the loop
        Loop loop = Loop.create();
        try {
            System.out.println("the long way: " + loop.runUntilComplete(RunningTheLoop::func));
        } finally {
            loop.close();
        }
        // the short way: run() does all three, and cancels whatever func left running
        System.out.println("the short way: " + run(RunningTheLoop::func));
    }
}
// tutorial:end
