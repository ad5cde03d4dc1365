package dev.spindle.examples;

import static dev.spindle.Spindle.*;

import dev.spindle.time.TimedOut;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * 2.6 异步上下文管理器 (async context manager): opening and closing a resource both wait on I/O.
 *
 * <p>Python needs {@code __aenter__}/{@code __aexit__} and {@code async with}. In Spindle the plain
 * try-with-resources does it: inside a coroutine, {@code open} and {@code close} may block, and blocking suspends
 * only this coroutine. {@code close()} runs after the body, also when the body throws or is cancelled.
 */
public final class AsyncContextManager {
    private AsyncContextManager() {}

    /** A pretend database connection: connecting, querying and closing each take {@code delay}. */
    static final class FakeConnection implements AutoCloseable {
        private final Timeline t;
        private final Duration delay;

        private FakeConnection(Timeline t, Duration delay) {
            this.t = t;
            this.delay = delay;
        }

        /** {@code __aenter__}: connects, which suspends the coroutine. */
        static FakeConnection open(Timeline t, Duration delay) {
            t.say("enter: connecting...");
            sleep(delay);
            t.say("enter: connected");
            return new FakeConnection(t, delay);
        }

        /** {@code do_something}: a query that takes a while. */
        int doSomething() {
            t.say("body: querying...");
            sleep(delay);
            return 666;
        }

        /** A query that fails. */
        void badQuery() {
            t.say("body: bad query");
            throw new IllegalStateException("query failed");
        }

        /** {@code __aexit__}: closing waits too, and still may after a cancellation. */
        @Override
        public void close() {
            t.say("exit: closing...");
            sleep(delay);
            t.say("exit: closed");
        }
    }

    /** Uses the connection three times: normally, with a body that throws, and with a timeout. */
    public static List<String> asyncWith(PrintStream out, Duration delay) {
        return run(() -> {
            Timeline t = new Timeline(out);

            t.say("-- 1. the body ends normally");
            try (FakeConnection f = FakeConnection.open(t, delay)) { // async with AsyncContextManager() as f
                int result = f.doSomething();
                t.say("body: result = " + result);
            }

            t.say("-- 2. the body throws: exit runs before the catch sees the exception");
            try (FakeConnection f = FakeConnection.open(t, delay)) {
                f.badQuery();
            } catch (IllegalStateException e) {
                t.say("caught: " + e.getMessage());
            }

            t.say("-- 3. a timeout cancels the query: exit still runs, and may still wait");
            try {
                withTimeout(delay.multipliedBy(3).dividedBy(2), () -> {
                    try (FakeConnection f = FakeConnection.open(t, delay)) {
                        f.doSomething(); // the deadline passes halfway through
                        t.say("body: not reached");
                    }
                });
            } catch (TimedOut e) {
                t.say("caught: TimedOut");
            }
            return t.events();
        });
    }

    public static void main(String[] args) {
        asyncWith(System.out, Duration.ofSeconds(1));
    }
}
