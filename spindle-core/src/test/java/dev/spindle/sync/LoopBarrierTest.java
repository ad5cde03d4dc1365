package dev.spindle.sync;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.loop.Loop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopBarrierTest {
    private final List<String> events = new ArrayList<>();

    private Task<Integer> party(LoopBarrier b, String name) {
        return spawn(() -> {
            int index = b.await();
            events.add(name + "=" + index);
            return index;
        });
    }

    @Test
    void fewerThanOnePartyIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LoopBarrier(0));
    }

    @Test
    void allPartiesGoOnTogetherWithArrivalIndicesRoundAfterRound() {
        run(() -> {
            LoopBarrier b = new LoopBarrier(3);
            assertEquals(3, b.parties());
            for (int round = 0; round < 3; round++) {
                Task<Integer> a = party(b, "a");
                Task<Integer> c = party(b, "b");
                sleep(Duration.ZERO);
                assertEquals(2, b.waiting());
                assertFalse(a.isDone());
                assertEquals(2, b.await()); // the tripping party: last index, no wait
                assertEquals(0, b.waiting());
                assertEquals(0, a.await());
                assertEquals(1, c.await());
            }
            assertFalse(b.isBroken());
        });
        assertEquals(List.of("a=0", "b=1", "a=0", "b=1", "a=0", "b=1"), events);
    }

    @Test
    void aBarrierOfOnePartyNeverWaits() {
        run(() -> {
            LoopBarrier b = new LoopBarrier(1);
            assertEquals(0, b.await());
            assertEquals(0, b.await());
        });
    }

    @Test
    void abortBreaksTheBarrierForWaitersAndLaterArrivalsUntilReset() {
        run(() -> {
            LoopBarrier b = new LoopBarrier(3);
            Task<Integer> a = party(b, "a");
            sleep(Duration.ZERO);
            Loop.current().callSoon(b::abort); // callable from a callback
            BrokenBarrier e = assertThrows(BrokenBarrier.class, a::await);
            assertTrue(e.getMessage().contains("aborted"), e.getMessage());
            assertTrue(b.isBroken());
            assertEquals(0, b.waiting());
            assertThrows(BrokenBarrier.class, b::await);
            b.reset();
            assertFalse(b.isBroken());
            Task<Integer> x = party(b, "x");
            Task<Integer> y = party(b, "y");
            sleep(Duration.ZERO);
            assertEquals(2, b.await());
            x.await();
            y.await();
        });
        assertEquals(List.of("x=0", "y=1"), events);
    }

    @Test
    void resetTurnsAwayTheCurrentWaitersAndStartsAFreshRound() {
        run(() -> {
            LoopBarrier b = new LoopBarrier(2);
            Task<Integer> a = party(b, "a");
            sleep(Duration.ZERO);
            b.reset();
            BrokenBarrier e = assertThrows(BrokenBarrier.class, a::await);
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
            assertFalse(b.isBroken());
            assertEquals(0, b.waiting());
            Task<Integer> c = party(b, "c");
            sleep(Duration.ZERO);
            assertEquals(1, b.await()); // a fresh round: c waited alone, we trip it
            assertEquals(0, c.await());
        });
        assertEquals(List.of("c=0"), events);
    }

    // (a): cancelled while filling; the barrier is not broken and waits for one more (asyncio), and the indices
    // stay unique (asyncio before gh-155233 gave a later arrival the index of one still waiting)
    @Test
    void aWaiterCancelledWhileFillingLeavesWithoutBreakingTheBarrier() {
        run(() -> {
            LoopBarrier b = new LoopBarrier(3);
            Task<Integer> a = party(b, "a");
            Task<Integer> bb = party(b, "b");
            sleep(Duration.ZERO);
            a.cancel();
            assertThrows(Cancelled.class, a::await);
            assertEquals(1, b.waiting());
            assertFalse(b.isBroken());
            Task<Integer> c = party(b, "c");
            sleep(Duration.ZERO);
            assertEquals(2, b.waiting());
            int mine = b.await();
            Set<Integer> indices = new TreeSet<>(List.of(bb.await(), c.await(), mine));
            assertEquals(Set.of(0, 1, 2), indices);
            assertEquals(0, bb.result());
            assertEquals(1, c.result());
        });
    }

    // (b): released and cancelled in the same pass; the others go on, the barrier is intact
    @Test
    void aWaiterCancelledAfterTheBarrierTrippedDoesNotHoldTheOthersBack() {
        run(() -> {
            LoopBarrier b = new LoopBarrier(3);
            Task<Integer> a = party(b, "a");
            Task<Integer> c = party(b, "c");
            sleep(Duration.ZERO);
            assertEquals(2, b.await()); // trips: a and c are handed their indices...
            a.cancel(); // ...and a is cancelled before it runs
            assertThrows(Cancelled.class, a::await);
            assertEquals(1, c.await());
            assertEquals(0, b.waiting());
            assertFalse(b.isBroken());
            Task<Integer> x = party(b, "x"); // the next round works
            Task<Integer> y = party(b, "y");
            sleep(Duration.ZERO);
            assertEquals(2, b.await());
            assertEquals(0, x.await());
            assertEquals(1, y.await());
        });
        assertEquals(List.of("c=1", "x=0", "y=1"), events);
    }

    // (c)
    @Test
    void aTimedOutWaiterLeavesTheBarrierFilling() {
        run(() -> {
            LoopBarrier b = new LoopBarrier(2);
            assertThrows(
                    TimedOut.class,
                    () -> withTimeout(Duration.ofMillis(1), () -> {
                        b.await();
                    }));
            assertEquals(0, b.waiting());
            assertFalse(b.isBroken());
            Task<Integer> a = party(b, "a");
            sleep(Duration.ZERO);
            assertEquals(1, b.await());
            assertEquals(0, a.await());
        });
    }

    @Test
    void aBarrierIsConfinedToItsLoopAndAwaitNeedsACoroutine() {
        LoopBarrier b = new LoopBarrier(2);
        assertThrows(IllegalStateException.class, b::abort); // no loop here
        run(() -> {
            AtomicReference<Throwable> error = new AtomicReference<>();
            Loop.current().callSoon(() -> {
                try {
                    b.await();
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            sleep(Duration.ZERO);
            assertTrue(
                    error.get().getMessage().contains("coroutine"), error.get().getMessage());
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    b.reset();
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            t.join();
            assertTrue(
                    error.get().getMessage().contains("confined"), error.get().getMessage());
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(b::abort));
        assertTrue(e.getMessage().contains("belongs to"), e.getMessage());
        assertFalse(b.isBroken());
    }
}
