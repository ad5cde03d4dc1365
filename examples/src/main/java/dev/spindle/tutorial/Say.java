package dev.spindle.tutorial;

import dev.spindle.loop.Loop;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * How the tutorial's programs print: {@code say("end")} prints {@code [2.0s] end}, the seconds on the running loop's
 * clock since that loop's first {@code say} (so a program says something first, at its start).
 *
 * {@snippet :
 * run(() -> {
 *     say("start");               // [0.0s] start
 *     sleep(Duration.ofSeconds(2));
 *     say("end");                 // [2.0s] end
 * });
 * }
 *
 * <p>Call it from a coroutine or callback of a loop. It reads the loop's clock ({@link Loop#time()}), not the
 * system's, so on a virtual-time test loop the stamps are exact; on a real loop they are what the wall clock says.
 */
public final class Say {
    /** Each loop's first stamp; weak so that closed loops go. Locked: loops of several threads may print. */
    private static final Map<Loop, Double> STARTS = new WeakHashMap<>();

    private Say() {}

    // tutorial:begin
    /** Prints {@code message} after the seconds since this loop's first {@code say}, e.g. {@code [2.0s] end}. */
    public static void say(String message) {
        Loop loop = Loop.current();
        double start;
        synchronized (STARTS) {
            start = STARTS.computeIfAbsent(loop, l -> l.time());
        }
        System.out.printf(Locale.ROOT, "[%.1fs] %s%n", loop.time() - start, message);
    }
    // tutorial:end
}
