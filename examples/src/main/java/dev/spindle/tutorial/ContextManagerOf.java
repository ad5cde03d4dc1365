package dev.spindle.tutorial;

// tutorial:begin
import static dev.spindle.Spindle.*;
import static dev.spindle.tutorial.Say.say;

import dev.spindle.gen.AsyncContextManager;
import java.time.Duration;

public class ContextManagerOf {
    /** @asynccontextmanager: the setup, one yield of the resource, the cleanup in a finally. */
    static final AsyncContextManager<String> CONNECTION = AsyncContextManager.of(out -> {
        say("connecting...");
        sleep(Duration.ofSeconds(1));
        try {
            out.yield("connection 1");
        } finally {
            say("closing...");
            sleep(Duration.ofSeconds(1));
            say("closed");
        }
    });

    static void func() {
        say("func()......");
        int result = CONNECTION.use(
                conn -> { // async with CONNECTION as conn
                    say("querying on " + conn);
                    sleep(Duration.ofSeconds(1));
                    return 666;
                });
        say("result: " + result);
    }

    public static void main(String[] args) {
        run(ContextManagerOf::func);
    }
}
// tutorial:end
