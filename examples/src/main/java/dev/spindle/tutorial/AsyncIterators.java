package dev.spindle.tutorial;

// tutorial:begin
import static dev.spindle.Spindle.*;
import static dev.spindle.tutorial.Say.say;

import dev.spindle.gen.AsyncGenerator;
import java.time.Duration;

public class AsyncIterators {
    /** async def lines(): each line takes a second to arrive. */
    static AsyncGenerator<String> lines(int count) {
        return AsyncGenerator.of(out -> {
            try {
                for (int i = 1; i <= count; i++) {
                    sleep(Duration.ofSeconds(1)); // waiting for data: the loop runs other tasks
                    out.yield("line " + i);
                }
            } finally {
                say("reader closed");
            }
        });
    }

    static void func() {
        say("reading lines while a machine washes");
        var machine = spawn(() -> {
            sleep(Duration.ofMillis(2500));
            say("meanwhile: a machine finished washing");
        });
        for (String line : lines(3)) { // async for line in lines(3)
            say("got " + line);
        }
        machine.await();

        try (var reader = lines(100)) { // leaving early: try-with-resources closes the generator
            for (String line : reader) {
                say("got " + line + ", that is enough");
                break;
            }
        }
    }

    public static void main(String[] args) {
        run(AsyncIterators::func);
    }
}
// tutorial:end
