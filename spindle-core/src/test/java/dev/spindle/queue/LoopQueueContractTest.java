package dev.spindle.queue;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.queue.QueueKind.passes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.loop.Loop;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every kind of {@link LoopQueue} keeps: sizes and bounds, the nowait operations, waiting getters and
 * putters in first-come order, backpressure, taskDone/join, shutdown in both modes, and confinement to one loop.
 * Ordering of items is kind-specific and lives in {@link LoopQueueOrderTest}; cancellation in
 * {@link LoopQueueCancellationTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopQueueContractTest {
    static Stream<QueueKind> kinds() {
        return QueueKind.all();
    }

    // ---- sizes, bounds, nowait ------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("kinds")
    void aNewQueueIsEmptyAndZeroOrLessMeansUnbounded(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            assertEquals(0, q.size());
            assertTrue(q.isEmpty());
            assertFalse(q.isFull());
            assertEquals(0, q.maxSize());
            assertEquals(3, kind.bounded(3).maxSize());
            LoopQueue<Integer> negative = kind.bounded(-5);
            assertEquals(0, negative.maxSize());
            for (int i = 0; i < 1000; i++) {
                negative.putNowait(i);
            }
            assertEquals(1000, negative.size());
            assertFalse(negative.isFull());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void putNowaitAndGetNowaitMoveItemsAndTrackTheSize(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            q.putNowait(2);
            q.putNowait(1);
            q.putNowait(3);
            assertEquals(3, q.size());
            assertFalse(q.isEmpty());
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                got.add(q.getNowait());
            }
            got.sort(null);
            assertEquals(List.of(1, 2, 3), got);
            assertTrue(q.isEmpty());
            assertThrows(QueueEmpty.class, q::getNowait);
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void putNowaitOnAFullQueueThrowsQueueFullNamingTheBound(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.bounded(2);
            q.putNowait(1);
            assertFalse(q.isFull());
            q.putNowait(2);
            assertTrue(q.isFull());
            QueueFull e = assertThrows(QueueFull.class, () -> q.putNowait(3));
            assertTrue(e.getMessage().contains("maxSize=2"), e.getMessage());
            assertEquals(2, q.size());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void nullIsNotAnItem(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            assertEquals(
                    "item",
                    assertThrows(NullPointerException.class, () -> q.putNowait(null))
                            .getMessage());
            assertEquals(
                    "item",
                    assertThrows(NullPointerException.class, () -> q.put(null)).getMessage());
            assertTrue(q.isEmpty());
        });
    }

    // ---- waiting ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("kinds")
    void getWaitsForAnItem(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            Task<Integer> getter = spawn(() -> q.get());
            passes(2);
            assertFalse(getter.isDone());
            assertEquals(1, q.waitingGetters());
            q.putNowait(7);
            assertEquals(7, getter.await());
            assertEquals(0, q.waitingGetters());
            assertTrue(q.isEmpty());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void getReturnsAtOnceWhenThereIsAnItem(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            q.putNowait(4);
            assertEquals(4, q.get());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void gettersAreServedInTheOrderTheyCameIn(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            List<String> served = new ArrayList<>();
            List<Task<?>> getters = new ArrayList<>();
            for (String name : List.of("g1", "g2", "g3")) {
                getters.add(spawn(() -> served.add(name + ":" + q.get())));
                passes(1);
            }
            passes(1);
            assertEquals(3, q.waitingGetters());
            for (int i = 1; i <= 3; i++) {
                q.putNowait(i * 10);
                passes(1);
            }
            for (Task<?> g : getters) {
                g.await();
            }
            assertEquals(List.of("g1:10", "g2:20", "g3:30"), served);
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aBoundedQueueMakesTheProducerWaitWhileFull(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.bounded(2);
            List<Integer> putDone = new ArrayList<>();
            Task<?> producer = spawn(() -> {
                for (int i = 0; i < 5; i++) {
                    q.put(i);
                    putDone.add(i);
                }
            });
            passes(3);
            assertEquals(List.of(0, 1), putDone); // the third put waits
            assertEquals(2, q.size());
            assertTrue(q.isFull());
            assertEquals(1, q.waitingPutters());
            List<Integer> got = new ArrayList<>();
            got.add(q.getNowait()); // frees one slot: exactly one more put goes in
            passes(3);
            assertEquals(List.of(0, 1, 2), putDone);
            assertEquals(2, q.size());
            while (got.size() < 5) {
                got.add(q.get());
            }
            producer.await();
            got.sort(null);
            assertEquals(List.of(0, 1, 2, 3, 4), got);
            assertEquals(0, q.waitingPutters());
            assertTrue(q.isEmpty());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void puttersAreServedInTheOrderTheyCameIn(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.bounded(1);
            q.putNowait(0);
            List<String> served = new ArrayList<>();
            List<Task<?>> putters = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int item = i;
                putters.add(spawn(() -> {
                    q.put(item);
                    served.add("p" + item);
                }));
                passes(1);
            }
            passes(1);
            assertEquals(3, q.waitingPutters());
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                got.add(q.getNowait());
                passes(1);
            }
            for (Task<?> p : putters) {
                p.await();
            }
            got.add(q.getNowait());
            assertEquals(List.of("p1", "p2", "p3"), served);
            assertEquals(List.of(0, 1, 2, 3), got); // with one slot, every kind hands out the only item
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void getAndPutNeedACoroutine(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            LoopFuture<String> outcome = Loop.current().createFuture();
            Loop.current().callSoon(() -> {
                q.putNowait(1); // non-waiting operations work from a callback
                IllegalStateException e = assertThrows(IllegalStateException.class, q::get);
                outcome.setResult(e.getMessage());
            });
            String msg = outcome.await();
            assertTrue(msg.contains("LoopQueue.get must be called from a coroutine"), msg);
            assertEquals(1, q.size());
        });
    }

    // ---- taskDone and join --------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("kinds")
    void joinWaitsUntilEveryItemIsMarkedDone(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            q.join(); // nothing unfinished: returns at once
            q.putNowait(1);
            q.putNowait(2);
            q.putNowait(3);
            Task<?> joiner = spawn(() -> q.join());
            passes(2);
            assertEquals(1, q.waitingJoiners());
            for (int i = 0; i < 2; i++) {
                q.getNowait();
                q.taskDone();
                passes(2);
                assertFalse(joiner.isDone(), "one item is still unfinished");
            }
            q.getNowait();
            passes(2);
            assertFalse(joiner.isDone(), "taken is not done");
            q.taskDone();
            joiner.await();
            assertEquals(0, q.waitingJoiners());
            IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
            assertTrue(e.getMessage().contains("taskDone() called more times"), e.getMessage());
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aJoinerWokenByTheLastTaskDoneReturnsEvenIfMoreItemsArriveBeforeItRuns(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            q.putNowait(1);
            Task<?> joiner = spawn(() -> q.join());
            passes(2);
            q.getNowait();
            q.taskDone(); // wakes the joiner...
            q.putNowait(2); // ...which returns anyway, as asyncio's join does
            joiner.await();
            assertEquals(1, q.size());
        });
    }

    // ---- shutdown -----------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("kinds")
    void afterShutdownPutsFailAndGetsDrainWhatIsLeftThenFail(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            q.putNowait(1);
            q.putNowait(2);
            q.shutdown();
            assertThrows(QueueShutDown.class, () -> q.putNowait(3));
            assertThrows(QueueShutDown.class, () -> q.put(3));
            List<Integer> got = new ArrayList<>(List.of(q.get(), q.getNowait()));
            got.sort(null);
            assertEquals(List.of(1, 2), got);
            assertThrows(QueueShutDown.class, q::getNowait);
            assertThrows(QueueShutDown.class, q::get);
            q.shutdown(); // again: no harm
            q.taskDone();
            q.taskDone();
            q.join();
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shutdownWakesWaitingGettersWithQueueShutDown(QueueKind kind) {
        for (boolean immediate : new boolean[] {false, true}) {
            run(() -> {
                LoopQueue<Integer> q = kind.unbounded();
                List<Task<Integer>> getters = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    getters.add(spawn(() -> q.get()));
                }
                passes(2);
                assertEquals(3, q.waitingGetters());
                q.shutdown(immediate);
                for (Task<Integer> g : getters) {
                    assertThrows(QueueShutDown.class, g::await);
                }
                assertEquals(0, q.waitingGetters());
            });
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void shutdownWakesWaitingPuttersWithQueueShutDownAndKeepsTheItems(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.bounded(2);
            q.putNowait(1);
            q.putNowait(2);
            List<Task<?>> putters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int item = 10 + i;
                putters.add(spawn(() -> q.put(item)));
            }
            passes(2);
            assertEquals(3, q.waitingPutters());
            q.shutdown();
            for (Task<?> p : putters) {
                assertThrows(QueueShutDown.class, p::await);
            }
            assertEquals(0, q.waitingPutters());
            assertEquals(2, q.size()); // not immediate: the items stay for the getters
            List<Integer> got = new ArrayList<>(List.of(q.get(), q.get()));
            got.sort(null);
            assertEquals(List.of(1, 2), got);
            assertThrows(QueueShutDown.class, q::get);
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void immediateShutdownDiscardsTheItemsCountsThemDoneAndReleasesJoin(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.bounded(3);
            q.putNowait(1);
            q.putNowait(2);
            q.putNowait(3);
            Task<?> putter = spawn(() -> q.put(4));
            Task<?> joiner = spawn(() -> q.join());
            passes(2);
            assertEquals(1, q.waitingPutters());
            assertEquals(1, q.waitingJoiners());
            q.shutdown(true);
            assertTrue(q.isEmpty());
            assertThrows(QueueShutDown.class, putter::await);
            joiner.await(); // the three discarded items count as done
            assertThrows(QueueShutDown.class, q::get);
            assertThrows(IllegalStateException.class, q::taskDone); // nothing is unfinished
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void immediateShutdownStillWaitsForItemsAlreadyTaken(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            q.putNowait(1);
            q.putNowait(2);
            q.putNowait(3);
            q.getNowait(); // being handled
            q.shutdown(true); // discards two: one stays unfinished
            Task<?> joiner = spawn(() -> q.join());
            passes(2);
            assertFalse(joiner.isDone());
            q.taskDone();
            joiner.await();
        });
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anImmediateShutdownAfterAPlainOneDiscardsWhatIsLeft(QueueKind kind) {
        run(() -> {
            LoopQueue<Integer> q = kind.unbounded();
            q.putNowait(1);
            q.shutdown();
            assertEquals(1, q.size());
            q.shutdown(true);
            assertEquals(0, q.size());
            q.join();
        });
    }

    // ---- confinement --------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("kinds")
    void aQueueMadeOutsideAnyLoopBindsToItsFirstLoopAndRefusesOthers(QueueKind kind) throws Exception {
        LoopQueue<Integer> q = kind.unbounded(); // made before any loop runs, as in a field initialiser
        run(() -> q.putNowait(1));
        IllegalStateException other = assertThrows(IllegalStateException.class, () -> run(() -> q.putNowait(2)));
        assertTrue(other.getMessage().contains("belongs to"), other.getMessage());
        IllegalStateException plain = assertThrows(IllegalStateException.class, q::size);
        assertTrue(plain.getMessage().contains("threadsafe()"), plain.getMessage());
        assertEquals(kind.unbounded().maxSize(), q.maxSize()); // maxSize is readable anywhere
        assertTrue(q.toString().contains("size=1"), q.toString());
    }
}
