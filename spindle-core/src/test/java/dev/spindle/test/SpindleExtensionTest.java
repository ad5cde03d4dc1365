package dev.spindle.test;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.spindle.loop.Loop;
import dev.spindle.task.Task;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * {@link SpindleTest}: runs deliberately passing and failing test classes through JUnit's {@link EngineTestKit} and
 * checks what each reports. The inner classes run only from here (see {@link OnlyFromTheKit}).
 */
@Timeout(60)
class SpindleExtensionTest {
    private static final String KIT = "spindle.selftest";

    /** Keeps the inner classes below out of an ordinary run (Surefire skips nested classes anyway; IDEs may not). */
    static final class OnlyFromTheKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(KIT).isPresent()
                    ? ConditionEvaluationResult.enabled("run by SpindleExtensionTest")
                    : ConditionEvaluationResult.disabled("only SpindleExtensionTest runs this, through EngineTestKit");
        }
    }

    private static EngineExecutionResults execute(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(KIT, "true")
                .selectors(selectClass(testClass))
                .execute();
    }

    private static List<String> failures(EngineExecutionResults results) {
        return results.testEvents().failed().stream()
                .map(e -> e.getTestDescriptor().getDisplayName() + ": "
                        + e.getRequiredPayload(TestExecutionResult.class)
                                .getThrowable()
                                .map(Throwable::toString)
                                .orElse("?"))
                .toList();
    }

    private static Throwable onlyFailure(EngineExecutionResults results) {
        List<Event> failed = results.testEvents().failed().list();
        assertEquals(1, failed.size(), () -> "failures: " + failed);
        return failed.getFirst()
                .getRequiredPayload(TestExecutionResult.class)
                .getThrowable()
                .orElseThrow();
    }

    // ---- passing tests --------------------------------------------------------------------------------------

    static final Set<Loop> LOOPS_SEEN = ConcurrentHashMap.newKeySet();

    @SpindleTest
    @ExtendWith(OnlyFromTheKit.class)
    static class Passing {
        @Test
        void anHourOfVirtualSleep() {
            sleep(Duration.ofHours(1));
            assertEquals(Duration.ofHours(1), TestLoop.current().elapsed());
            assertTrue(LOOPS_SEEN.add(Loop.current()));
        }

        @Test
        void theTestsLoopCanBeInjected(TestLoop loop) {
            assertSame(TestLoop.current(), loop);
            assertTrue(LOOPS_SEEN.add(loop.loop()));
            Task<Void> t = spawn(() -> sleep(Duration.ofSeconds(5)));
            loop.advance(Duration.ofSeconds(5));
            assertTrue(t.isDone());
        }

        @RepeatedTest(2)
        void repeatedTestsRunAsCoroutinesToo() {
            assertNotNull(Task.currentOrNull());
            assertTrue(LOOPS_SEEN.add(Loop.current()));
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        void soDoParameterizedOnes(int hours) {
            sleep(Duration.ofHours(hours));
            assertEquals(Duration.ofHours(hours), TestLoop.current().elapsed());
            assertTrue(LOOPS_SEEN.add(Loop.current()));
        }

        @Nested
        class Inner {
            @Test
            void nestedClassesInheritTheAnnotation() {
                assertTrue(TestLoop.current().isVirtual());
            }
        }
    }

    @Test
    void passingTestsRunAsCoroutinesEachOnAFreshLoop() {
        LOOPS_SEEN.clear();
        EngineExecutionResults results = execute(Passing.class);
        assertEquals(List.of(), failures(results));
        results.testEvents().assertStatistics(s -> s.started(7).succeeded(7).failed(0));
        assertEquals(6, LOOPS_SEEN.size(), "one loop per test method invocation");
        for (Loop l : LOOPS_SEEN) {
            assertTrue(l.isClosed());
        }
    }

    @SpindleTest(time = TimeMode.REAL)
    @ExtendWith(OnlyFromTheKit.class)
    static class Modes {
        @Test
        void theClassChoosesRealTime() {
            assertFalse(TestLoop.current().isVirtual());
        }

        @Test
        @SpindleTest(time = TimeMode.MANUAL)
        void theMethodsAnnotationWinsWhole() {
            TestOptions o = TestLoop.current().options();
            assertEquals(TimeMode.MANUAL, o.time());
            assertEquals(TestOptions.DEFAULT_TIMEOUT, o.timeout());
        }
    }

    @Test
    void theNearestAnnotationChoosesTheClock() {
        execute(Modes.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    }

    // ---- failing tests ------------------------------------------------------------------------------------

    @SpindleTest
    @ExtendWith(OnlyFromTheKit.class)
    static class LeavesATaskRunning {
        @Test
        void forgetsItsWorker() {
            spawn("forgotten-worker", () -> sleep(Duration.ofHours(1)));
            sleep(Duration.ofSeconds(1));
        }
    }

    @Test
    void aTaskLeftRunningFailsTheTestNamingTheTask() {
        Throwable e = onlyFailure(execute(LeavesATaskRunning.class));
        assertInstanceOf(AssertionError.class, e);
        assertTrue(e.getMessage().contains("Task 'forgotten-worker'"), e.getMessage());
        assertTrue(e.getMessage().contains("still running when the test ended"), e.getMessage());
    }

    @SpindleTest
    @ExtendWith(OnlyFromTheKit.class)
    static class LeavesAFailureUnretrieved {
        @Test
        void neverLooksAtItsTask() {
            spawn("doomed", () -> {
                throw new IllegalStateException("nobody hears this");
            });
            sleep(Duration.ofSeconds(1));
        }
    }

    @Test
    void anUnretrievedExceptionFailsTheTestNamingTheTask() {
        Throwable e = onlyFailure(execute(LeavesAFailureUnretrieved.class));
        assertInstanceOf(AssertionError.class, e);
        assertTrue(e.getMessage().contains("Task 'doomed': exception was never retrieved"), e.getMessage());
        assertEquals("nobody hears this", e.getSuppressed()[0].getMessage());
    }

    @SpindleTest(slowStepMillis = 20)
    @ExtendWith(OnlyFromTheKit.class)
    static class HoldsTheLoop {
        @Test
        void spinsWithoutParking() {
            long until = System.nanoTime() + Duration.ofMillis(80).toNanos();
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void aCoroutineHoldingTheLoopPastTheLimitFailsTheTest() {
        Throwable e = onlyFailure(execute(HoldsTheLoop.class));
        assertInstanceOf(AssertionError.class, e);
        assertTrue(e.getMessage().contains("task 'spinsWithoutParking' took"), e.getMessage());
    }

    @SpindleTest(timeoutMillis = 100)
    @ExtendWith(OnlyFromTheKit.class)
    static class NeverEnds {
        @Test
        void waitsForNothing() {
            Loop.current().createFuture().await();
        }
    }

    @Test
    void aTestPastItsTimeoutIsCancelledAndFails() {
        Throwable e = onlyFailure(execute(NeverEnds.class));
        assertInstanceOf(AssertionError.class, e);
        assertTrue(e.getMessage().contains("timed out after PT0.1S of real time"), e.getMessage());
        assertTrue(e.getMessage().contains("Task 'waitsForNothing'"), e.getMessage());
    }

    @SpindleTest
    @ExtendWith(OnlyFromTheKit.class)
    static class FailsItself {
        @Test
        void assertsWrongly() {
            sleep(Duration.ofMinutes(1));
            assertEquals(1, 2, "the test's own assertion");
        }
    }

    @Test
    void aTestsOwnFailureComesThroughUnchanged() {
        Throwable e = onlyFailure(execute(FailsItself.class));
        assertInstanceOf(org.opentest4j.AssertionFailedError.class, e);
        assertTrue(e.getMessage().startsWith("the test's own assertion"), e.getMessage());
        assertEquals(0, e.getSuppressed().length);
    }
}
