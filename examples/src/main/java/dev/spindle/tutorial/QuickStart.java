package dev.spindle.tutorial;

// tutorial:begin
import static dev.spindle.Spindle.run;

import dev.spindle.task.VoidCoroutine;

public class QuickStart {
    static void func() {
        System.out.println("I was run!");
    }

    public static void main(String[] args) {
        VoidCoroutine result = QuickStart::func; // the coroutine object: nothing runs yet
        System.out.println("made the coroutine object");
        run(result); // a new loop runs func() to its end, then closes
        System.out.println("run() returned");
    }
}
// tutorial:end
