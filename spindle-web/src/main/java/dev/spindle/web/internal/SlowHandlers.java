package dev.spindle.web.internal;

import dev.spindle.loop.Loop;
import dev.spindle.observe.LoopMetrics;
import dev.spindle.observe.Metrics;
import dev.spindle.observe.Stall;
import dev.spindle.observe.StallWatchdog;
import dev.spindle.web.SlowHandler;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Finds the handlers that hold their loop ({@link dev.spindle.web.App#reportSlowHandlers}), two ways:
 *
 * <ul>
 *   <li><b>Handler methods</b> through core's {@link StallWatchdog}: it samples every loop and reports each step (a
 *       coroutine's run between two suspensions) that held its loop past the threshold, with the stack taken then.
 *       A stack that holds a handler method's frame names that method's route. So a handler is reported whether it
 *       held the loop from its start or after it had awaited something, and one stuck for good is reported while
 *       it still runs; the request path pays nothing.
 *   <li><b>Endpoints</b> (lambdas, whose frames name no class of theirs) by timing each call: a call that took at
 *       least the threshold while its loop ran no other step (core's {@link LoopMetrics#steps()} did not move) held
 *       the loop that long. Two clock reads and two counter reads per call.
 * </ul>
 */
public final class SlowHandlers {
    private static final System.Logger LOG = System.getLogger("dev.spindle.web");
    private static final String ROUTE = Route.class.getName();

    private final long thresholdNanos;
    private final Duration threshold;
    private final Consumer<? super SlowHandler> listener;
    private final ConcurrentHashMap<String, LoopMetrics> metrics = new ConcurrentHashMap<>();
    /** Handler methods by {@code class#name}: their route's method and path. Built before {@link #start}. */
    private final Map<String, String[]> handlerFrames = new HashMap<>();
    /** What the watchdog's thread reads: {@link #handlerFrames} as it was at {@link #start}. */
    private volatile Map<String, String[]> watched = Map.of();

    private StallWatchdog watchdog;

    public SlowHandlers(Duration threshold, Consumer<? super SlowHandler> listener) {
        this.threshold = threshold;
        this.thresholdNanos = threshold.toNanos();
        this.listener = listener;
    }

    /** Names {@code m}'s route ({@code GET}, {@code /items/{item_id}}) for stalls seen in it. Before {@link #start}. */
    void watch(Method m, String method, String path) {
        handlerFrames.putIfAbsent(m.getDeclaringClass().getName() + "#" + m.getName(), new String[] {method, path});
    }

    /** Starts the watchdog for the handler methods (when the app is compiled); idempotent. */
    public synchronized void start() {
        if (watchdog == null && !handlerFrames.isEmpty()) {
            watched = Map.copyOf(handlerFrames);
            watchdog = StallWatchdog.start(threshold, this::onStall);
        }
    }

    /** Stops it (at the app's shutdown); idempotent. */
    public synchronized void stop() {
        if (watchdog != null) {
            watchdog.close();
            watchdog = null;
        }
    }

    /**
     * On the watchdog's thread: a stall inside a handler method's call is that route's. The stack is read from its
     * outermost frame: the handler is the first handler-method frame after {@link Route}'s {@code call} (a handler
     * method that another handler or an endpoint calls as a helper is not the route).
     */
    private void onStall(Stall stall) {
        Map<String, String[]> frames = watched;
        List<StackTraceElement> stack = stall.stack();
        boolean inCall = false;
        for (int i = stack.size() - 1; i >= 0; i--) {
            StackTraceElement f = stack.get(i);
            if (f.getClassName().equals(ROUTE)) {
                inCall = f.getMethodName().equals("call"); // not callEndpoint: those are timed per call
                continue;
            }
            String[] route = inCall ? frames.get(f.getClassName() + "#" + f.getMethodName()) : null;
            if (route != null) {
                deliver(new SlowHandler(route[0], route[1], stall.held(), threshold));
                return;
            }
        }
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
        deliver(new SlowHandler(method, path, Duration.ofNanos(held), threshold));
    }

    private void deliver(SlowHandler s) {
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
