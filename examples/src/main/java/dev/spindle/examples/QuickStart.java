package dev.spindle.examples;

import static dev.spindle.Spindle.*;

import dev.spindle.task.VoidCoroutine;
import java.io.PrintStream;

/**
 * 2.1 快速上手 (quick start): a coroutine function, a coroutine object, and running it.
 *
 * <p>In Python, calling {@code func()} only makes a coroutine object; {@code asyncio.run(result)} runs it. In Java
 * the coroutine object is a lambda: writing it runs nothing, and {@code run(...)} makes an event loop, runs the
 * coroutine to its end and closes the loop.
 */
public final class QuickStart {
    private QuickStart() {}

    /** {@code async def func()}: a coroutine is plain Java code that runs on the loop. */
    static void func(PrintStream out) {
        out.println("I was executed! (我被执行了！！！)");
    }

    /** Makes the coroutine object, then runs it. */
    public static void quickStart(PrintStream out) {
        VoidCoroutine result = () -> func(out); // the coroutine object: nothing runs yet
        out.println("coroutine object created; func() has not run yet");
        run(result); // asyncio.run(result): new loop, run func() to its end, close the loop
        out.println("run() returned; the loop is closed");
    }

    public static void main(String[] args) {
        quickStart(System.out);
    }
}
