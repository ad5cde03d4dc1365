package dev.spindle.mysql;

import dev.spindle.gen.AsyncIterator;
import dev.spindle.mysql.internal.protocol.Session;
import java.util.NoSuchElementException;

/**
 * The rows of a query read from the connection one at a time, as the loop asks for them: the server's rows wait in
 * the socket (and the server) until then, so a result larger than memory streams in constant space. Iterate it with
 * a for-each inside a coroutine, in try-with-resources.
 *
 * {@snippet :
 * try (RowStream rows = conn.stream("SELECT id, payload FROM events WHERE day = ?", day)) {
 *     for (Row r : rows) {
 *         handle(r); // may suspend: the next row is read only after
 *     }
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>The connection is busy until the stream ends or is closed: another query on it fails with
 *       {@link IllegalStateException}.
 *   <li>Only the first result set is streamed; results after it (a multi-statement query) are read and dropped.
 *   <li>{@link #close()} before the end stops the query: the client sends {@code KILL QUERY} on a side connection
 *       and reads what was already sent, in the background; the connection's next use waits for that clean-up.
 *   <li>A cancel (or timeout) while waiting for a row is handled the same way, then {@link dev.spindle.task.Cancelled}
 *       goes on up.
 * </ul>
 */
public final class RowStream implements AsyncIterator<Row> {
    private final Session session;
    private final Row.Columns meta;
    private Row pending;
    private boolean done;

    RowStream(Session session, Row.Columns meta, boolean empty) {
        this.session = session;
        this.meta = meta;
        this.done = empty;
    }

    /** The result's columns. */
    public java.util.List<Column> columns() {
        return meta.list;
    }

    @Override
    public boolean hasNext() {
        if (pending != null) {
            return true;
        }
        if (done) {
            return false;
        }
        try {
            int ev = session.step();
            if (ev == Session.ROW) {
                pending = new Row(meta, session.row());
                return true;
            }
            // RESULT_END: drop any further results, then the connection is free
            while (session.replyPending()) {
                session.step();
            }
            done = true;
            session.leave();
            return false;
        } catch (Throwable t) {
            done = true;
            session.failed(t);
            throw t;
        }
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows");
        }
        Row r = pending;
        pending = null;
        return r;
    }

    /** Stops the iteration; before the end, stops the query on the server too (see the class description). */
    @Override
    public void close() {
        pending = null;
        if (!done) {
            done = true;
            session.interrupted(true);
        }
    }
}
