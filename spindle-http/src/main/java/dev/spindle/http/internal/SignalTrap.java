package dev.spindle.http.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Catches SIGINT and SIGTERM for a server's {@code serveUntilSignal}, counting them, and gives the previous handlers
 * back afterwards. Uses {@code sun.misc.Signal} (module jdk.unsupported): core has no signal API yet (asyncio's
 * {@code loop.add_signal_handler}), and a shutdown hook cannot tell a first signal from a second.
 */
@SuppressWarnings("restriction")
final class SignalTrap {
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[SIGNALS.length];

    private SignalTrap() {}

    static SignalTrap install(IntConsumer onSignal) {
        SignalTrap t = new SignalTrap();
        AtomicInteger count = new AtomicInteger();
        for (int i = 0; i < SIGNALS.length; i++) {
            try {
                t.previous[i] = sun.misc.Signal.handle(
                        new sun.misc.Signal(SIGNALS[i]), s -> onSignal.accept(count.incrementAndGet()));
            } catch (IllegalArgumentException e) {
                // the signal is not available here (or the JVM reserves it, as with -Xrs)
            }
        }
        return t;
    }

    void uninstall() {
        for (int i = 0; i < SIGNALS.length; i++) {
            if (previous[i] != null) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(SIGNALS[i]), previous[i]);
                } catch (IllegalArgumentException e) {
                    // as at install
                }
            }
        }
    }
}
