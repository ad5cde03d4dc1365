package dev.spindle.mysql;

import static dev.spindle.Spindle.spawn;

import dev.spindle.loop.Loop;
import dev.spindle.mysql.internal.protocol.Session;
import dev.spindle.observe.PoolCounters;
import dev.spindle.sync.LoopSemaphore;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * A pool of connections to one server, for the coroutines of one loop (aiomysql's {@code create_pool}, HikariCP's
 * role). {@link #acquire()} lends a connection; closing what it returned gives the connection back, reset.
 *
 * {@snippet :
 * try (MySqlPool pool = MySqlPool.create(MySqlOptions.parse(url), PoolOptions.builder().maxSize(20).build())) {
 *     try (MySqlConnection c = pool.acquire()) {
 *         c.execute("UPDATE counters SET n = n + 1 WHERE id = ?", 1);
 *     }
 *     List<Row> rows = pool.fetch("SELECT * FROM users WHERE id = ?", 7);  // acquire, run, return
 *     pool.transaction(c -> c.execute("DELETE FROM carts WHERE user_id = ?", 7));
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Loop.</b> A pool belongs to the loop it is used on first; its connections are that loop's.
 *   <li><b>Waiting.</b> {@code acquire} waits in FIFO order while {@link PoolOptions#maxSize()} connections are lent,
 *       never longer than {@link PoolOptions#acquireTimeout()} ({@link PoolTimeout} then). A cancelled waiter takes
 *       nothing.
 *   <li><b>Health.</b> A connection idle longer than {@link PoolOptions#validateAfterIdle()} is pinged before it is
 *       lent; one that fails is closed and another taken or opened, so a pool notices a restarted server and
 *       recovers without the caller seeing the dead connections. A connection that broke in use is closed at its
 *       return. If no connection can be opened, {@code acquire} throws the connect error.
 *   <li><b>Return.</b> The handle given out is dead after {@code close()} (using it throws
 *       {@link IllegalStateException}), so a stale reference cannot reach the next borrower. A connection returned
 *       inside a transaction is rolled back; one returned with a query interrupted is first cleaned up (see
 *       {@link MySqlConnection}); one past {@link PoolOptions#maxLifetime()} is closed. That work runs in the
 *       background, and the connection rejoins the pool when it is done.
 * </ul>
 */
public final class MySqlPool implements AutoCloseable {
    private final MySqlOptions options;
    private final PoolOptions pool;
    private final LoopSemaphore permits;
    private final ArrayDeque<Entry> idle = new ArrayDeque<>();
    private int open;
    private int inUse;
    private int waiting;
    private long created;
    private long closedCount;
    private long acquired;
    private long timedOut;
    private boolean closed;
    private Task<Void> housekeeper;
    /**
     * The pool's figures for {@link dev.spindle.observe.Metrics} (kind {@code mysql}): registered when the pool starts
     * working (its first acquire), until {@link #close()}.
     */
    private PoolCounters counters;
    /** Connections being cleaned up after their return (see {@link #release}). */
    private final java.util.Set<Task<?>> returning = new java.util.LinkedHashSet<>();

    /** A pooled session and its times (loop nanoTime). */
    static final class Entry {
        final Session session;
        final long createdAt;
        long idleSince;

        Entry(Session session, long now) {
            this.session = session;
            this.createdAt = now;
            this.idleSince = now;
        }
    }

    private MySqlPool(MySqlOptions options, PoolOptions pool) {
        this.options = options;
        this.pool = pool;
        this.permits = new LoopSemaphore(pool.maxSize());
    }

    /** A pool with the given options; nothing is opened until first needed (or {@code minSize} asks for it). */
    public static MySqlPool create(MySqlOptions options, PoolOptions pool) {
        return new MySqlPool(Objects.requireNonNull(options, "options"), Objects.requireNonNull(pool, "pool"));
    }

    public static MySqlPool create(String url, PoolOptions pool) {
        return create(MySqlOptions.parse(url), pool);
    }

    /**
     * Lends a connection, waiting for one to be free; close it to give it back.
     *
     * @throws PoolTimeout if none was free within the acquire timeout
     * @throws ConnectionLostError if a new connection was needed and could not be opened
     * @throws IllegalStateException after {@link #close()}
     */
    public MySqlConnection acquire() {
        if (closed) {
            throw new IllegalStateException("the pool is closed");
        }
        startHousekeeping();
        long waitStart = System.nanoTime();
        // a free permit with nobody waiting is taken without a timeout scope (and its timer): acquire would not wait
        if (Task.currentOrNull() == null || !permits.tryAcquire()) {
            awaitPermit();
        }
        try {
            Entry e = take();
            inUse++;
            acquired++;
            counters.addInUse(1);
            counters.acquired(System.nanoTime() - waitStart);
            return new MySqlConnection(e.session, this, e);
        } catch (Throwable t) {
            permits.release();
            throw t;
        }
    }

    /** Waits for a permit within the acquire timeout. */
    private void awaitPermit() {
        waiting++;
        counters.addWaiters(1);
        try {
            dev.spindle.Spindle.withTimeout(pool.acquireTimeout(), () -> {
                permits.acquire();
            });
        } catch (TimedOut e) {
            timedOut++;
            throw new PoolTimeout("no connection free within " + pool.acquireTimeout() + " (" + statistics() + ")");
        } finally {
            waiting--;
            counters.addWaiters(-1);
        }
    }

    /** An idle connection that passes validation, or a new one. */
    private Entry take() {
        long now = now();
        while (!idle.isEmpty()) {
            Entry e = idle.pollLast(); // most recently used first: warm, and lets the rest idle out
            if (!e.session.isOpen() || now - e.createdAt > pool.maxLifetime().toNanos()) {
                discard(e);
                continue;
            }
            if (now - e.idleSince > pool.validateAfterIdle().toNanos()) {
                try {
                    e.session.enter("validation");
                    e.session.ping();
                    e.session.leave();
                } catch (MySqlException | IllegalStateException ex) {
                    discard(e);
                    continue;
                }
            }
            return e;
        }
        Session s;
        try {
            s = Session.connect(options);
        } catch (TimedOut e) { // the connect's own timeout, not the caller's (which arrives as a cancel)
            throw new ConnectionLostError("could not connect to " + options + " within " + options.connectTimeout(), e);
        }
        open++;
        counters.addSize(1);
        created++;
        return new Entry(s, now());
    }

    private void discard(Entry e) {
        e.session.closeNow(null);
        open--;
        counters.addSize(-1);
        closedCount++;
    }

    /** Called by a lent handle's close (once): reset and put back, in the background when that needs the server. */
    void release(Entry e) {
        inUse--;
        counters.addInUse(-1);
        Session s = e.session;
        boolean tooOld = now() - e.createdAt > pool.maxLifetime().toNanos();
        if (closed || !s.isOpen() || tooOld) {
            discard(e);
            permits.release();
            return;
        }
        boolean needsWork =
                s.state() != Session.State.READY || s.inTransaction() || pool.reset() == PoolOptions.Reset.FULL;
        if (!needsWork) {
            putBack(e);
            return;
        }
        Task<Void> cleanUp = spawn("mysql-pool-return", () -> {
            try {
                s.awaitRecovery();
                if (s.state() == Session.State.BUSY) {
                    throw new IllegalStateException("returned while busy (a RowStream left open?)");
                }
                if (s.isOpen()) {
                    s.enter("reset on return");
                    if (pool.reset() == PoolOptions.Reset.FULL) {
                        s.resetConnection();
                    } else if (s.inTransaction()) {
                        s.simpleQuery("ROLLBACK");
                    }
                    s.leave();
                }
            } catch (Throwable t) {
                s.closeNow(t);
                if (t instanceof Cancelled c) { // the pool is closing
                    discard(e);
                    permits.release();
                    throw c;
                }
            } finally {
                this.returning.remove(Task.current());
            }
            if (s.isOpen() && !closed) {
                putBack(e);
            } else {
                discard(e);
                permits.release();
            }
        });
        if (!cleanUp.isDone()) {
            this.returning.add(cleanUp);
        }
    }

    private void putBack(Entry e) {
        e.idleSince = now();
        idle.addLast(e);
        permits.release();
    }

    private void startHousekeeping() {
        if (housekeeper != null) {
            return;
        }
        counters = PoolCounters.register("mysql", metricsName(options), pool.maxSize());
        housekeeper = spawn("mysql-pool-housekeeping", () -> {
            long period = Math.max(10, Math.min(pool.idleTimeout().toMillis(), 1000));
            while (!closed) {
                long now = now();
                // close connections idle too long, beyond minSize (the oldest idle sit at the head)
                while (open > pool.minSize()
                        && !idle.isEmpty()
                        && now - idle.peekFirst().idleSince > pool.idleTimeout().toNanos()) {
                    discard(idle.pollFirst());
                }
                while (open < pool.minSize() && !closed) {
                    try {
                        Session s = Session.connect(options);
                        open++;
                        counters.addSize(1);
                        created++;
                        idle.addFirst(new Entry(s, now()));
                    } catch (MySqlException | TimedOut e) {
                        break; // the server is away: try again next round
                    }
                }
                dev.spindle.Spindle.sleep(Duration.ofMillis(period));
            }
        });
    }

    /** The pool's name in {@link dev.spindle.observe.Metrics}: {@code user@host:port/database}, no password. */
    private static String metricsName(MySqlOptions o) {
        return (o.user() == null ? "" : o.user() + "@")
                + (o.socket() != null ? o.socket().toString() : o.host() + ":" + o.port())
                + "/" + (o.database() == null ? "" : o.database());
    }

    private static long now() {
        return Loop.current().nanoTime();
    }

    // ---- conveniences: acquire, run, give back ---------------------------------------------------------------

    /** {@link MySqlConnection#execute(String, Object...)} on a connection lent for the call. */
    public Result execute(String sql, Object... params) {
        try (MySqlConnection c = acquire()) {
            return c.execute(sql, params);
        }
    }

    public java.util.List<Row> fetch(String sql, Object... params) {
        try (MySqlConnection c = acquire()) {
            return c.fetch(sql, params);
        }
    }

    public Row fetchOne(String sql, Object... params) {
        try (MySqlConnection c = acquire()) {
            return c.fetchOne(sql, params);
        }
    }

    public <T> T fetchValue(Class<T> type, String sql, Object... params) {
        try (MySqlConnection c = acquire()) {
            return c.fetchValue(type, sql, params);
        }
    }

    /**
     * A {@link Pipeline} whose {@link Pipeline#execute()} runs on a connection lent for it (acquired when it runs,
     * given back when its replies are in): a way to send many statements with one round trip without holding a
     * connection while they are queued.
     *
     * {@snippet :
     * Pipeline p = pool.pipeline();
     * List<Pipeline.Pending<Row>> users = new ArrayList<>();
     * for (int id : ids) {
     *     users.add(p.fetchOne("SELECT * FROM users WHERE id = ?", id));
     * }
     * p.execute(); // acquire, run the lot, give back
     * }
     *
     * Each {@code execute()} may get another connection, so statements that depend on the session (a transaction,
     * {@code LAST_INSERT_ID()}, user variables) belong in one {@code execute()}, or on a connection's pipeline. An
     * {@code execute()} waits for a connection as {@link #acquire()} does ({@link PoolTimeout}); see
     * {@link Pipeline} for the rest.
     */
    public Pipeline pipeline() {
        return new Pipeline(calls -> {
            try (MySqlConnection c = acquire()) {
                c.runPipeline(calls);
            }
        });
    }

    /** {@link MySqlConnection#transaction(MySqlConnection.Work)} on a connection lent for the block. */
    public <T> T transaction(MySqlConnection.Work<T> work) {
        try (MySqlConnection c = acquire()) {
            return c.transaction(work);
        }
    }

    public <T> T transaction(IsolationLevel level, MySqlConnection.Work<T> work) {
        try (MySqlConnection c = acquire()) {
            return c.transaction(level, work);
        }
    }

    /** The pool's counters now. */
    public PoolStats statistics() {
        return new PoolStats(open, idle.size(), inUse, waiting, created, closedCount, acquired, timedOut);
    }

    /**
     * Closes the idle connections, stops the housekeeping and the clean-up of returned connections (closing those),
     * waiting for both when called from a coroutine; lent connections are closed when they come back. Later
     * acquires fail. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (counters != null) {
            counters.close();
        }
        if (housekeeper != null) {
            housekeeper.cancel();
            quietlyAwait(housekeeper);
        }
        for (Task<?> t : List.copyOf(returning)) {
            t.cancel();
            quietlyAwait(t);
        }
        while (!idle.isEmpty()) {
            Entry e = idle.pollFirst();
            e.session.close();
            open--;
            counters.addSize(-1);
            closedCount++;
        }
    }

    private static void quietlyAwait(Task<?> t) {
        if (Task.currentOrNull() == null) {
            return; // closed from outside a coroutine: the tasks end on their own
        }
        try {
            t.await();
        } catch (Cancelled e) {
            if (!t.isCancelled()) {
                throw e; // this close itself was cancelled
            }
        } catch (RuntimeException e) {
            // the task failed: it closed its connection, which is all close wants
        }
    }

    @Override
    public String toString() {
        return "MySqlPool[" + options + ", " + statistics() + "]";
    }
}
