package dev.spindle.examples;

import static dev.spindle.Spindle.*;

import dev.spindle.gen.AsyncGenerator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * 2.5 异步迭代器 (async iterators): values that arrive one at a time, with a wait before each.
 *
 * <p>Python writes a class with {@code __aiter__}/{@code __anext__} (or an {@code async def} with {@code yield}) and
 * consumes it with {@code async for}. In Spindle an {@link AsyncGenerator}'s body is ordinary code that may wait
 * between its {@code out.yield(...)} calls, and a coroutine consumes it with a plain for-each: each step suspends
 * only the consumer, so other tasks (here a washing machine) keep running meanwhile.
 */
public final class AsyncIteration {
    private AsyncIteration() {}

    /** {@code Reader.readline}: lines that each take {@code delay} to arrive, then the end. */
    static AsyncGenerator<String> lines(Timeline t, Duration delay, int count) {
        return AsyncGenerator.of(out -> {
            try {
                for (int i = 1; i <= count; i++) {
                    sleep(delay); // waiting for the next line: the loop runs other tasks
                    out.yield("line " + i);
                }
            } finally {
                t.say("reader: closed"); // runs at the end, and also when the consumer breaks out early
            }
        });
    }

    /** Reads every line while a washing machine runs, then reads only until a condition and stops early. */
    public static List<String> asyncFor(PrintStream out, Duration delay) {
        return run(() -> {
            Timeline t = new Timeline(out);

            t.say("-- 1. async for over every line, while a machine washes");
            var machine = spawn(() -> {
                sleep(delay.multipliedBy(2).plus(delay.dividedBy(2)));
                t.say("machine: done washing");
            });
            for (String line : lines(t, delay, 3)) { // async for line in reader
                t.say("got " + line);
            }
            machine.await();

            t.say("-- 2. break after the first line: try-with-resources closes the reader at once");
            try (var reader = lines(t, delay, 100)) {
                for (String line : reader) {
                    t.say("got " + line + ", enough");
                    break;
                }
            }
            return t.events();
        });
    }

    public static void main(String[] args) {
        asyncFor(System.out, Duration.ofSeconds(1));
    }
}
