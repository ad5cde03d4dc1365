package dev.spindle.queue;

import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.timeoutAt;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.queue.QueueKind.passes;
import static dev.spindle.test.TestLoop.runTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Coroutine;
import dev.spindle.task.Task;
import dev.spindle.task.VoidCoroutine;
import dev.spindle.time.TimedOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cancelling a waiting get, put or join never loses, duplicates or reorders an item, and leaves no waiter behind:
 * (a) cancelled while parked, (b) cancelled after it was woken but before it ran (the cancel comes in the same loop
 * step as the wake-up), (c) by a timeout; then a seeded random stress over every kind.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoopQueueCancellationTest {
    private static final Duration HOUR = Duration.ofHours(1);

    static Stream<QueueKind> kinds() {
        return QueueKind.all();
    }

    // ---- get --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("kinds")
    void aGetCancelledWhileWaitingLeavesTheLineAndTakesNothing(QueueKind kind) {
        runTest(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            Task<Integer> getter = spawn(() -> q.get());
            passes(2);
            assertEquals(1, q.waitingGetters());
            getter.cancel();
            assertThrows(Cancelled.class, getter::await);
            assertEquals(0, q.waitingGetters());
            q.putNowait(1);
            assertEquals(1, q.size()); // nobody took it
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aGetCancelledAfterItWasWokenPassesTheItemToTheNextGetter(QueueKind kind) {
        runTest(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            Task<Integer> first = spawn(() -> q.get());
            Task<Integer> second = spawn(() -> q.get());
            passes(2);
            assertEquals(2, q.waitingGetters());
            q.putNowait(5); // wakes the first getter...
            first.cancel(); // ...which is cancelled before it runs
            assertThrows(Cancelled.class, first::await);
            assertEquals(5, second.await());
            assertEquals(0, q.waitingGetters());
            assertTrue(q.isEmpty());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aGetCancelledAfterItWasWokenLeavesTheItemInTheQueue(QueueKind kind) {
        runTest(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            Task<Integer> getter = spawn(() -> q.get());
            passes(2);
            q.putNowait(5);
            getter.cancel();
            assertThrows(Cancelled.class, getter::await);
            assertEquals(0, q.waitingGetters());
            assertEquals(1, q.size());
            assertEquals(5, q.getNowait());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void gettersCancelledAfterTheyWereWokenLeaveTheItemsInTheirOrder(QueueKind kind) {
        runTest(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            List<Task<Integer>> getters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                getters.add(spawn(() -> q.get()));
            }
            passes(2);
            for (int i = 1; i <= 3; i++) {
                q.putNowait(i); // each wakes one getter
            }
            for (Task<Integer> g : getters) {
                g.cancel();
            }
            for (Task<Integer> g : getters) {
                assertThrows(Cancelled.class, g::await);
            }
            List<Integer> left = new ArrayList<>();
            while (!q.isEmpty()) {
                left.add(q.getNowait());
            }
            assertEquals(kind.order123(), left); // as if the getters had never been there
            assertEquals(0, q.waitingGetters());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aGetThatTimesOutTakesNothing(QueueKind kind) {
        runTest(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(5), () -> q.get()));
            assertEquals(0, q.waitingGetters());
            q.putNowait(1);
            assertEquals(1, q.size());
            assertEquals(1, withTimeout(HOUR, () -> q.get()));
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aGetWhoseDeadlinePassesInTheStepThatWokeItLeavesTheItem(QueueKind kind) {
        runTest(() -> {
            Loop loop = Loop.current();
            LoopQueue<Integer> q = kind.unbounded();
            long at = loop.nanoTime() + Duration.ofMillis(30).toNanos();
            loop.callAt(at, () -> q.putNowait(9)); // due at the same instant, scheduled first: runs first
            Task<Integer> getter = spawn(() -> timeoutAt(at, () -> q.get()));
            assertThrows(TimedOut.class, getter::await);
            assertEquals(0, q.waitingGetters());
            assertEquals(9, q.getNowait());
        });
    }

    // ---- put --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("kinds")
    void aPutCancelledWhileWaitingLeavesTheLineAndPutsNothing(QueueKind kind) {
        runTest(() -> {
            LoopQueue<Integer> q = kind.bounded(1);
            q.putNowait(1);
            Task<?> putter = spawn(() -> q.put(2));
            passes(2);
            assertEquals(1, q.waitingPutters());
            putter.cancel();
            assertThrows(Cancelled.class, putter::await);
            assertEquals(0, q.waitingPutters());
            assertEquals(1, q.getNowait());
            assertTrue(q.isEmpty());
            q.taskDone(); // only the one put counted as unfinished
            assertThrows(IllegalStateException.class, q::taskDone);
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aPutCancelledAfterItWasWokenPassesTheSlotToTheNextPutter(QueueKind kind) {
        runTest(() -> {
            LoopQueue<Integer> q = kind.bounded(1);
            q.putNowait(1);
            Task<?> first = spawn(() -> q.put(2));
            Task<?> second = spawn(() -> q.put(3));
            passes(2);
            assertEquals(2, q.waitingPutters());
            assertEquals(1, q.getNowait()); // frees the slot and wakes the first putter...
            first.cancel(); // ...which is cancelled before it runs: its item never goes in
            assertThrows(Cancelled.class, first::await);
            second.await();
            assertEquals(3, q.getNowait());
            assertTrue(q.isEmpty());
            assertEquals(0, q.waitingPutters());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aPutThatTimesOutPutsNothing(QueueKind kind) {
        runTest(() -> {
            LoopQueue<Integer> q = kind.bounded(1);
            q.putNowait(1);
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(5), () -> q.put(2)));
            assertEquals(0, q.waitingPutters());
            assertEquals(1, q.size());
            assertEquals(1, q.getNowait());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aPutWhoseDeadlinePassesInTheStepThatWokeItPutsNothing(QueueKind kind) {
        runTest(() -> {
            Loop loop = Loop.current();
            LoopQueue<Integer> q = kind.bounded(1);
            q.putNowait(1);
            long at = loop.nanoTime() + Duration.ofMillis(30).toNanos();
            loop.callAt(at, () -> q.getNowait()); // frees the slot and wakes the putter, then its deadline fires
            Task<?> putter = spawn(() -> timeoutAt(at, (Coroutine<Void>) () -> {
                q.put(2);
                return null;
            }));
            assertThrows(TimedOut.class, putter::await);
            assertEquals(0, q.waitingPutters());
            assertTrue(q.isEmpty());
        });
    }

    // ---- join -------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("kinds")
    void aCancelledJoinChangesNothing(QueueKind kind) {
        runTest(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            q.putNowait(1);
            Task<?> joiner = spawn(() -> q.join());
            passes(2);
            joiner.cancel();
            assertThrows(Cancelled.class, joiner::await);
            assertEquals(0, q.waitingJoiners());
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(5), (VoidCoroutine) q::join));
            assertEquals(0, q.waitingJoiners());
            assertEquals(1, q.unfinished());
            q.getNowait();
            q.taskDone();
            q.join();
        });
    }

    // ---- stress -----------------------------------------------------------------------------------------

    /**
     * 10,000 items through 10 producers and 10 consumers on a small bounded queue, while a supervisor cancels
     * consumers and producers at random moments (seeded), and half the consumers wait under random short timeouts.
     * A producer moves to its next item only when put returned, so a cancelled put is retried by the producer's
     * replacement: if a cancelled put had inserted its item, the item would arrive twice. Every item must arrive
     * exactly once, the queue must end empty with nobody waiting and nothing unfinished.
     */
    // real time: sub-millisecond timeouts must expire while the loop is busy, which virtual time never lets happen
    @ParameterizedTest
    @MethodSource("kinds")
    void itemsArriveExactlyOnceWhileProducersAndConsumersAreCancelledAtRandom(QueueKind kind) {
        final int items = 10_000;
        final int producersN = 10;
        final int consumersN = 10;
        Random rnd = new Random(20240611L);
        Spindle.run(() -> {
            LoopQueue<Integer> q = kind.bounded(8);
            int[] received = new int[items];
            int[] next = new int[producersN]; // producer p puts p, p + 10, p + 20, ...
            Task<?>[] producers = new Task<?>[producersN];
            Task<?>[] consumers = new Task<?>[consumersN];
            int[] cancelledConsumers = {0};
            int[] cancelledProducers = {0};
            int[] timeouts = {0};
            while (true) {
                boolean producing = false;
                for (int p = 0; p < producersN; p++) {
                    if (producers[p] != null && producers[p].isDone()) {
                        if (producers[p].isCancelled()) {
                            cancelledProducers[0]++;
                        } else {
                            producers[p].result(); // rethrows a failure
                        }
                        producers[p] = null;
                    }
                    if (next[p] < items / producersN) {
                        producing = true;
                        if (producers[p] == null) {
                            int id = p;
                            producers[p] = spawn(() -> {
                                while (next[id] < items / producersN) {
                                    q.put(id + producersN * next[id]);
                                    next[id]++;
                                }
                            });
                        }
                    }
                }
                for (int c = 0; c < consumersN; c++) {
                    if (consumers[c] != null && consumers[c].isDone()) {
                        assertTrue(consumers[c].isCancelled(), "a consumer failed");
                        cancelledConsumers[0]++;
                        consumers[c] = null;
                    }
                    if (consumers[c] == null) {
                        boolean timed = c % 2 == 1;
                        consumers[c] = spawn(() -> {
                            while (true) {
                                int x;
                                if (timed) {
                                    try {
                                        x = withTimeout(Duration.ofNanos(rnd.nextInt(200_000)), () -> q.get());
                                    } catch (TimedOut e) {
                                        timeouts[0]++;
                                        continue;
                                    }
                                } else {
                                    x = q.get();
                                }
                                received[x]++; // in the step get returned in: no cancellation can come between
                                q.taskDone();
                            }
                        });
                    }
                }
                if (!producing && q.isEmpty()) {
                    break;
                }
                // Cancels land wherever the tasks are: parked, woken in this very step by a put or a get, or running.
                for (Task<?> c : consumers) {
                    if (rnd.nextInt(100) < 5) {
                        c.cancel();
                    }
                }
                for (Task<?> p : producers) {
                    if (p != null && rnd.nextInt(100) < 3) {
                        p.cancel();
                    }
                }
                passes(1 + rnd.nextInt(2));
            }
            for (Task<?> c : consumers) {
                c.cancel();
            }
            for (Task<?> c : consumers) {
                assertThrows(Cancelled.class, c::await);
            }
            for (int x = 0; x < items; x++) {
                assertEquals(1, received[x], "item " + x);
            }
            assertTrue(q.isEmpty());
            assertEquals(0, q.waitingGetters());
            assertEquals(0, q.waitingPutters());
            assertEquals(0, q.unfinished());
            // the run must really have cancelled things, in all three ways
            assertTrue(cancelledConsumers[0] > 100, "consumers cancelled: " + cancelledConsumers[0]);
            assertTrue(cancelledProducers[0] > 30, "producers cancelled: " + cancelledProducers[0]);
            assertTrue(timeouts[0] > 10, "timeouts: " + timeouts[0]);
        });
    }
}
