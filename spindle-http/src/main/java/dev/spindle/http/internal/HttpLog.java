package dev.spindle.http.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The access and error logs, through {@link System.Logger}. Every method checks the level first, so a disabled log
 * formats nothing and allocates nothing on the request path.
 */
final class HttpLog {
    private static final Logger ACCESS = System.getLogger("dev.spindle.http.access");
    private static final Logger ERROR = System.getLogger("dev.spindle.http.error");

    /** Whether access lines are wanted (checked once per request, before taking the start time). */
    boolean accessEnabled() {
        return ACCESS.isLoggable(Level.INFO);
    }

    /** One line per response: peer, request line, status, body bytes, milliseconds. */
    void access(Http1Connection c, Exchange ex, long nanos) {
        if (ACCESS.isLoggable(Level.INFO)) {
            ACCESS.log(
                    Level.INFO,
                    "{0} \"{1} {2} {3}\" {4} {5} {6}ms",
                    c.writer.remoteAddress(),
                    ex.head.method,
                    ex.head.target,
                    ex.head.version,
                    ex.response.status(),
                    ex.response.bytesSent,
                    String.format("%.3f", nanos / 1e6));
        }
    }

    /** A request the codec refused (DEBUG: hostile input must not flood the log). */
    void rejected(Http1Connection c, BadRequest e) {
        if (ERROR.isLoggable(Level.DEBUG)) {
            ERROR.log(
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
        if (ERROR.isLoggable(level)) {
            ERROR.log(level, "handler failed for " + ex.head + " from " + c.writer.remoteAddress() + ": " + e, e);
        }
    }

    void hookFailed(Http1Connection c, RuntimeException e) {
        if (ERROR.isLoggable(Level.WARNING)) {
            ERROR.log(Level.WARNING, "a shutdown hook failed on " + c.writer.remoteAddress() + ": " + e, e);
        }
    }

    void connectionFailed(Object peer, Throwable e) {
        if (ERROR.isLoggable(Level.DEBUG)) {
            ERROR.log(Level.DEBUG, "connection with " + peer + " failed: " + e, e);
        }
    }
}
