package dev.spindle.mysql;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Read/write splitting: writes and transactions go to the primary's pool, reads to the replicas' pools in turn (the
 * way an application grows past one database). A replica that cannot be reached is skipped for that read; when none
 * can, the read goes to the primary.
 *
 * {@snippet :
 * try (ReadWritePool db = ReadWritePool.create(MySqlOptions.parse(primaryUrl),
 *         List.of(MySqlOptions.parse(replica1Url), MySqlOptions.parse(replica2Url)), PoolOptions.defaults())) {
 *     db.execute("INSERT INTO events(kind) VALUES (?)", "signup");          // primary
 *     long n = db.fetchValue(Long.class, "SELECT COUNT(*) FROM events");      // a replica
 * }
 * }
 *
 * <p>Pitfall: replication is asynchronous, so a read from a replica may not see a write just made on the primary.
 * Read your own writes through {@link #acquire()} (the primary), or inside the same {@link #transaction}.
 */
public final class ReadWritePool implements AutoCloseable {
    private final MySqlPool primary;
    private final List<MySqlPool> replicas;
    private int next;

    private ReadWritePool(MySqlPool primary, List<MySqlPool> replicas) {
        this.primary = primary;
        this.replicas = replicas;
    }

    /** One pool (with the same pool options) for the primary and for each replica. */
    public static ReadWritePool create(MySqlOptions primary, List<MySqlOptions> replicas, PoolOptions pool) {
        Objects.requireNonNull(primary, "primary");
        List<MySqlPool> rs = new ArrayList<>();
        for (MySqlOptions r : replicas) {
            rs.add(MySqlPool.create(r, pool));
        }
        return new ReadWritePool(MySqlPool.create(primary, pool), List.copyOf(rs));
    }

    /** The primary's pool. */
    public MySqlPool primary() {
        return primary;
    }

    /** The replicas' pools, in the order given. */
    public List<MySqlPool> replicas() {
        return replicas;
    }

    /** A connection to the primary. */
    public MySqlConnection acquire() {
        return primary.acquire();
    }

    /**
     * A connection to the next replica that can be reached (round robin), else to the primary.
     *
     * @throws PoolTimeout if the chosen pool had no free connection in time
     */
    public MySqlConnection acquireReadOnly() {
        for (int i = 0; i < replicas.size(); i++) {
            MySqlPool r = replicas.get(next);
            next = (next + 1) % replicas.size();
            try {
                return r.acquire();
            } catch (ConnectionLostError e) {
                // this replica is away: the next one, or the primary
            }
        }
        return primary.acquire();
    }

    /**
     * {@link MySqlConnection#fetch(String, Object...)} on a replica. A replica connection that turns out broken (the
     * replica restarted) costs no error: the read runs again on the next replica, then on the primary.
     */
    public List<Row> fetch(String sql, Object... params) {
        return read(c -> c.fetch(sql, params));
    }

    public Row fetchOne(String sql, Object... params) {
        return read(c -> c.fetchOne(sql, params));
    }

    public <T> T fetchValue(Class<T> type, String sql, Object... params) {
        return read(c -> c.fetchValue(type, sql, params));
    }

    private <T> T read(java.util.function.Function<MySqlConnection, T> query) {
        for (int attempt = 0; attempt < replicas.size(); attempt++) {
            MySqlConnection c;
            try {
                c = replicas.get(next).acquire();
            } catch (ConnectionLostError e) {
                next = (next + 1) % replicas.size();
                continue; // this replica is away
            }
            next = (next + 1) % replicas.size();
            try (c) {
                return query.apply(c);
            } catch (ConnectionLostError e) {
                // the replica went away under this connection: try the next one
            }
        }
        try (MySqlConnection c = primary.acquire()) {
            return query.apply(c);
        }
    }

    /** {@link MySqlConnection#execute(String, Object...)} on the primary. */
    public Result execute(String sql, Object... params) {
        return primary.execute(sql, params);
    }

    /** A transaction on the primary. */
    public <T> T transaction(MySqlConnection.Work<T> work) {
        return primary.transaction(work);
    }

    /** Closes every pool. */
    @Override
    public void close() {
        primary.close();
        for (MySqlPool r : replicas) {
            r.close();
        }
    }
}
