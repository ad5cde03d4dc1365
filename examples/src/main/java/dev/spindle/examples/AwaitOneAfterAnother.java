package dev.spindle.examples;

import static dev.spindle.Spindle.*;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * 2.2 await: awaiting a coroutine runs it to its end before the next line runs.
 *
 * <p>Python writes {@code response1 = await others()}; in Spindle a coroutine simply calls {@code others()}. While
 * {@code others()} sleeps, only this coroutine is suspended and the loop could run other tasks, but there are none
 * here: the two calls run one after the other and take twice the wait.
 */
public final class AwaitOneAfterAnother {
    private AwaitOneAfterAnother() {}

    /** {@code async def others()}, also used by the next sections: prints, waits, prints, returns a value. */
    public static String others(Timeline t, Duration wait) {
        t.say("start......");
        sleep(wait); // await asyncio.sleep(2): suspends this coroutine only, the loop is free meanwhile
        t.say("end");
        return "返回值";
    }

    /** {@code async def func()}: awaits {@code others()} twice in a row. Returns the timeline's messages. */
    public static List<String> awaitTwice(PrintStream out, Duration wait) {
        return run(() -> {
            Timeline t = new Timeline(out);
            t.say("func()......");
            String response1 = others(t, wait); // await others(): the next line waits for it
            t.say("response1 = " + response1);
            String response2 = others(t, wait); // starts only after the first one ended
            t.say("response2 = " + response2);
            out.printf(
                    "one after the other: %.2f s in all for two waits of %.2f s%n",
                    t.elapsed(), Timeline.seconds(wait));
            return t.events();
        });
    }

    public static void main(String[] args) {
        awaitTwice(System.out, Duration.ofSeconds(2));
    }
}
