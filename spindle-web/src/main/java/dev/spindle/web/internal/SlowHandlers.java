package dev.spindle.web.internal;

import dev.spindle.loop.Loop;
import dev.spindle.observe.LoopMetrics;
import dev.spindle.observe.Metrics;
import dev.spindle.web.SlowHandler;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Times handler calls that run on the loop ({@link dev.spindle.web.App#reportSlowHandlers}): a call that took at
 * least the threshold while its loop ran no other step (core's public {@link LoopMetrics#steps()} counter did not
 * move) held the loop that long, and is reported once, naming its route. A call that yielded is not reported (it let
 * the loop run), even if it computed for long after yielding: core's {@code StallWatchdog} sees those, with their
 * stack but not the route. Costs two clock reads and two counter reads per call while on.
 */
public final class SlowHandlers {
    private static final System.Logger LOG = System.getLogger("dev.spindle.web");

    private final long thresholdNanos;
    private final Duration threshold;
    private final Consumer<? super SlowHandler> listener;
    private final ConcurrentHashMap<String, LoopMetrics> metrics = new ConcurrentHashMap<>();

    public SlowHandlers(Duration threshold, Consumer<? super SlowHandler> listener) {
        this.threshold = threshold;
        this.thresholdNanos = threshold.toNanos();
        this.listener = listener;
    }

    /** The current loop's metrics, or {@code null} off a loop. */
    LoopMetrics current() {
        Loop loop = Loop.currentOrNull();
        if (loop == null) {
            return null;
        }
        String name = loop.name();
        LoopMetrics m = metrics.get(name);
        if (m == null || !m.isRunning()) {
            metrics.values().removeIf(x -> !x.isRunning());
            for (LoopMetrics x : Metrics.loops()) {
                if (x.name().equals(name)) {
                    m = x;
                    metrics.put(name, x);
                    break;
                }
            }
        }
        return m;
    }

    /** Reports the call if it held the loop past the threshold. */
    void check(LoopMetrics m, long steps, long startNanos, String method, String path) {
        long held = System.nanoTime() - startNanos;
        if (held < thresholdNanos || m == null || m.steps() != steps) {
            return;
        }
        SlowHandler s = new SlowHandler(method, path, Duration.ofNanos(held), threshold);
        try {
            listener.accept(s);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the slow-handler listener failed", e);
        }
    }

    /** The default listener: the {@code dev.spindle.web} logger at WARNING. */
    public static void log(SlowHandler s) {
        LOG.log(System.Logger.Level.WARNING, s.toText());
    }
}
