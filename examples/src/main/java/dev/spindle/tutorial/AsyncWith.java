package dev.spindle.tutorial;

// tutorial:begin
import static dev.spindle.Spindle.*;
import static dev.spindle.tutorial.Say.say;

import java.time.Duration;

public class AsyncWith {
    /** The seed's AsyncContextManager: connecting, querying and closing each wait on the network. */
    static class Connection implements AutoCloseable {
        static Connection open() { // __aenter__
            say("connecting...");
            sleep(Duration.ofSeconds(1));
            say("connected");
            return new Connection();
        }

        int doSomething(String sql) {
            sleep(Duration.ofSeconds(1));
            if (!sql.startsWith("SELECT")) {
                throw new IllegalArgumentException("syntax error in " + sql);
            }
            return 666;
        }

        @Override
        public void close() { // __aexit__: may wait too
            say("closing...");
            sleep(Duration.ofSeconds(1));
            say("closed");
        }
    }

    static void func() {
        try (Connection f = Connection.open()) { // async with AsyncContextManager() as f
            say("result: " + f.doSomething("SELECT 666"));
        }
        try (Connection f = Connection.open()) {
            f.doSomething("SELEKT 666");
        } catch (IllegalArgumentException e) { // close() has already run when we get here
            say("caught: " + e.getMessage());
        }
    }

    public static void main(String[] args) {
        run(AsyncWith::func);
    }
}
// tutorial:end
