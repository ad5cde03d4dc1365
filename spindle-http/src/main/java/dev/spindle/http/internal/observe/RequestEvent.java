package dev.spindle.http.internal.observe;

import dev.spindle.observe.SpindleEvent;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * Not API: the JFR event {@code dev.spindle.http.Request}, one request served by {@link dev.spindle.http.HttpServer},
 * from its head parsed to its response finished. The path is recorded without its query (which may carry tokens), cut
 * to {@link #MAX_PATH} characters.
 *
 * <p>Loaded only behind {@link dev.spindle.observe.SpindleJfr#recording()}; callers keep the event in a variable of
 * this exact type, so that verifying the calling class never loads it.
 */
@Name("dev.spindle.http.Request")
@Label("HTTP Request")
@Description("A request served by the HTTP server, from its head to its finished response")
@StackTrace(false)
@Threshold("20 ms") // as JFR's own I/O events: a recording with default settings keeps only slow ones
public final class RequestEvent extends SpindleEvent {
    /** Longer paths are cut (with "..." appended). */
    public static final int MAX_PATH = 200;

    @Label("Method")
    String method;

    @Label("Path")
    @Description("The request's path, without the query")
    String path;

    @Label("Status")
    int status;

    @Label("Bytes In")
    @Description("Request body bytes the handler read (decoded)")
    @DataAmount
    long bytesIn;

    @Label("Bytes Out")
    @Description("Response body bytes sent (before compression when the handler compressed)")
    @DataAmount
    long bytesOut;

    /** A begun event, or null when the recording does not enable it. */
    public static RequestEvent start() {
        RequestEvent e = new RequestEvent();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    /** Ends and, if the recording's settings keep it, fills and commits the event. */
    public void finish(String method, String path, int status, long bytesIn, long bytesOut) {
        end();
        if (shouldCommit()) {
            this.method = method;
            this.path = path.length() <= MAX_PATH ? path : path.substring(0, MAX_PATH) + "...";
            this.status = status;
            this.bytesIn = bytesIn;
            this.bytesOut = bytesOut;
            bindToCurrentTask();
            commit();
        }
    }
}
