package dev.spindle.mysql;

/**
 * Transaction isolation levels, as {@code SET TRANSACTION ISOLATION LEVEL} names them. InnoDB's default is
 * {@link #REPEATABLE_READ}.
 *
 * {@snippet :
 * conn.transaction(IsolationLevel.SERIALIZABLE, c -> c.execute("UPDATE accounts SET n = n - 1 WHERE id = ?", 1));
 * }
 */
public enum IsolationLevel {
    READ_UNCOMMITTED("READ UNCOMMITTED"),
    READ_COMMITTED("READ COMMITTED"),
    REPEATABLE_READ("REPEATABLE READ"),
    SERIALIZABLE("SERIALIZABLE");

    private final String sql;

    IsolationLevel(String sql) {
        this.sql = sql;
    }

    /** The level as SQL spells it, e.g. {@code READ COMMITTED}. */
    public String sql() {
        return sql;
    }
}
