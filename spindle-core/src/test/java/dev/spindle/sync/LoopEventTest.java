package dev.spindle.sync;

import static dev.spindle.Spindle.currentTask;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopEventTest {
    private final List<String> events = new ArrayList<>();

    private Task<Void> waiter(LoopEvent event, String name) {
        return spawn(() -> {
            event.await();
            events.add(name);
        });
    }

    @Test
    void setWakesEveryWaiterInArrivalOrder() {
        run(() -> {
            LoopEvent event = new LoopEvent();
            List<Task<Void>> ws = List.of(waiter(event, "w0"), waiter(event, "w1"), waiter(event, "w2"));
            sleep(Duration.ZERO);
            assertEquals(3, event.waiters());
            assertFalse(event.isSet());
            event.set();
            assertTrue(event.isSet());
            assertEquals(0, event.waiters());
            for (Task<Void> w : ws) {
                w.await();
            }
            event.await(); // set: returns at once
            waiter(event, "late").await();
        });
        assertEquals(List.of("w0", "w1", "w2", "late"), events);
    }

    @Test
    void awaitingASetEventIsNoCancellationPoint() {
        run(() -> {
            LoopEvent event = new LoopEvent();
            event.set();
            currentTask().cancel();
            event.await(); // does not suspend, so the pending cancel is not delivered here (as in asyncio)
            events.add("returned");
            assertEquals(0, currentTask().uncancel());
        });
        assertEquals(List.of("returned"), events);
    }

    @Test
    void waitersWokenBySetReturnEvenIfClearedBeforeTheyRun() {
        run(() -> {
            LoopEvent event = new LoopEvent();
            Task<Void> w = waiter(event, "woken");
            sleep(Duration.ZERO);
            Loop.current().callSoon(() -> {
                event.set();
                event.clear();
            });
            w.await();
            assertFalse(event.isSet());
            Task<Void> again = waiter(event, "second round");
            sleep(Duration.ZERO);
            assertEquals(1, event.waiters()); // cleared: waits again
            event.set();
            again.await();
        });
        assertEquals(List.of("woken", "second round"), events);
    }

    @Test
    void settingASetEventDoesNothing() {
        run(() -> {
            LoopEvent event = new LoopEvent();
            event.set();
            event.set();
            assertTrue(event.isSet());
            event.clear();
            assertFalse(event.isSet());
        });
    }

    // (a)
    @Test
    void aWaiterCancelledWhileParkedLeavesAndTheOthersStillWake() {
        run(() -> {
            LoopEvent event = new LoopEvent();
            Task<Void> w0 = waiter(event, "w0");
            Task<Void> w1 = waiter(event, "w1");
            sleep(Duration.ZERO);
            w0.cancel();
            assertThrows(Cancelled.class, w0::await);
            assertEquals(1, event.waiters());
            event.set();
            w1.await();
            assertEquals(0, event.waiters());
        });
        assertEquals(List.of("w1"), events);
    }

    // (b)
    @Test
    void aWaiterCancelledInThePassItIsWokenThrowsAndTheEventStaysSet() {
        run(() -> {
            LoopEvent event = new LoopEvent();
            Task<Void> w0 = waiter(event, "w0");
            Task<Void> w1 = waiter(event, "w1");
            sleep(Duration.ZERO);
            Loop.current().callSoon(() -> {
                event.set();
                w0.cancel();
            });
            assertThrows(Cancelled.class, w0::await);
            w1.await();
            assertTrue(event.isSet());
            assertEquals(0, event.waiters());
        });
        assertEquals(List.of("w1"), events);
    }

    // (c)
    @Test
    void aTimedOutAwaitLeavesNoWaiterBehind() {
        run(() -> {
            LoopEvent event = new LoopEvent();
            assertThrows(
                    TimedOut.class,
                    () -> withTimeout(Duration.ofMillis(1), () -> {
                        event.await();
                    }));
            assertEquals(0, event.waiters());
            Task<Void> w = waiter(event, "after the timeout");
            sleep(Duration.ZERO);
            event.set();
            w.await();
        });
        assertEquals(List.of("after the timeout"), events);
    }

    @Test
    void setMayBeCalledFromACallbackButAwaitNeedsACoroutine() {
        run(() -> {
            LoopEvent event = new LoopEvent();
            AtomicReference<Throwable> error = new AtomicReference<>();
            Loop.current().callSoon(() -> {
                try {
                    event.await();
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            Loop.current().callLater(Duration.ofMillis(1), event::set);
            event.await();
            assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
        });
    }

    @Test
    void anEventIsConfinedToItsLoop() {
        LoopEvent event = new LoopEvent();
        assertThrows(IllegalStateException.class, event::set); // no loop on this thread
        run(event::set);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(event::clear));
        assertTrue(e.getMessage().contains("belongs to"), e.getMessage());
        run(() -> {
            LoopEvent mine = new LoopEvent();
            mine.clear(); // binds it
            AtomicReference<Throwable> error = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    mine.set();
                } catch (Throwable x) {
                    error.set(x);
                }
            });
            t.join();
            assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
            assertFalse(mine.isSet());
            Loop loop = Loop.current();
            Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(mine::set)); // the way from another thread
            mine.await();
        });
    }
}
