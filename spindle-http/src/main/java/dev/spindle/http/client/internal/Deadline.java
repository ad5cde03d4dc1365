package dev.spindle.http.client.internal;

import dev.spindle.http.client.HttpTimeout;
import dev.spindle.http.client.HttpTimeout.Phase;
import dev.spindle.http.client.Timeouts;
import dev.spindle.loop.Loop;
import dev.spindle.time.TimedOut;
import dev.spindle.time.TimeoutScope;
import java.time.Duration;

/**
 * One request's time limits on its loop's clock: each step runs under the earlier of its phase's limit and the whole
 * request's deadline, and a step that runs out throws {@link HttpTimeout} naming the phase (or the deadline) and what
 * was being waited for. One {@link TimeoutScope} per step, none when neither limit is set.
 */
public final class Deadline {
    private final Loop loop;
    private final Duration connect;
    private final Duration read;
    private final Duration write;
    private final Duration pool;
    private final Duration total;
    private final long end; // TimeoutScope.NEVER: no deadline

    private Deadline(Loop loop, Timeouts t, Duration total, long end) {
        this.loop = loop;
        this.connect = t.connect().orElse(null);
        this.read = t.read().orElse(null);
        this.write = t.write().orElse(null);
        this.pool = t.pool().orElse(null);
        this.total = total;
        this.end = end;
    }

    /** The limits of {@code t}, the deadline counted from now. */
    public static Deadline start(Loop loop, Timeouts t) {
        Duration total = t.deadline().orElse(null);
        long end = total == null ? TimeoutScope.NEVER : saturatingAdd(loop.nanoTime(), total);
        return new Deadline(loop, t, total, end);
    }

    /** The same phase limits without the whole-request deadline (for a streamed body, read at the caller's pace). */
    public Deadline withoutDeadline() {
        return end == TimeoutScope.NEVER ? this : new Deadline(loop, timeouts(), null, TimeoutScope.NEVER);
    }

    private Timeouts timeouts() {
        return Timeouts.none()
                .withConnect(connect)
                .withRead(read)
                .withWrite(write)
                .withPool(pool);
    }

    /**
     * Runs {@code body} under the phase's limit and the deadline.
     *
     * @param what what is waited for, for the message: "the response head from http://host"
     */
    public <T> T run(Phase phase, String what, Step<T> body) {
        Duration limit = limit(phase);
        long now = loop.nanoTime();
        long stepEnd = limit == null ? TimeoutScope.NEVER : saturatingAdd(now, limit);
        long at = Math.min(stepEnd, end);
        if (at == TimeoutScope.NEVER) {
            return body.run();
        }
        try {
            return TimeoutScope.at(at).run(body::run);
        } catch (TimedOut e) {
            if (e instanceof HttpTimeout) {
                throw e;
            }
            if (at == end && end <= stepEnd) {
                throw new HttpTimeout(
                        Phase.DEADLINE,
                        total,
                        "the request's deadline (" + describe(total) + ") passed while waiting for " + what,
                        e);
            }
            throw new HttpTimeout(
                    phase,
                    limit,
                    phase.name().toLowerCase() + " timeout (" + describe(limit) + ") waiting for " + what,
                    e);
        }
    }

    /** A step of a request: I/O that may wait, with no checked exceptions. */
    @FunctionalInterface
    public interface Step<T> {
        T run();
    }

    /** Whether a whole-request deadline is set. */
    public boolean hasDeadline() {
        return end != TimeoutScope.NEVER;
    }

    private Duration limit(Phase phase) {
        return switch (phase) {
            case CONNECT -> connect;
            case READ -> read;
            case WRITE -> write;
            case POOL -> pool;
            case DEADLINE -> total;
        };
    }

    private static long saturatingAdd(long now, Duration d) {
        long n;
        try {
            n = d.toNanos();
        } catch (ArithmeticException e) {
            return TimeoutScope.NEVER;
        }
        return now > TimeoutScope.NEVER - n ? TimeoutScope.NEVER : now + n;
    }

    private static String describe(Duration d) {
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }
}
