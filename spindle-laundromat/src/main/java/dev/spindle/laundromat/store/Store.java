package dev.spindle.laundromat.store;

import dev.spindle.mysql.MySqlPool;
import dev.spindle.mysql.Row;
import dev.spindle.mysql.ServerError;
import java.util.List;
import java.util.Optional;

/**
 * The service's data in MariaDB, through one {@link MySqlPool}: customers, tokens, washes, notifications. Every
 * method is one statement (or one transaction), values always bound.
 *
 * {@snippet :
 * Store store = new Store(pool);
 * long id = store.addCustomer("ada", hash, salt).orElseThrow();   // empty if the name is taken
 * Wash w = store.startWash(id, 3, "cotton", 1_800_000, deadline);   // empty if machine 3 is busy
 * }
 *
 * <h2>Contract</h2>
 * Coroutines of the pool's loop only (see {@link MySqlPool}). A wash write that returns has been committed: a wash
 * whose start returned is durable, so a crash after it loses nothing ({@code active_machine} keeps one active wash
 * per machine even across processes).
 */
public final class Store {
    private static final String WASH_COLUMNS = "id, customer_id, machine_id, program, duration_ms, remaining_ms,"
            + " deadline_ms, state, notified, created_at, finished_at";
    private final MySqlPool pool;

    public Store(MySqlPool pool) {
        this.pool = pool;
    }

    public MySqlPool pool() {
        return pool;
    }

    /** Adds a customer; empty if the name is taken. */
    public Optional<Long> addCustomer(String name, byte[] passwordHash, byte[] salt) {
        try {
            return Optional.of(pool.execute(
                            "INSERT INTO customers (name, password_hash, salt) VALUES (?, ?, ?)",
                            name,
                            passwordHash,
                            salt)
                    .lastInsertId());
        } catch (ServerError.DuplicateKey e) {
            return Optional.empty();
        }
    }

    public Optional<Customer> customerByName(String name) {
        Row r = pool.fetchOne("SELECT id, name, password_hash, salt FROM customers WHERE name = ?", name);
        return r == null
                ? Optional.empty()
                : Optional.of(new Customer(
                        r.getLong("id"), r.getString("name"), r.getBytes("password_hash"), r.getBytes("salt")));
    }

    public Optional<String> customerName(long id) {
        Row r = pool.fetchOne("SELECT name FROM customers WHERE id = ?", id);
        return r == null ? Optional.empty() : Optional.of(r.getString("name"));
    }

    public void addToken(String token, long customerId) {
        pool.execute("INSERT INTO tokens (token, customer_id) VALUES (?, ?)", token, customerId);
    }

    /** The customer a token belongs to, or empty. */
    public Optional<Long> customerOfToken(String token) {
        Row r = pool.fetchOne("SELECT customer_id FROM tokens WHERE token = ?", token);
        return r == null ? Optional.empty() : Optional.of(r.getLong("customer_id"));
    }

    /**
     * Records a running wash on {@code machineId}; empty if that machine has an active wash (another process's, or
     * one this process does not know of).
     */
    public Optional<Wash> startWash(long customerId, int machineId, String program, long durationMs, long deadlineMs) {
        try {
            long id = pool.execute(
                            "INSERT INTO washes (customer_id, machine_id, program, duration_ms, remaining_ms,"
                                    + " deadline_ms, state, active_machine) VALUES (?, ?, ?, ?, ?, ?, 'RUNNING', ?)",
                            customerId,
                            machineId,
                            program,
                            durationMs,
                            durationMs,
                            deadlineMs,
                            machineId)
                    .lastInsertId();
            return wash(id);
        } catch (ServerError.DuplicateKey e) {
            return Optional.empty();
        }
    }

    public Optional<Wash> wash(long id) {
        Row r = pool.fetchOne("SELECT " + WASH_COLUMNS + " FROM washes WHERE id = ?", id);
        return r == null ? Optional.empty() : Optional.of(r.as(Wash.class));
    }

