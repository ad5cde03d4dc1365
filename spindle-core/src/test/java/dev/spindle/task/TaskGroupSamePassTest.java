package dev.spindle.task;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.taskGroup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.test.SpindleTest;
import dev.spindle.test.TestLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When a task group sees a child's end: after the other steps the loop already made ready in the same pass, as
 * asyncio's {@code TaskGroup} does through {@code add_done_callback} (its {@code _on_task_done} runs from the ready
 * queue). On virtual time, children sleeping the same duration wake at exactly the same instant, in the same pass.
 *
 * <p>asyncio 3.11+ documents: "The first time any of the tasks belonging to the group fails with an exception other
 * than CancelledError, the remaining tasks in the group are cancelled. ... Once all tasks have finished, if any tasks
 * have failed with an exception other than CancelledError, those exceptions are combined in an ExceptionGroup". Each
 * test names the asyncio behaviour it mirrors.
 */
@SpindleTest
class TaskGroupSamePassTest {
    private static final Duration WASH = Duration.ofMillis(50);

    private final List<String> events = new ArrayList<>();

    /** A child that washes for {@code WASH} and then fails with {@code e}. */
    private static VoidCoroutine failsAfterWash(Exception e) {
        return () -> {
            sleep(WASH);
            throw e;
        };
    }

    /** A child that would take two seconds; records that its cleanup ran when the group cancels it. */
    private VoidCoroutine slowChild(String name) {
        return () -> {
            try {
                sleep(Duration.ofSeconds(2));
                events.add(name + " finished");
            } finally {
                events.add(name + " cleaned up");
            }
        };
    }

    @Test
    void asyncio_twoChildrenFailingInTheSamePass_bothAreInTheExceptionGroup(TestLoop loop) {
        IllegalStateException shirts = new IllegalStateException("shirts");
        IOException towels = new IOException("towels");
        ExceptionGroup g = assertThrows(
                ExceptionGroup.class,
                () -> taskGroup(tg -> {
                    tg.spawn(failsAfterWash(shirts));
                    tg.spawn(failsAfterWash(towels));
                    tg.spawn(slowChild("sheets"));
                    try {
                        sleep(Duration.ofSeconds(5));
                        events.add("body finished");
                    } catch (Cancelled c) {
                        events.add("body cancelled");
                        throw c;
                    }
                    return null;
                }));
        assertEquals(List.of(shirts, towels), g.exceptions(), "both failures, in the order they happened");
        assertEquals(List.of("body cancelled", "sheets cleaned up"), sorted(events));
        assertEquals(WASH, loop.elapsed(), "the slow child and the body were cancelled at once");
    }

