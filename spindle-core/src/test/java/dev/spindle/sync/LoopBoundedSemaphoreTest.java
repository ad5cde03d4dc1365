package dev.spindle.sync;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.loop.Loop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopBoundedSemaphoreTest {
    private final List<String> events = new ArrayList<>();

    @Test
    void releasingMoreThanAcquiredFails() {
        run(() -> {
            LoopBoundedSemaphore s = new LoopBoundedSemaphore(2);
            assertEquals(2, s.bound());
            IllegalStateException e = assertThrows(IllegalStateException.class, s::release);
            assertTrue(e.getMessage().contains("released more often than acquired"), e.getMessage());
            Held h = s.acquire();
            h.close();
            assertThrows(IllegalStateException.class, h::close); // closing twice is releasing twice
            assertEquals(2, s.availablePermits());
        });
    }

    @Test
    void aNegativeBoundIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LoopBoundedSemaphore(-3));
    }

    @Test
    void releasingAgainBeforeTheWaiterHandedThePermitRanFails() {
        run(() -> {
            LoopBoundedSemaphore s = new LoopBoundedSemaphore(1);
            s.acquire();
            Task<Void> w = spawn(() -> {
                try (var _ = s.acquire()) {
                    events.add("w holds");
                }
            });
            sleep(Duration.ZERO);
            s.release(); // handed to w, which has not run
            assertThrows(IllegalStateException.class, s::release); // would admit two with a bound of one
            w.await();
            assertEquals(1, s.availablePermits());
        });
        assertEquals(List.of("w holds"), events);
    }

    @Test
    void waitersArePassedPermitsAndTheBoundHolds() {
        int[] inside = {0};
        int[] maxInside = {0};
        run(() -> {
            LoopBoundedSemaphore s = new LoopBoundedSemaphore(2);
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tasks.add(spawn(() -> {
                    try (var _ = s.acquire()) {
                        inside[0]++;
                        maxInside[0] = Math.max(maxInside[0], inside[0]);
                        sleep(Duration.ZERO);
                        inside[0]--;
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                t.await();
            }
            assertEquals(2, s.availablePermits());
            assertThrows(IllegalStateException.class, s::release);
        });
        assertEquals(2, maxInside[0]);
    }

    // (a), (b) and (c) on the bounded kind: its own release check must not trip on a permit given back
    @Test
    void cancelledWaitersLoseNoPermitAndTripNoBound() {
        run(() -> {
            LoopBoundedSemaphore s = new LoopBoundedSemaphore(1);
            s.acquire();
            Task<Void> parked = spawn(() -> {
                s.acquire();
            });
            Task<Void> handed = spawn(() -> {
                s.acquire();
            });
            Task<Void> last = spawn(() -> {
                try (var _ = s.acquire()) {
                    events.add("last acquired");
                }
            });
            sleep(Duration.ZERO);
            parked.cancel(); // (a)
            assertThrows(Cancelled.class, parked::await);
            Loop.current().callSoon(() -> {
                s.release(); // (b): handed to "handed", cancelled before it runs, passed on to "last"
                handed.cancel();
            });
            assertThrows(Cancelled.class, handed::await);
            last.await();
            assertEquals(1, s.availablePermits());
            s.acquire();
            assertThrows(
                    TimedOut.class,
                    () -> withTimeout(Duration.ofMillis(1), () -> {
                        s.acquire(); // (c)
                    }));
            s.release();
            assertEquals(1, s.availablePermits());
            assertEquals(0, s.waiters());
        });
        assertEquals(List.of("last acquired"), events);
    }
}
