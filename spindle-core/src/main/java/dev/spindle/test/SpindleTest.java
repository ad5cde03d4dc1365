package dev.spindle.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each JUnit 5 test method (including {@code @RepeatedTest} and {@code @ParameterizedTest} invocations) as a
 * coroutine on a fresh {@link TestLoop}, on virtual time unless told otherwise, and fails the test when it leaves
 * tasks running, leaves a failure unretrieved, holds the loop in one step past {@link #slowStepMillis}, or runs past
 * {@link #timeoutMillis} of real time (see {@link TestLoop#run}). Put it on a class (it applies to the class's
 * methods, its subclasses' and its {@code @Nested} classes') or on a method; the nearest one wins, whole.
 *
 * {@snippet :
 * @SpindleTest
 * class RetryTest {
 *     @Test
 *     void backsOffForAnHourInMicroseconds() {
 *         sleep(Duration.ofHours(1));
 *         assertEquals(Duration.ofHours(1), TestLoop.current().elapsed());
 *     }
 *
 *     @Test
 *     @SpindleTest(time = TimeMode.MANUAL)
 *     void stepsTheClockByHand(TestLoop loop) { // the test's loop may be injected
 *         Task<Void> t = spawn(() -> sleep(Duration.ofSeconds(5)));
 *         loop.advance(Duration.ofSeconds(5));
 *         assertTrue(t.isDone());
 *     }
 * }
 * }
 *
 * <p>Only the test method runs on the loop: {@code @BeforeEach} and {@code @AfterEach} methods run on JUnit's thread,
 * before the loop starts and after it closed. Needs JUnit Jupiter on the class path (spindle-core depends on it
 * optionally).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SpindleExtension.class)
public @interface SpindleTest {
    /** The clock: auto-jumping virtual time by default. */
    TimeMode time() default TimeMode.VIRTUAL;

    /** The test's limit in real time, in milliseconds; 0 for none. */
    long timeoutMillis() default 30_000;

    /** How long one step of a coroutine or callback may hold the loop, in real milliseconds; 0 turns it off. */
    long slowStepMillis() default 1_000;

    /** Virtual time: how long, in real milliseconds, an idle loop waits for I/O before jumping; see {@link TestLoop}. */
    long autoJumpThresholdMillis() default 20;
}
