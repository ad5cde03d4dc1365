package dev.spindle.mysql;

import dev.spindle.mysql.internal.sql.NamedSql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Statements queued on the client side, then sent together by {@link #execute()} on one connection, their replies read
 * in order (vertx-sql-client's pipelining, redis-py's {@code pipeline()}): one write and a few reads for the lot
 * instead of a round trip each. Each queued call returns a {@link Pending} that holds its result once
 * {@code execute()} returned. Get one from {@link MySqlConnection#pipeline()} or {@link MySqlPool#pipeline()}.
 *
 * {@snippet :
 * Pipeline p = conn.pipeline();
 * List<Pipeline.Pending<Row>> worlds = new ArrayList<>();
 * for (int i = 0; i < 20; i++) {
 *     worlds.add(p.fetchOne("SELECT id, randomNumber FROM World WHERE id = ?", randomId())); // queued, nothing sent
 * }
 * Pipeline.Pending<Result> bump = p.execute("UPDATE counters SET n = n + 1 WHERE id = ?", 1);
 * p.execute();                                  // one write, then the 21 replies in order
 * Row first = worlds.get(0).get();
 * long changed = bump.get().affectedRows();
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Use a pipeline from one coroutine of its connection's loop. Queueing does no I/O and never
 *       waits. {@code execute()} holds the connection for the whole pipeline, like one statement: another operation
 *       on it meanwhile (or an open {@link RowStream}) gets {@link IllegalStateException}.
 *   <li><b>Order.</b> The server runs the statements one after another in the order they were queued, as if they
 *       were run one by one on this connection (so inside a transaction they are in it, in order); other
 *       connections' statements may run between them: a pipeline is not atomic (run it inside
 *       {@link MySqlConnection#transaction} for that). Values are bound as in {@link MySqlConnection#execute}: with
 *       parameters, a prepared statement from the connection's cache (all the missing ones are prepared first, in one
 *       round trip of their own); without, a text query.
 *   <li><b>Results.</b> {@code execute()} returns each statement's result in order (a {@link Result}, a
 *       {@code List<Row>}, a {@link Row} or null, a value... as the queueing method says), and fills the
 *       {@link Pending}s. After it the pipeline is empty and may be used again.
 *   <li><b>Server errors.</b> A statement the server refused (a duplicate key, a syntax error, a failed prepare) has
 *       its {@link ServerError} in its place: in the list, and thrown by its {@link Pending#get()}. The statements
 *       after it still ran, as the server goes on with the next command: {@code execute()} itself does not throw
 *       for them.
 *   <li><b>Bad arguments.</b> A parameter of a type with no MySQL mapping, or the wrong number of parameters for a
 *       statement's placeholders, makes {@code execute()} throw {@link IllegalArgumentException} before any of the
 *       statements ran (the missing prepares may have run: they change nothing).
 *   <li><b>Cancellation and timeouts.</b> {@code execute()} may be cancelled or bounded with {@code withTimeout}
 *       at any point. The statement the server runs at that moment is killed ({@code KILL QUERY}) and the replies of
 *       every statement already written are read and dropped in the background, as for one interrupted query (see
 *       {@link MySqlConnection}): nobody ever reads a reply that is not theirs, and the connection's next use waits
 *       for that clean-up (or finds the connection closed, if it took longer than
 *       {@link MySqlOptions#cancelTimeout()}). Which statements took effect is unknown, except that a {@link Pending}
 *       that {@link Pending#isDone() is done} got its reply before the interruption. The statements written after
 *       the killed one still run on the server; those not yet written never do: a pipeline is written in steps as the
 *       replies come back, at most 256 statements and 64 KiB of commands ahead of the replies read (so that neither
 *       side's buffers fill up, and a cancel leaves little to drain).
 *   <li><b>A broken connection</b> makes {@code execute()} throw {@link ConnectionLostError} (and closes the
 *       connection); the statements whose replies had not come are in an unknown state.
 *   <li><b>A value the client cannot convert</b> (a zero date while {@link MySqlOptions#zeroDateIsNull()} is off)
 *       makes {@code execute()} throw that {@link MySqlException} at the statement that returned it; the replies
 *       after it are read and dropped in the background (the statements ran), as after a cancel but without a kill.
 * </ul>
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *   <li>A statement after a failed one still runs, even when the failure ended the transaction: a deadlock
 *       ({@link ServerError.Deadlock}) rolls the whole transaction back, and the statements queued after it then run
 *       outside of it, each committed on its own. Do not queue a {@code COMMIT} after statements that may fail
 *       (the part that succeeded would be committed); check the results, then commit or roll back.
 *   <li>Rows cannot be streamed from a pipeline: each statement's rows are read whole, in memory (use
 *       {@link MySqlConnection#stream} alone for large results).
 *   <li>Every statement's result is held until {@code execute()} returns; and the commands are encoded at once,
 *       before the first is sent. Pipeline a few hundred or thousand statements at a time, not millions.
 *   <li>A {@link Pending}'s value is there only after {@code execute()} returned: {@link Pending#get()} before
 *       throws {@link IllegalStateException}.
 * </ul>
 */
public final class Pipeline {
    /** Runs the calls on a connection, filling their {@link Pending}s (or throws). */
    @FunctionalInterface
    interface Runner {
        void run(List<Pending<?>> calls);
    }

    private final Runner runner;
    private List<Pending<?>> queued = new ArrayList<>();

    Pipeline(Runner runner) {
        this.runner = runner;
    }

    // ---- queueing -----------------------------------------------------------------------------------------------

    /**
     * Queues a statement whose whole reply is wanted, as {@link MySqlConnection#execute(String, Object...)} reads it.
     * Not to be confused with {@link #execute()}, which runs the pipeline.
     */
    public Pending<Result> execute(String sql, Object... params) {
        return add(new Pending<>(Pending.RESULT, sql, params, null));
    }

    /** {@link #execute(String, Object...)} with named parameters ({@code :name}). */
    public Pending<Result> execute(String sql, Map<String, ?> params) {
        NamedSql n = NamedSql.parse(sql);
        return execute(n.sql(), n.bind(params));
    }

    /** Queues a query; its {@link Pending} gives the rows of its first result. */
    public Pending<List<Row>> fetch(String sql, Object... params) {
        return add(new Pending<>(Pending.ROWS, sql, params, null));
    }

    public Pending<List<Row>> fetch(String sql, Map<String, ?> params) {
        NamedSql n = NamedSql.parse(sql);
        return fetch(n.sql(), n.bind(params));
    }

    /** Queues a query; its {@link Pending} gives the rows of its first result as records (see {@link Row#as}). */
    public <R extends Record> Pending<List<R>> fetch(Class<R> type, String sql, Object... params) {
        return add(new Pending<>(Pending.RECORDS, sql, params, Objects.requireNonNull(type, "type")));
    }

    /** Queues a query; its {@link Pending} gives the first row, or null when there is none. */
    public Pending<Row> fetchOne(String sql, Object... params) {
        return add(new Pending<>(Pending.ROW, sql, params, null));
    }

    public Pending<Row> fetchOne(String sql, Map<String, ?> params) {
        NamedSql n = NamedSql.parse(sql);
        return fetchOne(n.sql(), n.bind(params));
    }

    /**
     * Queues a query; its {@link Pending} gives the first column of the first row, converted as
     * {@link Row#get(int, Class)} does (null when there is no row).
     */
    public <T> Pending<T> fetchValue(Class<T> type, String sql, Object... params) {
        return add(new Pending<>(Pending.VALUE, sql, params, Objects.requireNonNull(type, "type")));
    }

    private <T> Pending<T> add(Pending<T> p) {
        queued.add(p);
        return p;
    }

    /** Statements queued so far. */
    public int size() {
        return queued.size();
    }

    // ---- running ----------------------------------------------------------------------------------------------------

    /**
     * Sends every queued statement and reads their replies in order (see the class description); returns their
     * results in order, a {@link ServerError} in the place of each statement the server refused. The pipeline is
     * then empty. Nothing queued: returns an empty list without touching the connection.
     *
     * @throws IllegalArgumentException for a parameter that cannot be sent, or a wrong parameter count; nothing ran
     * @throws ConnectionLostError if the connection broke (it is closed)
     * @throws IllegalStateException if the connection is busy, was returned to its pool, or its pool is closed
     */
    public List<Object> execute() {
        List<Pending<?>> calls = queued;
        if (calls.isEmpty()) {
            return List.of();
        }
        queued = new ArrayList<>();
        try {
            runner.run(calls);
        } catch (Throwable t) {
            for (Pending<?> c : calls) {
                if (!c.done) {
                    c.abandoned = t;
                }
            }
            throw t;
        }
        List<Object> results = new ArrayList<>(calls.size());
        for (Pending<?> c : calls) {
            results.add(c.error != null ? c.error : c.get());
        }
        return results;
    }

    @Override
    public String toString() {
        return "Pipeline[" + queued.size() + " queued]";
    }

    /**
     * The result of one queued statement, there once the pipeline's {@link Pipeline#execute()} returned (or, if it
     * was interrupted, once this statement's reply was read before that).
     *
     * {@snippet :
     * Pipeline.Pending<Result> insert = p.execute("INSERT INTO users(email) VALUES (?)", email);
     * p.execute();
     * if (insert.error() instanceof ServerError.DuplicateKey) {
     *     // already there; the statements after it ran anyway
     * } else {
     *     long id = insert.get().lastInsertId();
     * }
     * }
     *
     * Use it from the pipeline's coroutine. Its value is converted (rows to records, a column to a type) at the first
     * {@link #get()}.
     */
    public static final class Pending<T> implements Supplier<T> {
        static final byte RESULT = 0;
        static final byte ROWS = 1;
        static final byte ROW = 2;
        static final byte VALUE = 3;
        static final byte RECORDS = 4;

        private final byte kind;
        final String sql;
        final Object[] params;
        private final Class<?> type;

        private boolean done;
        private Result result;
        private ServerError error;
        private Throwable abandoned;
        private boolean converted;
        private T value;

        Pending(byte kind, String sql, Object[] params, Class<?> type) {
            this.kind = kind;
            this.sql = Objects.requireNonNull(sql, "sql");
            // a single null vararg is one NULL parameter; an array the caller may reuse is copied
            this.params = params == null ? new Object[] {null} : params.length == 0 ? params : params.clone();
            this.type = type;
        }

        void done(Result r) {
            result = r;
            done = true;
        }

        void failed(ServerError e) {
            error = e;
            done = true;
        }

        /** The rows (or affected rows) of the first result, for the JFR event. */
        long rowCount() {
            if (result == null) {
                return 0;
            }
            return result.columns().isEmpty()
                    ? result.affectedRows()
                    : result.rows().size();
        }

        /**
         * The statement's result.
         *
         * @throws ServerError the server's error for this statement
         * @throws IllegalStateException before the pipeline ran, or when it failed (or was interrupted) before this
         *     statement's reply was read (the cause says why)
         */
        @Override
        public T get() {
            if (!done) {
                throw abandoned == null
                        ? new IllegalStateException("not run yet: call the pipeline's execute() first")
                        : new IllegalStateException(
                                "the pipeline ended before this statement's reply was read: " + abandoned, abandoned);
            }
            if (error != null) {
                throw error;
            }
            if (!converted) {
                value = convert();
                converted = true;
            }
            return value;
        }

        @SuppressWarnings("unchecked")
        private T convert() {
            return (T)
                    switch (kind) {
                        case RESULT -> result;
                        case ROWS -> result.rows();
                        case ROW ->
                            result.rows().isEmpty() ? null : result.rows().get(0);
                        case VALUE ->
                            result.rows().isEmpty()
                                    ? null
                                    : result.rows().get(0).get(0, type);
                        case RECORDS -> records();
                        default -> throw new IllegalStateException("kind " + kind);
                    };
        }

        private List<?> records() {
            List<Row> rows = result.rows();
            List<Object> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(r.as(type.asSubclass(Record.class)));
            }
            return out;
        }

        /** Whether the statement's reply was read (its result or its error is there). */
        public boolean isDone() {
            return done;
        }

        /** The server's error for this statement, or null (when it succeeded, or has not run). */
        public ServerError error() {
            return error;
        }

        @Override
        public String toString() {
            String state = !done ? (abandoned == null ? "queued" : "abandoned") : error != null ? "failed" : "done";
            return "Pending[" + state + ", " + sql + "]";
        }
    }
}
