package dev.spindle.mysql;

import dev.spindle.mysql.internal.codec.OkPacket;
import dev.spindle.mysql.internal.codec.ServerStatus;
import dev.spindle.mysql.internal.observe.QueryEvent;
import dev.spindle.mysql.internal.protocol.Session;
import dev.spindle.mysql.internal.sql.NamedSql;
import dev.spindle.observe.SpindleJfr;
import dev.spindle.task.Cancelled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One connection to a MySQL or MariaDB server, used from coroutines of the loop it was opened on (aiomysql's
 * {@code Connection} and cursor in one). Statements with parameters run as server-side prepared statements (binary
 * protocol), kept in a per-connection LRU cache; statements without parameters run as text queries. Values are always
 * bound, never written into the SQL text, and no method formats values into SQL.
 *
 * {@snippet :
 * try (MySqlConnection conn = MySql.connect("mysql://app:secret@127.0.0.1/shop?sslMode=DISABLED")) {
 *     conn.execute("INSERT INTO users(name, email) VALUES (?, ?)", "Ada", "ada@example.org");
 *     Row ada = conn.fetchOne("SELECT * FROM users WHERE email = :email", Map.of("email", "ada@example.org"));
 *     List<User> all = conn.fetch(User.class, "SELECT id, name, email FROM users");
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Confined to its loop; one operation at a time (a second coroutine calling while one waits,
 *       or while a {@link RowStream} is open, gets {@link IllegalStateException}: use a {@link MySqlPool} to share).
 *   <li><b>Errors.</b> The server's errors are {@link ServerError}s (typed: {@link ServerError.DuplicateKey},
 *       {@link ServerError.Deadlock}...) and leave the connection usable; a broken connection is a
 *       {@link ConnectionLostError}; bad bytes from the server a {@link ProtocolError}. Both close the connection.
 *   <li><b>Cancellation and timeouts.</b> Any call may be cancelled or bounded with {@code withTimeout}. A query
 *       interrupted before its reply was read is killed on the server ({@code KILL QUERY} on a side connection) and
 *       the rest of its reply is read and dropped in the background; the connection's next operation waits for that,
 *       so no caller ever reads another's reply. If that clean-up fails or takes longer than
 *       {@link MySqlOptions#cancelTimeout()}, the connection is closed instead. Whether an interrupted write
 *       statement took effect is unknown (as for any lost reply).
 * </ul>
 *
 * <h2>Types</h2>
 * Integers as Integer (Long for INT UNSIGNED and BIGINT, BigInteger for BIGINT UNSIGNED), TINYINT(1) and BIT(1) as
 * Boolean ({@link MySqlOptions#tinyInt1IsBoolean()}), DECIMAL as BigDecimal, FLOAT/DOUBLE as Float/Double,
 * DATE/DATETIME/TIMESTAMP as LocalDate/LocalDateTime (TIMESTAMP in the session time zone, UTC by default), TIME as
 * Duration, text and JSON as String, binary strings and BLOBs as byte[], NULL as null. Zero dates are an error or
 * null ({@link MySqlOptions#zeroDateIsNull()}). JSON documents also map to and from Java values through Jackson:
 * {@link Json#of} as a parameter, {@link Row#getJson} and record components of record, map or list type.
 */
public final class MySqlConnection implements AutoCloseable {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private final Session session;
    /**
     * For a handle lent by a pool (one loan, good once): the pool and its entry, which {@link #close()} gives back;
     * null for a connection of its own.
     */
    private final MySqlPool pool;

    private final MySqlPool.Entry entry;
    private boolean returned;

    MySqlConnection(Session session) {
        this(session, null, null);
    }

    MySqlConnection(Session session, MySqlPool pool, MySqlPool.Entry entry) {
        this.session = session;
        this.pool = pool;
        this.entry = entry;
    }

    /** The session, unless this handle went back to its pool. */
    /** The protocol session, for this package's tests. */
    Session sessionForTests() {
        return session;
    }

    private Session s() {
        if (returned) {
            throw new IllegalStateException("this connection was returned to its pool; acquire another");
        }
        return session;
    }

    // ---- queries ------------------------------------------------------------------------------------------------

    /**
     * Runs a statement and reads its whole reply: every result (see {@link Result#next()}) with its rows buffered.
     * With parameters, a prepared statement ({@code ?} placeholders) from the cache; without, a text query (several
     * statements separated by {@code ;} when {@link MySqlOptions#multiStatements()} is on).
     *
     * @throws ServerError what the server reported; the connection stays usable
     * @throws IllegalArgumentException for a parameter of a type with no MySQL mapping, or the wrong count
     */
    public Result execute(String sql, Object... params) {
        if (!SpindleJfr.recording()) { // one volatile read while JFR never ran
            return executeUnrecorded(sql, params);
        }
        QueryEvent e = QueryEvent.start();
        if (e == null) {
            return executeUnrecorded(sql, params);
        }
        String outcome = "error";
        long rows = 0;
        try {
            Result r = executeUnrecorded(sql, params);
            outcome = "ok";
            rows = r.columns().isEmpty() ? r.affectedRows() : r.rows().size();
            return r;
        } catch (Cancelled c) {
            outcome = "cancelled";
            throw c;
        } finally {
            e.finish(String.valueOf(sql), session.options(), rows, outcome);
        }
    }

    private Result executeUnrecorded(String sql, Object... params) {
        Objects.requireNonNull(sql, "sql");
        Object[] ps = params == null ? new Object[] {null} : params;
        s().enter(sql);
        try {
            Result r;
            if (ps.length == 0) {
                s().sendQuery(sql);
                r = readResults(null);
            } else {
                Session.Statement st = prepared(sql, ps);
                s().sendExecute(st, ps);
                r = readResults(st);
                s().release(sql, st);
            }
            s().leave();
            return r;
        } catch (Throwable t) {
            s().failed(t);
            throw t;
        }
    }

    /** {@link #execute(String, Object...)} with named parameters ({@code :name}). */
    public Result execute(String sql, Map<String, ?> params) {
        NamedSql n = NamedSql.parse(sql);
        return execute(n.sql(), n.bind(params));
    }

    /** The rows of the first result. */
    public List<Row> fetch(String sql, Object... params) {
        return execute(sql, params).rows();
    }

    public List<Row> fetch(String sql, Map<String, ?> params) {
        return execute(sql, params).rows();
    }

    /** The rows of the first result as records (see {@link Row#as}). */
    public <R extends Record> List<R> fetch(Class<R> type, String sql, Object... params) {
        List<Row> rows = fetch(sql, params);
        List<R> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(r.as(type));
        }
        return out;
    }

    /** The first row, or null when there is none. */
    public Row fetchOne(String sql, Object... params) {
        List<Row> rows = fetch(sql, params);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public Row fetchOne(String sql, Map<String, ?> params) {
        List<Row> rows = fetch(sql, params);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The first column of the first row, converted as {@link Row#get(int, Class)} does; null when no row. */
    public <T> T fetchValue(Class<T> type, String sql, Object... params) {
        Row r = fetchOne(sql, params);
        return r == null ? null : r.get(0, type);
    }

    /**
     * Runs a query and returns its first result set as a {@link RowStream}, read from the connection row by row.
     * The connection stays busy until the stream ends or is closed.
     */
    public RowStream stream(String sql, Object... params) {
        Objects.requireNonNull(sql, "sql");
        Object[] ps = params == null ? new Object[] {null} : params;
        s().enter(sql);
        try {
            Session.Statement st = null;
            if (ps.length == 0) {
                s().sendQuery(sql);
            } else {
                st = prepared(sql, ps);
                s().sendExecute(st, ps);
            }
            int ev = s().step();
            if (ev == Session.RESULT_SET) {
                return new RowStream(session, columns(st), false);
            }
            while (s().replyPending()) {
                s().step();
            }
            s().leave();
            return new RowStream(
                    session, new Row.Columns(List.of(), s().options().timeZone()), true);
        } catch (Throwable t) {
            s().failed(t);
            throw t;
        }
    }

    public RowStream stream(String sql, Map<String, ?> params) {
        NamedSql n = NamedSql.parse(sql);
        return stream(n.sql(), n.bind(params));
    }

    private Session.Statement prepared(String sql, Object[] params) {
        Session.Statement st = s().prepare(sql);
        if (st.paramCount() != params.length) {
            throw new IllegalArgumentException("the statement has " + st.paramCount() + " placeholders but "
                    + params.length + " parameters were given");
        }
        return st;
    }

    /**
     * The public metadata of the result set whose columns were just read; for a prepared statement whose columns are
     * the ones of its previous result, the metadata built then (with its name index and record mappings).
     */
    private Row.Columns columns(Session.Statement st) {
        Column[] cols = s().columns();
        if (st != null && st.columnsView(cols) instanceof Row.Columns c) {
            return c;
        }
        Row.Columns c = new Row.Columns(
                Collections.unmodifiableList(Arrays.asList(cols)), s().options().timeZone());
        if (st != null) {
            st.columnsView(cols, c);
        }
        return c;
    }

    private Result readResults(Session.Statement st) {
        Result first = null;
        Result last = null;
        Row outParams = null;
        do {
            int ev = s().step();
            Row.Columns meta = null;
            List<Row> rows = List.of();
            if (ev == Session.RESULT_SET) {
                meta = columns(st);
                rows = new ArrayList<>(1); // often one row (fetchOne); grows by half for more
                while (s().step() == Session.ROW) {
                    rows.add(new Row(meta, s().row()));
                }
            }
            OkPacket ok = s().ok();
            if (meta != null && (s().status() & ServerStatus.PS_OUT_PARAMS) != 0) {
                outParams = rows.isEmpty() ? null : rows.get(0);
                continue;
            }
            Result r = new Result(
                    meta == null ? List.of() : meta.list,
                    rows,
                    ok.affectedRows(),
                    ok.lastInsertId(),
                    ok.warnings(),
                    ok.info());
            if (first == null) {
                first = r;
            } else {
                last.next(r);
            }
            last = r;
        } while (s().replyPending());
        if (first == null) {
            first = new Result(List.of(), List.of(), 0, 0, 0, "");
        }
        if (outParams != null) {
            first.outParameters(outParams);
        }
        return first;
    }

    // ---- pipelines --------------------------------------------------------------------------------------------

    /**
     * A {@link Pipeline} on this connection: statements queued, then sent back to back by its
     * {@link Pipeline#execute()}, their replies read in order. Twenty single-row queries so cost one round trip
     * instead of twenty.
     *
     * {@snippet :
     * Pipeline p = conn.pipeline();
     * Pipeline.Pending<Row> ada = p.fetchOne("SELECT * FROM users WHERE id = ?", 1);
     * Pipeline.Pending<Row> bob = p.fetchOne("SELECT * FROM users WHERE id = ?", 2);
     * p.execute();
     * System.out.println(ada.get() + " " + bob.get());
     * }
     *
     * The pipeline runs on this connection, one operation like any other (see {@link Pipeline} for errors and
     * cancellation); it may be used again after each {@code execute()}, as long as this connection is open (or,
     * for a pool's, not returned).
     *
     * @throws IllegalStateException if this connection was returned to its pool
     */
    public Pipeline pipeline() {
        s();
        return new Pipeline(this::runPipeline);
    }

    /** Runs a pipeline's statements on this connection and fills their {@link Pipeline.Pending}s. */
    void runPipeline(List<Pipeline.Pending<?>> calls) {
        if (!SpindleJfr.recording()) {
            runPipelineUnrecorded(calls);
            return;
        }
        QueryEvent e = QueryEvent.start();
        if (e == null) {
            runPipelineUnrecorded(calls);
            return;
        }
        String outcome = "error";
        long rows = 0;
        try {
            runPipelineUnrecorded(calls);
            outcome = "ok";
            for (Pipeline.Pending<?> c : calls) {
                if (c.error() != null) {
                    outcome = "error";
                }
                rows += c.rowCount();
            }
        } catch (Cancelled c) {
            outcome = "cancelled";
            throw c;
        } finally {
            e.finish("[pipeline of " + calls.size() + "] " + calls.getFirst().sql, session.options(), rows, outcome);
        }
    }

    /**
     * The pipeline's steps: the prepared statements (the missing ones prepared in one pipeline of their own), all the
     * commands encoded (so a bad parameter is refused before any is sent), then the replies read in order, the
     * session writing more of the commands as they come back (see {@link Session#batchNextReply()}).
     */
    private void runPipelineUnrecorded(List<Pipeline.Pending<?>> calls) {
        Session s = s();
        int n = calls.size();
        s.enter("a pipeline");
        try {
            Object[] statements = statements(s, calls);
            s.batchBegin();
            for (int i = 0; i < n; i++) {
                Pipeline.Pending<?> c = calls.get(i);
                if (statements[i] == null) {
                    s.batchQuery(c.sql);
                } else if (statements[i] instanceof Session.Statement st) {
                    s.batchExecute(st, c.params);
                } // else its prepare failed: nothing to send
            }
            for (int i = 0; i < n; i++) {
                Pipeline.Pending<?> c = calls.get(i);
                if (statements[i] instanceof ServerError e) {
                    c.failed(e);
                    continue;
                }
                s.batchNextReply();
                try {
                    c.done(readResults((Session.Statement) statements[i]));
                } catch (ServerError e) { // an ERR ends its reply, and only its own: the next one follows
                    c.failed(e);
                }
            }
            s.leave();
        } catch (Throwable t) {
            s.failed(t);
            throw t;
        }
    }

    /**
     * For each call: null for a text query (no parameters), else its prepared statement, or the {@link ServerError}
     * its prepare met. The statements not cached are prepared together, in one pipeline.
     *
     * @throws IllegalArgumentException for a parameter count that does not match a statement's placeholders
     */
    private static Object[] statements(Session s, List<Pipeline.Pending<?>> calls) {
        int n = calls.size();
        Object[] out = new Object[n];
        HashMap<String, Object> known = null; // the distinct SQL with parameters: Statement, ServerError or MISSING
        List<String> missing = null;
        for (int i = 0; i < n; i++) {
            Pipeline.Pending<?> c = calls.get(i);
            if (c.params.length == 0) {
                continue;
            }
            if (known == null) {
                known = new HashMap<>();
            }
            Object st = known.get(c.sql);
            if (st == null) {
                st = s.cached(c.sql);
                if (st == null) {
                    st = MISSING;
                    if (missing == null) {
                        missing = new ArrayList<>();
                    }
                    missing.add(c.sql);
                }
                known.put(c.sql, st);
            }
            out[i] = st;
        }
        if (missing != null) {
            Object[] prepared = s.prepareAll(missing);
            for (int i = 0; i < prepared.length; i++) {
                known.put(missing.get(i), prepared[i]);
            }
            for (int i = 0; i < n; i++) {
                if (out[i] == MISSING) {
                    out[i] = known.get(calls.get(i).sql);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (out[i] instanceof Session.Statement st && st.paramCount() != calls.get(i).params.length) {
                throw new IllegalArgumentException("statement " + (i + 1) + " of the pipeline has "
                        + st.paramCount() + " placeholders but " + calls.get(i).params.length
                        + " parameters were given: " + calls.get(i).sql);
            }
        }
        return out;
    }

    private static final Object MISSING = new Object();

    // ---- transactions -----------------------------------------------------------------------------------------

    /** A block of work given the connection, for {@link #transaction}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(MySqlConnection conn) throws Exception;
    }

    /** {@code START TRANSACTION}. */
    public void begin() {
        execute("START TRANSACTION");
    }

    /** {@code SET TRANSACTION ISOLATION LEVEL ...} for the next transaction, then {@code START TRANSACTION}. */
    public void begin(IsolationLevel level) {
        execute("SET TRANSACTION ISOLATION LEVEL " + level.sql());
        execute("START TRANSACTION");
    }

    public void commit() {
        execute("COMMIT");
    }

    public void rollback() {
        execute("ROLLBACK");
    }

    /** {@code SAVEPOINT name}; the name must be a plain identifier (letters, digits, underscores). */
    public void savepoint(String name) {
        execute("SAVEPOINT `" + identifier(name) + "`");
    }

    public void rollbackToSavepoint(String name) {
        execute("ROLLBACK TO SAVEPOINT `" + identifier(name) + "`");
    }

    public void releaseSavepoint(String name) {
        execute("RELEASE SAVEPOINT `" + identifier(name) + "`");
    }

    private static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("savepoint name " + name + " is not a plain identifier");
        }
        return name;
    }

    /** Whether the server says a transaction is open (its status flag, as of the last reply). */
    public boolean inTransaction() {
        return s().inTransaction();
    }

    /** {@link #transaction(IsolationLevel, Work)} at the session's isolation level. */
    public <T> T transaction(Work<T> work) {
        return transaction(null, work);
    }

    /**
     * Runs {@code work} in a transaction: commits when it returns, rolls back when it throws or is cancelled (then
     * rethrows, unchanged). When the rollback itself cannot run (the connection broke, or the coroutine is cancelled
     * again meanwhile), the connection is closed, which makes the server roll back.
     *
     * {@snippet :
     * long orderId = conn.transaction(c -> {
     *     c.execute("UPDATE stock SET n = n - 1 WHERE item = ? AND n > 0", item);
     *     return c.execute("INSERT INTO orders(item) VALUES (?)", item).lastInsertId();
     * });
     * }
     *
     * @param level the isolation level, or null for the session's
     */
    public <T> T transaction(IsolationLevel level, Work<T> work) {
        if (level == null) {
            begin();
        } else {
            begin(level);
        }
        T result;
        try {
            result = work.run(this);
        } catch (Throwable t) {
            rollbackOrClose(t);
            throw sneaky(t);
        }
        try {
            commit();
        } catch (Throwable t) {
            rollbackOrClose(t);
            throw t;
        }
        return result;
    }

    private void rollbackOrClose(Throwable cause) {
        if (!s().isOpen()) {
            return; // the server rolls back a connection that goes away
        }
        try {
            s().awaitRecovery();
            if (s().isOpen()) {
                rollback();
            }
        } catch (MySqlException | IllegalStateException e) { // Cancelled is an IllegalStateException too
            cause.addSuppressed(e);
            s().closeNow(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    // ---- session ----------------------------------------------------------------------------------------------

    /** COM_PING: a round trip that checks the connection. */
    public void ping() {
        s().enter("PING");
        try {
            s().ping();
            s().leave();
        } catch (Throwable t) {
            s().failed(t);
            throw t;
        }
    }

    /**
     * COM_RESET_CONNECTION: rolls back, drops temporary tables, user variables and prepared statements (the cache is
     * emptied), resets session variables; then this client's session set-up runs again (time zone, init SQL).
     */
    public void resetSession() {
        s().enter("RESET CONNECTION");
        try {
            s().resetConnection();
            s().leave();
        } catch (Throwable t) {
            s().failed(t);
            throw t;
        }
    }

    /** The server's id for this connection (what {@code KILL} and {@code SHOW PROCESSLIST} use). */
    public long threadId() {
        return s().threadId();
    }

    public String serverVersion() {
        return s().serverVersion();
    }

    public boolean isMariaDb() {
        return s().isMariaDb();
    }

    /** Whether the connection is encrypted. */
    public boolean isTls() {
        return s().isTls();
    }

    /** Whether the connection is open (it may still turn out broken at its next use). */
    public boolean isOpen() {
        return s().isOpen();
    }

    /** How many prepared statements the cache holds. */
    public int cachedStatements() {
        return s().cache().size();
    }

    /**
     * Closes the connection (COM_QUIT when it is idle; a clean-up under way is stopped), or, for a connection lent by
     * a {@link MySqlPool}, gives it back. Idempotent.
     */
    @Override
    public void close() {
        if (pool != null) {
            if (!returned) {
                returned = true;
                pool.release(entry);
            }
        } else {
            session.close();
        }
    }

    @Override
    public String toString() {
        return "MySqlConnection[" + session.options() + ", thread " + session.threadId() + ", " + session.state()
                + (returned ? ", returned" : "") + "]";
    }
}