    /** A customer's washes, newest first, at most {@code limit}. */
    public List<Wash> washesOf(long customerId, int limit) {
        return pool
                .fetch(
                        "SELECT " + WASH_COLUMNS + " FROM washes WHERE customer_id = ? ORDER BY id DESC LIMIT ?",
                        customerId,
                        limit)
                .stream()
                .map(r -> r.as(Wash.class))
                .toList();
    }

    /** The washes that occupy a machine (RUNNING or PAUSED), oldest first. */
    public List<Wash> activeWashes() {
        return pool
                .fetch("SELECT " + WASH_COLUMNS + " FROM washes WHERE active_machine IS NOT NULL ORDER BY id")
                .stream()
                .map(r -> r.as(Wash.class))
                .toList();
    }

    /** Finished washes whose ready notification was not queued yet (a crash came between). */
    public List<Wash> unnotified() {
        return pool
                .fetch("SELECT " + WASH_COLUMNS + " FROM washes WHERE state = 'DONE' AND NOT notified ORDER BY id")
                .stream()
                .map(r -> r.as(Wash.class))
                .toList();
    }

    /** Finished washes not notified for over {@code seconds} (their XADD failed while the service ran). */
    public List<Wash> unnotifiedFor(int seconds) {
        return pool
                .fetch(
                        "SELECT " + WASH_COLUMNS + " FROM washes WHERE state = 'DONE' AND NOT notified"
                                + " AND finished_at < CURRENT_TIMESTAMP(3) - INTERVAL ? SECOND ORDER BY id",
                        seconds)
                .stream()
                .map(r -> r.as(Wash.class))
                .toList();
    }

    /** RUNNING or PAUSED to DONE; false if it was not active any more (cancelled meanwhile). */
    public boolean finish(long id) {
        return pool.execute(
                                "UPDATE washes SET state = 'DONE', remaining_ms = 0, active_machine = NULL,"
                                        + " finished_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND active_machine IS NOT NULL",
                                id)
                        .affectedRows()
                == 1;
    }

    /** RUNNING or PAUSED to CANCELLED with what was left; false if it was not active. */
    public boolean cancel(long id, long remainingMs) {
        return pool.execute(
                                "UPDATE washes SET state = 'CANCELLED', remaining_ms = ?, active_machine = NULL,"
                                        + " finished_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND active_machine IS NOT NULL",
                                remainingMs,
                                id)
                        .affectedRows()
                == 1;
    }

    /** RUNNING to PAUSED with {@code remainingMs} of wash time left (a graceful shutdown). */
    public boolean pause(long id, long remainingMs) {
        return pool.execute(
                                "UPDATE washes SET state = 'PAUSED', remaining_ms = ? WHERE id = ? AND state = 'RUNNING'",
                                remainingMs,
                                id)
                        .affectedRows()
                == 1;
    }

    /** PAUSED or RUNNING (after a crash) to RUNNING with a new deadline. */
    public void resume(long id, long deadlineMs) {
        pool.execute(
                "UPDATE washes SET state = 'RUNNING', deadline_ms = ? WHERE id = ? AND active_machine IS NOT NULL",
                deadlineMs,
                id);
    }

    public void markNotified(long washId) {
        pool.execute("UPDATE washes SET notified = TRUE WHERE id = ?", washId);
    }

    /** Records a ready notification once per wash; false if it was already recorded (a redelivery). */
    public boolean addNotification(long washId, long customerId, String message, String streamId) {
        return pool.execute(
                                "INSERT IGNORE INTO notifications (wash_id, customer_id, message, stream_id)"
                                        + " VALUES (?, ?, ?, ?)",
                                washId,
                                customerId,
                                message,
                                streamId)
                        .affectedRows()
                == 1;
    }

    /** A customer's ready notifications, newest first. */
    public List<Row> notificationsOf(long customerId, int limit) {
        return pool.fetch(
                "SELECT wash_id, message, created_at FROM notifications WHERE customer_id = ?"
                        + " ORDER BY wash_id DESC LIMIT ?",
                customerId,
                limit);
    }
}
