package dev.spindle.queue;

import static dev.spindle.Spindle.spawn;
import static dev.spindle.queue.QueueKind.passes;
import static dev.spindle.test.TestLoop.runTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.gen.AsyncIterator;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link LoopQueue#items()}: a queue consumed with for-each until it is shut down, losing nothing. */
class LoopQueueItemsTest {
    static Stream<QueueKind> kinds() {
        return QueueKind.all();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void forEachTakesItemsAsTheyArriveAndEndsAtShutdown(QueueKind kind) {
        List<Integer> got = runTest(() -> {
            LoopQueue<Integer> q = kind.bounded(2);
            Task<Void> producer = spawn(() -> {
                for (int i = 0; i < 10; i++) {
                    q.put(i); // the bound makes the producer wait for the consumer
                }
                q.shutdown();
            });
            List<Integer> seen = new ArrayList<>();
            for (int item : q.items()) {
                seen.add(item);
                q.taskDone();
            }
            producer.await();
            return seen;
        });
        assertEquals(10, got.size());
        assertEquals(
                List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), got.stream().sorted().toList());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anItemFetchedAheadByHasNextGoesBackToTheHeadWhenTheIteratorCloses(QueueKind kind) {
        List<Integer> order = runTest(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            q.putNowait(1);
            q.putNowait(2);
            q.putNowait(3);
            try (AsyncIterator<Integer> it = q.items()) {
                assertTrue(it.hasNext()); // takes the first item ahead
                assertEquals(2, q.size());
            }
            assertEquals(3, q.size());
            List<Integer> rest = new ArrayList<>();
            while (!q.isEmpty()) {
                rest.add(q.getNowait());
            }
            return rest;
        });
        assertEquals(kind.order123(), order, "the fetched item came out first again");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aCancelledHasNextTakesNothingAndAClosedIteratorEnds(QueueKind kind) {
        runTest(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            AsyncIterator<Integer> it = q.items();
            Task<Boolean> waiting = spawn(it::hasNext);
            passes(2);
            waiting.cancel();
            assertThrows(Cancelled.class, waiting::await);
            q.putNowait(7);
            assertEquals(1, q.size(), "the cancelled hasNext took nothing");
            it.close();
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
            assertEquals(1, q.size());
        });
    }
}
