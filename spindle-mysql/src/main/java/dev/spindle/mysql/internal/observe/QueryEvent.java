package dev.spindle.mysql.internal.observe;

import dev.spindle.mysql.MySqlOptions;
import dev.spindle.observe.SpindleEvent;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * Not API: the JFR event {@code dev.spindle.mysql.Query}, one statement from its send to its last reply packet. The
 * SQL is recorded as the caller wrote it, cut to {@link #MAX_SQL} characters; parameter values bound to {@code ?} or
 * {@code :name} placeholders are never recorded (literals written into the SQL text are).
 *
 * <p>Loaded only behind {@link dev.spindle.observe.SpindleJfr#recording()}: callers keep the event in a variable of
 * this exact type (see {@code dev.spindle.redis.internal.observe.CommandEvent} for why).
 */
@Name("dev.spindle.mysql.Query")
@Label("MySQL Query")
@Description("A MySQL statement, from its send to its whole reply")
@StackTrace(false)
@Threshold("20 ms") // as JFR's own I/O events: a recording with default settings keeps only slow ones
public final class QueryEvent extends SpindleEvent {
    /** Longer SQL is cut (with "..." appended): events are kept in memory buffers. */
    public static final int MAX_SQL = 200;

    @Label("SQL")
    @Description("The statement's text, cut to 200 characters; never the parameters' values")
    String sql;

    @Label("Server")
    String server;

    @Label("Rows")
    @Description("Rows of the first result set, or the rows affected for a statement without one")
    long rows;

    @Label("Outcome")
    @Description("ok, error (a server error or a failure), cancelled")
    String outcome;

    /** A begun event, or null when the recording does not enable it. */
    public static QueryEvent start() {
        QueryEvent e = new QueryEvent();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    /** Ends and, if the recording's settings keep it, fills and commits the event. */
    public void finish(String sql, MySqlOptions server, long rows, String outcome) {
        end();
        if (shouldCommit()) {
            this.sql = sql.length() <= MAX_SQL ? sql : sql.substring(0, MAX_SQL) + "...";
            this.server = server.socket() != null ? server.socket().toString() : server.host() + ":" + server.port();
            this.rows = rows;
            this.outcome = outcome;
            bindToCurrentTask();
            commit();
        }
    }
}
