package dev.spindle.loop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.spindle.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The heap pops live timers in (deadline, scheduling order), whatever the insertion and cancellation order. */
class TimerHeapTest {
    @Test
    void popsInDeadlineThenSchedulingOrderAndSkipsCancelled() {
        EventLoop loop = new EventLoop(Clock.system());
        try {
            for (long seed = 0; seed < 20; seed++) {
                Random r = new Random(seed);
                TimerHeap heap = new TimerHeap();
                List<CallbackHandle> live = new ArrayList<>();
                long seq = 0;
                for (int i = 0; i < 5_000; i++) {
                    // few distinct deadlines, so that ties are common
                    CallbackHandle h = new CallbackHandle(loop, () -> {}, null, r.nextInt(300), ++seq);
                    heap.add(h);
                    live.add(h);
                    if (r.nextInt(4) == 0) {
                        CallbackHandle victim = live.remove(r.nextInt(live.size()));
                        victim.cancel();
                        heap.noteCancelled();
                    }
                }
                live.sort(Comparator.comparingLong((CallbackHandle h) -> h.when).thenComparingLong(h -> h.seq));
                List<CallbackHandle> popped = new ArrayList<>();
                CallbackHandle h;
                while ((h = heap.poll()) != null) {
                    popped.add(h);
                }
                assertEquals(live, popped, "seed " + seed);
                assertNull(heap.peek());
            }
        } finally {
            loop.close();
        }
    }
}
