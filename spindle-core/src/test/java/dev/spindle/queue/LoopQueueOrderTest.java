package dev.spindle.queue;

import static dev.spindle.Spindle.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The order in which each kind hands out its items. */
class LoopQueueOrderTest {
    private static <E> List<E> drain(LoopQueue<E> q) {
        List<E> out = new ArrayList<>();
        while (!q.isEmpty()) {
            out.add(q.getNowait());
        }
        return out;
    }

    @Test
    void fifoHandsOutItemsInTheOrderTheyWerePut() {
        run(() -> {
            LoopQueue<String> q = LoopQueue.fifo();
            for (String s : List.of("c", "a", "b")) {
                q.put(s);
            }
            assertEquals(List.of("c", "a", "b"), drain(q));
        });
    }

    @Test
    void lifoHandsOutTheNewestItemFirst() {
        run(() -> {
            LoopQueue<String> q = LoopQueue.lifo(3);
            for (String s : List.of("c", "a", "b")) {
                q.put(s);
            }
            assertThrows(QueueFull.class, () -> q.putNowait("d"));
            assertEquals(List.of("b", "a", "c"), drain(q));
            q.putNowait("x");
            q.putNowait("y");
            assertEquals("y", q.getNowait());
            q.putNowait("z");
            assertEquals(List.of("z", "x"), drain(q));
        });
    }

    @Test
    void priorityHandsOutTheSmallestFirstByNaturalOrder() {
        run(() -> {
            LoopQueue<Integer> q = LoopQueue.priority();
            Random rnd = new Random(7);
            List<Integer> put = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int v = rnd.nextInt(50);
                put.add(v);
                q.putNowait(v);
            }
            put.sort(null);
            assertEquals(put, drain(q));
        });
    }

    record Job(int priority, String name) {}

    @Test
    void priorityHandsOutEqualItemsInTheOrderTheyWerePut() {
        run(() -> {
            LoopQueue<Job> q = LoopQueue.priority(0, Comparator.comparingInt(Job::priority));
            String[] names = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"};
            List<Job> put = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                Job j = new Job(i % 3, names[i]);
                put.add(j);
                q.putNowait(j);
            }
            // interleave gets and puts: ties must stay in put order across heap reshuffles
            List<Job> out = new ArrayList<>();
            out.add(q.getNowait()); // (0, a)
            Job late = new Job(0, "late");
            q.putNowait(late);
            put.add(late);
            out.addAll(drain(q));
            List<Job> expected = new ArrayList<>(put);
            expected.sort(Comparator.comparingInt(Job::priority)); // List.sort is stable
            assertEquals(expected, out);
            assertEquals("late", out.get(4).name()); // after d, g, j: put later than all other priority-0 jobs
        });
    }

    @Test
    void aComparatorThatThrowsLeavesThePriorityQueueAsItWas() {
        run(() -> {
            RuntimeException boom = new IllegalArgumentException("cannot compare");
            LoopQueue<Integer> q = LoopQueue.priority(0, (a, b) -> {
                if (a == 13 || b == 13) {
                    throw boom;
                }
                return Integer.compare(a, b);
            });
            q.putNowait(5);
            q.putNowait(1);
            q.putNowait(3);
            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> q.put(13)));
            assertEquals(3, q.size());
            assertEquals(List.of(1, 3, 5), drain(q));
            for (int i = 0; i < 3; i++) {
                q.taskDone();
            }
            assertThrows(IllegalStateException.class, q::taskDone); // the failed put was not counted
            q.join();
        });
    }
}
