package dev.spindle.loop.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Not API: every loop of this JVM that is not closed, for observers that look at all of them (task dumps from outside
 * the process, the stall watchdog, metrics, JFR's periodic events). Loops register when made and leave when closed;
 * the set holds them weakly, so a loop dropped without closing does not leak. Thread-safe; a loop's life is rare next
 * to what it runs, so a lock is cheap enough here.
 */
public final class LoopDirectory {
    /** Told when a loop is made or closed. Called on the thread making or closing it: must be quick, must not throw. */
    public interface Listener {
        void added(EventLoop loop);

        void removed(EventLoop loop);
    }

    private static final Set<EventLoop> LOOPS = Collections.newSetFromMap(new WeakHashMap<>());
    private static final List<Listener> LISTENERS = new CopyOnWriteArrayList<>();
    private static boolean first = true;

    private LoopDirectory() {}

    static void add(EventLoop loop) {
        boolean init;
        synchronized (LOOPS) {
            LOOPS.add(loop);
            init = first;
            first = false;
        }
        if (init) { // once per JVM, on the first loop: the switches that need no code
            dev.spindle.observe.internal.Jfr.watchForRecordings();
            try {
                dev.spindle.observe.internal.StallSampler.fromProperty();
            } catch (IllegalArgumentException e) {
                System.getLogger("dev.spindle").log(System.Logger.Level.WARNING, e.getMessage());
            }
            if (Boolean.getBoolean("spindle.jmx")) {
                dev.spindle.observe.internal.Diagnostics.register();
            }
        }
        for (Listener l : LISTENERS) {
            l.added(loop);
        }
    }

    static void remove(EventLoop loop) {
        boolean was;
        synchronized (LOOPS) {
            was = LOOPS.remove(loop);
        }
        if (was) {
            for (Listener l : LISTENERS) {
                l.removed(loop);
            }
        }
    }

    /** The loops not closed, oldest first by name. */
    public static List<EventLoop> all() {
        List<EventLoop> out;
        synchronized (LOOPS) {
            out = new ArrayList<>(LOOPS);
        }
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    /** Adds {@code l} and tells it about every loop open now (under no lock: it may be told of one twice). */
    public static void addListener(Listener l) {
        LISTENERS.add(l);
        for (EventLoop loop : all()) {
            l.added(loop);
        }
    }

    public static void removeListener(Listener l) {
        LISTENERS.remove(l);
    }
}
