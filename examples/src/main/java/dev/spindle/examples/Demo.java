package dev.spindle.examples;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Runs every example in the tutorial's order. The waits are shorter than the tutorial's (1 s instead of 2 s for
 * {@code others()}, 0.3 s instead of 1 s to open or close a connection) to keep the demo under ten seconds; each
 * example's own {@code main} uses the tutorial's.
 */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        long start = System.nanoTime();

        header(out, "1 协程: the laundromat, one worker and ten washing machines");
        Laundromat.laundromat(out, Duration.ofMillis(100));

        header(out, "1 协程: the older ways, greenlet switches and yield generators");
        out.println("greenlet: " + EarlyCoroutines.greenlets(new PrintStream(java.io.OutputStream.nullOutputStream())));
        out.println(
                "yield:    " + EarlyCoroutines.generators(new PrintStream(java.io.OutputStream.nullOutputStream())));

        header(out, "2.1 快速上手: quick start");
        QuickStart.quickStart(out);

        header(out, "2.2 await: others() awaited twice, one after the other");
        AwaitOneAfterAnother.awaitTwice(out, Duration.ofSeconds(1));

        header(out, "2.3 Task: two tasks created, then awaited");
        TwoTasksOverlap.twoTasks(out, Duration.ofSeconds(1));

        header(out, "2.3 Task: waiting on a task list with waitTasks, and gather");
        WaitOnTaskList.waitOnList(out, Duration.ofSeconds(1), Duration.ofSeconds(5));

        header(out, "2.5 异步迭代器: an async iterator, consumed with a for-each");
        AsyncIteration.asyncFor(out, Duration.ofMillis(300));

        header(out, "2.6 异步上下文管理器: an async context manager");
        AsyncContextManager.asyncWith(out, Duration.ofMillis(300));

        out.printf("%nAll examples ran in %.1f s on JDK %s.%n", (System.nanoTime() - start) / 1e9, Runtime.version());
    }

    private static void header(PrintStream out, String title) {
        out.println();
        out.println("=== " + title + " ===");
    }
}
