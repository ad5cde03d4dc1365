package dev.spindle.tutorial;

// tutorial:begin
import static dev.spindle.Spindle.*;
import static dev.spindle.tutorial.Say.say;

import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class Laundromat {
    /** Seconds each machine needs (a fast laundromat), machine 1 first. */
    static final int[] WASH_SECONDS = {6, 2, 9, 4, 10, 1, 7, 3, 8, 5};

    static int wash(int machine, int seconds) {
        sleep(Duration.ofSeconds(seconds)); // only this machine waits; the worker is free
        return machine;
    }

    static void func() {
        List<Task<Integer>> machines = new ArrayList<>();
        for (int i = 0; i < WASH_SECONDS.length; i++) {
            int machine = i + 1;
            int seconds = WASH_SECONDS[i];
            machines.add(spawn(() -> wash(machine, seconds))); // switch it on and walk on
        }
        say("the worker switched on " + machines.size() + " machines");
        for (LoopFuture<Integer> done : asCompleted(machines)) { // whichever finishes first
            say("unloads machine " + done.result());
        }
        say("all done");
    }

    public static void main(String[] args) {
        run(Laundromat::func);
    }
}
// tutorial:end
