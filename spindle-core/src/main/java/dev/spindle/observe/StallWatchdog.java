package dev.spindle.observe;

import dev.spindle.observe.internal.StallSampler;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reports every step (a coroutine's run between two suspensions, or a callback) that holds its loop longer than a
 * threshold, once, with its stack and how long it held the loop; and says when the coroutine had pinned the loop's
 * thread (blocked while mounted, so the whole loop waited). Watches every loop of the JVM, present and future, until
 * closed. Off unless started: by code, or for the whole process with {@code -Dspindle.stallThreshold=200ms} (reports
 * then go to the {@code dev.spindle} logger at WARNING).
 *
 * {@snippet :
 * try (StallWatchdog w = StallWatchdog.start(Duration.ofMillis(200), stall -> log.warn(stall.toText()))) {
 *     Spindle.run(App::main);
 * }
 * }
 *
 * <h2>How it sees</h2>
 * A loop records which step it runs and counts steps (two plain stores per step, no clock read); the watchdog's thread
 * samples both every {@code min(10 ms, threshold / 8)} (at least 1 ms), and a step seen running across a threshold's
 * worth of samples is a stall: its stack is taken then. It is reported when it ends, or, if it is still running after
 * {@link #ongoingReportAfter()}, then (flagged not {@linkplain Stall#ended() ended}). Durations are accurate to a
 * sampling period. Unlike {@link dev.spindle.loop.Loop#setDebug debug mode}, which times every step, this costs the loop
 * nothing measurable, so it may stay on in production.
 *
 * <h2>Threads</h2>
 * The listener runs on the watchdog's thread ({@code spindle-watchdog}), never on the loop: it must be quick and may
 * not touch loop-confined objects. What it throws is logged. Stalls also go to JFR as {@code dev.spindle.SlowStep}
 * while a recording runs (see the package docs).
 */
public final class StallWatchdog implements AutoCloseable {
    private final StallSampler sampler;

    private StallWatchdog(StallSampler sampler) {
        this.sampler = sampler;
    }

    /**
     * Starts watching every loop with {@code threshold}, handing each stall to {@code listener}.
     *
     * @throws IllegalArgumentException if {@code threshold} is not positive
     */
    public static StallWatchdog start(Duration threshold, Consumer<? super Stall> listener) {
        Objects.requireNonNull(listener, "listener");
        return new StallWatchdog(StallSampler.start(checked(threshold), listener, false));
    }

    /** {@link #start(Duration, Consumer)} reporting to the {@code dev.spindle} logger at WARNING. */
    public static StallWatchdog start(Duration threshold) {
        return new StallWatchdog(StallSampler.start(checked(threshold), StallSampler::log, false));
    }

    private static Duration checked(Duration threshold) {
        Objects.requireNonNull(threshold, "threshold");
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("the stall threshold must be positive, not " + threshold);
        }
        return threshold;
    }

    /** The threshold. */
    public Duration threshold() {
        return Duration.ofNanos(sampler.thresholdNanos());
    }

    /** How long a stalled step may run before it is reported without waiting for its end: ten thresholds, at least 1 s. */
    public Duration ongoingReportAfter() {
        return Duration.ofNanos(sampler.ongoingNanos());
    }

    /** Stops watching. Idempotent. */
    @Override
    public void close() {
        sampler.stop();
    }
}
