package dev.spindle.http.internal.observe;

import dev.spindle.observe.SpindleEvent;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * Not API: the JFR event {@code dev.spindle.http.ClientRequest}, one exchange of {@code HttpClient} with a server (each
 * redirect is its own; the one retry on a stale kept-alive connection is inside it), from asking the pool for a
 * connection to the response head (the body is read after). Records the method and
 * the origin ({@code scheme://host:port}), never the path, query or headers.
 *
 * <p>Loaded only behind {@link dev.spindle.observe.SpindleJfr#recording()}, kept in variables of this exact type.
 */
@Name("dev.spindle.http.ClientRequest")
@Label("HTTP Client Request")
@Description("A request of the HTTP client, from taking a connection to the response head")
@StackTrace(false)
@Threshold("20 ms") // as JFR's own I/O events: a recording with default settings keeps only slow ones
public final class ClientRequestEvent extends SpindleEvent {
    @Label("Method")
    String method;

    @Label("Origin")
    @Description("scheme://host:port; the path is not recorded")
    String origin;

    @Label("Status")
    @Description("The response's status, 0 when none came")
    int status;

    @Label("Outcome")
    @Description("ok (a response came, whatever its status), error, cancelled")
    String outcome;

    /** A begun event, or null when the recording does not enable it. */
    public static ClientRequestEvent start() {
        ClientRequestEvent e = new ClientRequestEvent();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    /** Ends and, if the recording's settings keep it, fills and commits the event. */
    public void finish(String method, String origin, int status, String outcome) {
        end();
        if (shouldCommit()) {
            this.method = method;
            this.origin = origin;
            this.status = status;
            this.outcome = outcome;
            bindToCurrentTask();
            commit();
        }
    }
}
