package dev.spindle.test;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link TestLoop} runs a test: its clock, how long an idle virtual loop waits for the outside before it
 * jumps, how long one step of a coroutine may hold the loop, and how long the whole test may take in real time.
 *
 * {@snippet :
 * TestOptions quick = TestOptions.defaults().withTimeout(Duration.ofSeconds(5));
 * TestLoop.create(quick).run(() -> { sleep(Duration.ofHours(1)); return null; });
 * }
 *
 * @param time the clock: virtual (auto-jumping), manual, or real
 * @param autoJumpThreshold virtual time only: how long, in real time, an idle loop waits for socket readiness,
 *     coroutines blocked in JDK calls and {@code CompletableFuture}s before it jumps its clock anyway (see
 *     {@link TestLoop}); zero jumps at once
 * @param slowStepLimit how long one step of a coroutine or callback may hold the loop, in real time, before the
 *     test fails; zero turns the check off (it runs the loop in debug mode)
 * @param timeout how long the test may run, in real time, before it is cancelled and fails; zero for no limit
 */
public record TestOptions(TimeMode time, Duration autoJumpThreshold, Duration slowStepLimit, Duration timeout) {
    /** The auto-jump threshold unless told otherwise: far above loopback latency, short enough to go unnoticed. */
    public static final Duration DEFAULT_AUTO_JUMP_THRESHOLD = Duration.ofMillis(20);

    /** The slow-step limit unless told otherwise. */
    public static final Duration DEFAULT_SLOW_STEP_LIMIT = Duration.ofSeconds(1);

    /** The per-test timeout unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** @throws IllegalArgumentException if a duration is negative */
    public TestOptions {
        Objects.requireNonNull(time, "time");
        requireNotNegative(autoJumpThreshold, "autoJumpThreshold");
        requireNotNegative(slowStepLimit, "slowStepLimit");
        requireNotNegative(timeout, "timeout");
    }

    /** Auto-jumping virtual time and the default threshold, slow-step limit and timeout. */
    public static TestOptions defaults() {
        return new TestOptions(TimeMode.VIRTUAL, DEFAULT_AUTO_JUMP_THRESHOLD, DEFAULT_SLOW_STEP_LIMIT, DEFAULT_TIMEOUT);
    }

    public TestOptions withTime(TimeMode time) {
        return new TestOptions(time, autoJumpThreshold, slowStepLimit, timeout);
    }

    public TestOptions withAutoJumpThreshold(Duration threshold) {
        return new TestOptions(time, threshold, slowStepLimit, timeout);
    }

    public TestOptions withSlowStepLimit(Duration limit) {
        return new TestOptions(time, autoJumpThreshold, limit, timeout);
    }

    public TestOptions withTimeout(Duration timeout) {
        return new TestOptions(time, autoJumpThreshold, slowStepLimit, timeout);
    }

    private static void requireNotNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, not " + d);
        }
    }
}