    @Test
    void asyncio_tenChildrenFailingAtTheSameInstant_allTenAreReported(TestLoop loop) {
        List<Exception> thrown = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            thrown.add(new IllegalArgumentException("machine " + i));
        }
        ExceptionGroup g = assertThrows(
                ExceptionGroup.class,
                () -> taskGroup(tg -> {
                    for (Exception e : thrown) {
                        tg.spawn(failsAfterWash(e));
                    }
                    tg.spawn(slowChild("dryer"));
                    return null;
                }));
        assertEquals(thrown, g.exceptions());
        assertEquals(List.of("dryer cleaned up"), events);
        assertEquals(WASH, loop.elapsed());
    }

    @Test
    void asyncio_failuresInConsecutivePasses_onlyTheFirstIsReportedAndTheLaterOneIsCancelled() {
        // asyncio: the first failure's done callback runs before the second child's next step, cancels it, and the
        // second child's exception never happens.
        IllegalStateException first = new IllegalStateException("first");
        ExceptionGroup g = assertThrows(
                ExceptionGroup.class,
                () -> taskGroup(tg -> {
                    tg.spawn(failsAfterWash(first));
                    tg.spawn(() -> {
                        sleep(WASH);
                        events.add("second woke with the first");
                        try {
                            sleep(Duration.ZERO); // one more pass: the group has seen the first failure by then
                        } catch (Cancelled c) {
                            events.add("second cancelled");
                            throw c;
                        }
                        throw new IOException("second: must never be raised");
                    });
                    return null;
                }));
        assertEquals(List.of(first), g.exceptions());
        assertEquals(List.of("second woke with the first", "second cancelled"), events);
    }

    @Test
    void asyncio_aChildLaterThanTheFirstFailureByOneTimerTick_isCancelled(TestLoop loop) {
        IllegalStateException first = new IllegalStateException("first");
        ExceptionGroup g = assertThrows(
                ExceptionGroup.class,
                () -> taskGroup(tg -> {
                    tg.spawn(failsAfterWash(first));
                    tg.spawn(() -> {
                        sleep(WASH.plusNanos(1));
                        throw new IOException("later: must never be raised");
                    });
                    return null;
                }));
        assertEquals(List.of(first), g.exceptions());
        assertEquals(WASH, loop.elapsed());
    }

    @Test
    void asyncio_aChildFailsInThePassWhereTheBodyRaises_bothAreReported_childFirst() {
        // The child's timer was set first, so it runs first in the pass; the body then raises in the same pass.
        // asyncio: the body's exception is appended in __aexit__, the child's by its done callback: both reported.
        IllegalStateException child = new IllegalStateException("child");
        IOException body = new IOException("body");
        ExceptionGroup g = assertThrows(
                ExceptionGroup.class,
                () -> taskGroup(tg -> {
                    tg.spawn(failsAfterWash(child));
                    sleep(Duration.ZERO); // the child starts its sleep before the body does
                    sleep(WASH); // wakes in the same pass, after the child
                    throw body;
                }));
        assertEquals(new HashSet<>(List.of(child, body)), new HashSet<>(g.exceptions()));
        assertEquals(2, g.exceptions().size());
    }

    @Test
    void aChildFailsInThePassWhereTheBodyRaises_bothAreReported_bodyFirst() {
        // The body's timer was set first, so the body raises first. asyncio's __aexit__ cancels the children inline
        // here, so a child already woken in this pass is cancelled and its exception lost; Spindle defers that
        // cancellation like a child's, so the child's step runs first and nothing is lost (Trio's nursery agrees).
        IllegalStateException child = new IllegalStateException("child");
        IOException body = new IOException("body");
        ExceptionGroup g = assertThrows(
                ExceptionGroup.class,
                () -> taskGroup(tg -> {
                    tg.spawn(() -> {
                        sleep(WASH); // starts a pass after the body's sleep: wakes in the same pass, after it
                        throw child;
                    });
                    sleep(WASH);
                    throw body;
                }));
        assertEquals(new HashSet<>(List.of(child, body)), new HashSet<>(g.exceptions()));
        assertEquals(2, g.exceptions().size());
    }

    @Test
    void aBodyThatRaisesStillCancelsAChildThatIsNotReady() {
        IOException body = new IOException("body");
        ExceptionGroup g = assertThrows(
                ExceptionGroup.class,
                () -> taskGroup(tg -> {
                    tg.spawn(slowChild("iron"));
                    sleep(WASH);
                    throw body;
                }));
        assertEquals(List.of(body), g.exceptions());
        assertEquals(List.of("iron cleaned up"), events);
    }

    @Test
    void spawningIsRefusedFromTheMomentTheBodyRaises() {
        List<Throwable> refused = new ArrayList<>();
        assertThrows(
                ExceptionGroup.class,
                () -> taskGroup(tg -> {
                    tg.spawn(() -> {
                        try {
                            sleep(Duration.ofSeconds(2));
                        } finally {
                            try {
                                tg.spawn(() -> "too late");
                            } catch (IllegalStateException e) {
                                refused.add(e);
                            }
                        }
                    });
                    sleep(WASH);
                    throw new IOException("body");
                }));
        assertEquals(1, refused.size());
        assertTrue(refused.get(0).getMessage().contains("shutting down"), refused.get(0)::getMessage);
    }

    private static List<String> sorted(List<String> list) {
        return list.stream().sorted().toList();
    }
}
