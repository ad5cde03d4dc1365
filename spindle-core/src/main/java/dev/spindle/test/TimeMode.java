package dev.spindle.test;

/**
 * Which clock a {@link TestLoop} runs on.
 *
 * {@snippet :
 * @SpindleTest(time = TimeMode.MANUAL)
 * class RetryTest { ... }
 * }
 */
public enum TimeMode {
    /**
     * Virtual time that jumps by itself: whenever nothing is runnable and nothing is in flight outside the loop, the
     * clock moves to the next timer's deadline (kotlinx's {@code runTest}, Trio's auto-jumping {@code MockClock}).
     * The default.
     */
    VIRTUAL,
    /**
     * Virtual time that moves only when the test says so, with {@link TestLoop#advance} (Trio's {@code MockClock}
     * without auto-jump): a coroutine sleeping past the point the test advanced to stays asleep.
     */
    MANUAL,
    /** The system clock: sleeps take as long as they say. For tests that measure real time or real peers. */
    REAL
}
