package dev.spindle.queue;

import static dev.spindle.Spindle.sleep;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The three kinds of queue, for the suites that run over all of them (as the JDK's {@code BlockingQueueTest} runs
 * over every blocking queue). {@code order123} is the order in which each kind hands out 1, 2, 3 put in that order.
 */
record QueueKind(String name, IntFunction<LoopQueue<Integer>> make, List<Integer> order123) {
    static Stream<QueueKind> all() {
        return Stream.of(
                new QueueKind("fifo", LoopQueue::fifo, List.of(1, 2, 3)),
                new QueueKind("lifo", LoopQueue::lifo, List.of(3, 2, 1)),
                new QueueKind("priority", n -> LoopQueue.priority(n, Comparator.naturalOrder()), List.of(1, 2, 3)));
    }

    LoopQueue<Integer> unbounded() {
        return make.apply(0);
    }

    LoopQueue<Integer> bounded(int maxSize) {
        return make.apply(maxSize);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Lets every coroutine that is ready run {@code n} passes: enough for spawned tasks to reach their waits. */
    static void passes(int n) {
        for (int i = 0; i < n; i++) {
            sleep(Duration.ZERO);
        }
    }
}
