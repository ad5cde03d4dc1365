package dev.spindle.loop.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not API: routes POSIX signals to loops. The JVM has one handler per signal for the whole process, while several
 * loops may each want a callback for the same signal; so the router owns the JVM handler of each signal some loop
 * listens to, calls every registered loop's callback through that loop's {@code callSoonThreadsafe} (the JVM calls
 * handlers on its own signal thread, never on a loop), and puts the JVM's previous handler back when the last
 * registration for the signal goes. Uses {@code sun.misc.Signal} (module jdk.unsupported, part of every JDK).
 */
final class SignalRouter {
    /** One signal's routing: the handler the JVM had before, and the loops' callbacks in order of registration. */
    private static final class Route {
        final sun.misc.SignalHandler previous;
        final List<Registration> registrations = new ArrayList<>();

        Route(sun.misc.SignalHandler previous) {
            this.previous = previous;
        }
    }

    /** One loop's callback for one signal. */
    record Registration(String signal, EventLoop loop, Runnable callback) {}

    private static final Map<String, Route> ROUTES = new HashMap<>();

    private SignalRouter() {}

    /**
     * The signal's canonical name: {@code "INT"} for {@code "int"}, {@code "SIGINT"} or {@code "INT"}.
     *
     * @throws IllegalArgumentException for a blank name
     */
    static String canonical(String signal) {
        String s = signal.strip().toUpperCase(Locale.ROOT);
        if (s.startsWith("SIG")) {
            s = s.substring(3);
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("no signal named \"" + signal + "\"");
        }
        return s;
    }

    /**
     * Adds {@code r}; the first registration of a signal takes over its JVM handler.
     *
     * @throws IllegalArgumentException if this platform has no such signal, or the JVM keeps it for itself
     */
    static synchronized void add(Registration r) {
        Route route = ROUTES.get(r.signal());
        if (route == null) {
            sun.misc.SignalHandler previous;
            try {
                previous = sun.misc.Signal.handle(new sun.misc.Signal(r.signal()), SignalRouter::dispatch);
            } catch (IllegalArgumentException e) {
                // "Unknown signal" or "Signal already used by VM or OS": the JDK's own words say which
                throw new IllegalArgumentException(
                        "cannot handle signal SIG" + r.signal() + ": " + e.getMessage()
                                + " (SIGQUIT and SIGKILL, for instance, are never available to programs)",
                        e);
            }
            route = new Route(previous);
            ROUTES.put(r.signal(), route);
        }
        route.registrations.add(r);
    }

    /** Removes {@code r}; the last registration of a signal gives the JVM's previous handler back. */
    static synchronized void remove(Registration r) {
        Route route = ROUTES.get(r.signal());
        if (route == null || !route.registrations.remove(r)) {
            return;
        }
        if (route.registrations.isEmpty()) {
            ROUTES.remove(r.signal());
            sun.misc.Signal.handle(new sun.misc.Signal(r.signal()), route.previous);
        }
    }

    /** On the JVM's signal thread: hands the signal to every loop that listens to it. */
    private static void dispatch(sun.misc.Signal signal) {
        List<Registration> targets;
        synchronized (SignalRouter.class) {
            Route route = ROUTES.get(signal.getName());
            if (route == null) {
                return;
            }
            targets = List.copyOf(route.registrations);
        }
        for (Registration r : targets) {
            r.loop().deliverSignal(r);
        }
    }
}
