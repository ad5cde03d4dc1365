package dev.spindle.task.internal;

import java.io.InterruptedIOException;
import java.net.SocketException;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.CancellationException;

/**
 * How a cancellation shows up in code that blocked inside the JDK: Spindle cancels such a task by interrupting its
 * virtual thread, so the JDK call ends with one of these exceptions instead of {@code Cancelled}.
 */
public final class Interruption {
    private Interruption() {}

    /** Whether {@code e} is what a JDK blocking call throws when its thread is interrupted. */
    public static boolean isInterruption(Throwable e) {
        return e instanceof InterruptedException
                || e instanceof InterruptedIOException
                || e instanceof ClosedByInterruptException
                || (e instanceof SocketException
                        && e.getMessage() != null
                        && e.getMessage().contains("interrupt"));
    }

    /** Whether {@code e} ends a task as cancelled, given whether a cancellation was requested. */
    public static boolean isCancellation(Throwable e, boolean cancelRequested) {
        return e instanceof CancellationException || (cancelRequested && isInterruption(e));
    }
}
