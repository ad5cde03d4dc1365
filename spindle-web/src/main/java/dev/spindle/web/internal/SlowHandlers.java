package dev.spindle.web.internal;

import dev.spindle.observe.Stall;
import dev.spindle.observe.StallWatchdog;
import dev.spindle.web.Endpoint;
import dev.spindle.web.Request;
import dev.spindle.web.SlowHandler;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Finds the handlers that hold their loop ({@link dev.spindle.web.App#reportSlowHandlers}) through core's
 * {@link StallWatchdog}: it samples every loop and reports each step (a coroutine's run between two suspensions) that
 * held its loop past the threshold, with the stack taken then. A stack holding a route's handler frame, the first
 * frame after {@link Route}'s {@code call} or {@code callEndpoint}, names that route. So a handler is reported whether
 * it held the loop from its start or after it had awaited something, and one stuck for good is reported while it
 * still runs; the request path pays nothing.
 *
 * <p>The handler frames, mapped to their routes when the app is compiled:
 *
 * <ul>
 *   <li>a handler method: its class and name;
 *   <li>an {@link Endpoint} lambda ({@code request -> ...}): its implementation method ({@code Main#lambda$main$3}),
 *       read from the {@link SerializedLambda} its {@code writeReplace} gives ({@code Endpoint} is
 *       {@link java.io.Serializable} for this; the lambda's own class is hidden and its frame is not in stacks); a
 *       method reference ({@code Items::list}): the referenced method, the same way;
 *   <li>a class implementing {@code Endpoint}: its {@code handle}.
 * </ul>
 *
 * Two routes whose handlers share one frame (one endpoint object registered twice, lambdas made by one factory
 * method, method references to one method) cannot be told apart by a stack: their stalls are reported under the
 * first of those routes the app declares.
 */
public final class SlowHandlers {
    private static final System.Logger LOG = System.getLogger("dev.spindle.web");
    private static final String ROUTE = Route.class.getName();

    private final Duration threshold;
    private final Consumer<? super SlowHandler> listener;
    /** Handler frames by {@code class#name}: their route's method and path. Built before {@link #start}. */
    private final Map<String, String[]> handlerFrames = new HashMap<>();
    /** What the watchdog's thread reads: {@link #handlerFrames} as it was at {@link #start}. */
    private volatile Map<String, String[]> watched = Map.of();

    private StallWatchdog watchdog;

    public SlowHandlers(Duration threshold, Consumer<? super SlowHandler> listener) {
        this.threshold = threshold;
        this.listener = listener;
    }

    /** Names {@code m}'s route ({@code GET}, {@code /items/{item_id}}) for stalls seen in it. Before {@link #start}. */
    void watch(Method m, String method, String path) {
        watch(m.getDeclaringClass().getName() + "#" + m.getName(), method, path);
    }

    /**
     * Names {@code endpoint}'s route for stalls seen in its frame (see the class comment); an endpoint whose frame
     * cannot be found is not watched (logged at DEBUG). Before {@link #start}.
     */
    void watch(Endpoint endpoint, String method, String path) {
        String frame = frameOf(endpoint);
        if (frame == null) {
            LOG.log(System.Logger.Level.DEBUG, "no handler frame for the endpoint of {0} {1}", method, path);
            return;
        }
        watch(frame, method, path);
    }

    private void watch(String frame, String method, String path) {
        handlerFrames.putIfAbsent(frame, new String[] {method, path}); // the first route declared keeps it
    }

    /**
     * The {@code class#method} of the frame that runs {@code endpoint}'s body just after {@code Route#callEndpoint}:
     * a lambda's or method reference's implementation method, else the class's {@code handle}; {@code null} if a
     * lambda's cannot be read.
     */
    static String frameOf(Endpoint endpoint) {
        Class<?> c = endpoint.getClass();
        if (c.isHidden()) {
            SerializedLambda l = LambdaReader.read(endpoint);
            if (l != null) {
                return l.getImplClass().replace('/', '.') + "#" + l.getImplMethodName();
            }
            if (c.getName().contains("$$Lambda")) {
                return null; // a lambda whose frame is that of a method we could not name
            }
        }
        try {
            return c.getMethod("handle", Request.class).getDeclaringClass().getName() + "#handle";
        } catch (NoSuchMethodException e) {
            throw new AssertionError("an Endpoint has handle(Request)", e);
        }
    }

    /**
     * Takes a serializable lambda's {@link SerializedLambda} as serialization would, without writing the lambda: the
     * stream calls its private {@code writeReplace} (reflection could not, in a module that is not open), and
     * {@link #replaceObject} keeps the result and writes {@code null} in its place (the captured values are never
     * serialized, so they need not be serializable).
     */
    private static final class LambdaReader extends ObjectOutputStream {
        private SerializedLambda found;

        private LambdaReader() throws IOException {
            super(OutputStream.nullOutputStream());
            enableReplaceObject(true);
        }

        static SerializedLambda read(Object lambda) {
            try (LambdaReader r = new LambdaReader()) {
                r.writeObject(lambda);
                return r.found;
            } catch (IOException | RuntimeException e) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "could not read the lambda " + lambda.getClass().getName(),
                        e);
                return null;
            }
        }

        @Override
        protected Object replaceObject(Object obj) {
            if (found == null && obj instanceof SerializedLambda l) {
                found = l;
            }
            return null;
        }
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
     * On the watchdog's thread: a stall inside a handler's call is that route's. The stack is read from its outermost
     * frame: the handler is the first handler frame after {@link Route}'s {@code call} or {@code callEndpoint} (a
     * handler that another handler calls as a helper is not the route).
     */
    private void onStall(Stall stall) {
        Map<String, String[]> frames = watched;
        List<StackTraceElement> stack = stall.stack();
        boolean inCall = false;
        for (int i = stack.size() - 1; i >= 0; i--) {
            StackTraceElement f = stack.get(i);
            if (f.getClassName().equals(ROUTE)) {
                inCall = f.getMethodName().equals("call") || f.getMethodName().equals("callEndpoint");
                continue;
            }
            String[] route = inCall ? frames.get(f.getClassName() + "#" + f.getMethodName()) : null;
            if (route != null) {
                deliver(new SlowHandler(route[0], route[1], stall.held(), threshold));
                return;
            }
        }
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
