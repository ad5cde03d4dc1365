package dev.spindle.loop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A loop records the step it runs only while an observer asked for it; otherwise it stores nothing per step and
 * counts steps once per pass (the hot path's "off costs nothing").
 */
@Isolated // observeSteps is JVM-wide
class StepObservationTest {
    private static Runnable stepSeenFromInside(EventLoop loop) {
        AtomicReference<Runnable> seen = new AtomicReference<>();
        loop.runUntilComplete(() -> {
            loop.callSoon(() -> seen.set(loop.currentStep()));
            dev.spindle.Spindle.sleep(java.time.Duration.ZERO);
            dev.spindle.Spindle.sleep(java.time.Duration.ZERO);
            return null;
        });
        return seen.get();
    }

    /** Sets the JVM's observer count (an earlier task dump in this JVM keeps one for good) and returns the old one. */
    private static int setObservers(int n) throws ReflectiveOperationException {
        java.lang.reflect.Field count = EventLoop.class.getDeclaredField("STEP_OBSERVERS");
        count.setAccessible(true);
        int old = ((java.util.concurrent.atomic.AtomicInteger) count.get(null)).getAndSet(n);
        java.lang.reflect.Field flag = EventLoop.class.getDeclaredField("stepsObserved");
        flag.setAccessible(true);
        flag.setBoolean(null, n > 0);
        return old;
    }

    @Test
    void stepsAreRecordedOnlyWhileObservedAndCountedEitherWay() throws Exception {
        EventLoop loop = new EventLoop(Clock.system());
        int observersBefore = setObservers(0);
        try {
            long before = loop.stepCount();
            assertNull(stepSeenFromInside(loop), "nobody observes: nothing stored per step");
            assertTrue(loop.stepCount() > before, "steps are still counted, once per pass");
            EventLoop.observeSteps(true);
            try {
                Runnable step = stepSeenFromInside(loop);
                assertTrue(step instanceof CallbackHandle, "observed: the callback running is the current step");
            } finally {
                EventLoop.observeSteps(false);
            }
            assertSame(null, loop.currentStep(), "between passes");
            assertEquals(null, stepSeenFromInside(loop), "the last observer gone: back to storing nothing");
        } finally {
            setObservers(observersBefore);
            loop.close();
        }
    }
}
