package dev.spindle.http.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The access and error logs, through {@link System.Logger}. Every method checks the level first, so a disabled log
 * formats nothing and allocates nothing on the request path.
 */
final class HttpLog {
    /**
     * The loggers, made on first use: the first {@link System#getLogger} looks the logging backend up (a service
     * lookup over the class path, 10-20 ms in a cold JVM), which should hold neither a server's start nor its first
     * response.
     */
    private static final class Loggers {
        static final Logger ACCESS = System.getLogger("dev.spindle.http.access");
        static final Logger ERROR = System.getLogger("dev.spindle.http.error");

        static {
            made = true;
        }
    }

    /** Whether {@link Loggers} exist; before, access lines count as wanted (see {@link #accessEnabled}). */
    private static volatile boolean made;

    /**
     * Whether access lines are wanted (checked once per request, before taking the start time). Before the loggers
     * exist the answer is yes without asking, so that the first request's line, written after its response went
     * out, is what makes them.
     */
    boolean accessEnabled() {
        return !made || Loggers.ACCESS.isLoggable(Level.INFO);
    }

    /**
     * One line per response: peer, request line, status, body bytes, milliseconds. The line is built here and logged
     * without parameters: a pattern with parameters goes through {@link java.text.MessageFormat}, which formats the
     * numbers with the locale's {@link java.text.NumberFormat} (loading the locale providers on the first request,
     * and writing {@code 12,345} bytes in English).
     */
    void access(Http1Connection c, Exchange ex, long nanos) {
        if (Loggers.ACCESS.isLoggable(Level.INFO)) {
            String line = new StringBuilder(96)
                    .append(c.writer.remoteAddress())
                    .append(" \"")
                    .append(ex.head.method)
                    .append(' ')
                    .append(ex.head.target)
                    .append(' ')
                    .append(ex.head.version)
                    .append("\" ")
                    .append(ex.response.status())
                    .append(' ')
                    .append(ex.response.bytesSent)
                    .append(' ')
                    .append(millis(nanos))
                    .append("ms")
                    .toString();
            Loggers.ACCESS.log(Level.INFO, line);
        }
    }

    /**
     * {@code nanos} as milliseconds with three decimals, rounded half up ({@code String.format("%.3f")}'s output
     * without loading {@link java.util.Formatter} and the locale's number symbols on the first request).
     */
    static String millis(long nanos) {
        long micros = (Math.max(nanos, 0) + 500) / 1000;
        long frac = micros % 1000;
        return (micros / 1000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }

    /** A request the codec refused (DEBUG: hostile input must not flood the log). */
    void rejected(Http1Connection c, BadRequest e) {
        if (Loggers.ERROR.isLoggable(Level.DEBUG)) {
            Loggers.ERROR.log(
                    Level.DEBUG,
                    "refused a request from {0}: {1} {2}",
                    c.writer.remoteAddress(),
                    e.status(),
                    e.getMessage());
        }
    }

    /** A handler failed: ERROR with the stack for a 500, DEBUG for an HttpError it meant. */
    void handlerError(Http1Connection c, Exchange ex, Throwable e, boolean serverError) {
        Level level = serverError ? Level.ERROR : Level.DEBUG;
        if (Loggers.ERROR.isLoggable(level)) {
            Loggers.ERROR.log(
                    level, "handler failed for " + ex.head + " from " + c.writer.remoteAddress() + ": " + e, e);
        }
    }

    void hookFailed(Http1Connection c, RuntimeException e) {
        if (Loggers.ERROR.isLoggable(Level.WARNING)) {
            Loggers.ERROR.log(Level.WARNING, "a shutdown hook failed on " + c.writer.remoteAddress() + ": " + e, e);
        }
    }

    void connectionFailed(Object peer, Throwable e) {
        if (Loggers.ERROR.isLoggable(Level.DEBUG)) {
            Loggers.ERROR.log(Level.DEBUG, "connection with " + peer + " failed: " + e, e);
        }
    }
}
