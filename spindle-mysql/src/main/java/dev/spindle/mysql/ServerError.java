package dev.spindle.mysql;

/**
 * An error the server reported (an ERR packet), with its numeric {@link #code()} and five-character
 * {@link #sqlState()}. The well-known kinds have their own subclass so that a {@code catch} can name them:
 * {@link DuplicateKey}, {@link Deadlock}, {@link LockWaitTimeout}, {@link SqlSyntaxError}, {@link AccessDenied},
 * {@link QueryInterrupted}. Others are plain {@code ServerError}s.
 *
 * <p>A server error ends only its statement: the connection stays usable (unless the server closed it, which then
 * shows as a {@link ConnectionLostError} on the next use).
 *
 * {@snippet :
 * try {
 *     conn.execute("INSERT INTO t(id) VALUES (?)", 1);
 * } catch (ServerError e) {
 *     System.out.println(e.code() + " " + e.sqlState()); // 1062 23000 for a duplicate key
 * }
 * }
 */
public class ServerError extends MySqlException {
    private final int code;
    private final String sqlState;

    public ServerError(int code, String sqlState, String message) {
        super(message + " (error " + code + ", SQLSTATE " + sqlState + ")");
        this.code = code;
        this.sqlState = sqlState;
    }

    /** The server's error number, e.g. 1062 for a duplicate key (MariaDB's and MySQL's error lists agree on these). */
    public int code() {
        return code;
    }

    /** The SQLSTATE, e.g. {@code 23000}; {@code HY000} when the server has none more precise. */
    public String sqlState() {
        return sqlState;
    }

    /**
     * Whether running the same transaction again may succeed: true for {@link Deadlock} and {@link LockWaitTimeout}.
     * {@link MySql#retrying} retries exactly these.
     */
    public boolean isTransient() {
        return false;
    }

    /** The subclass for {@code code}: what the connection throws for an ERR packet. */
    public static ServerError of(int code, String sqlState, String message) {
        return switch (code) {
            case 1062, 1586, 1169 -> new DuplicateKey(code, sqlState, message);
            case 1213 -> new Deadlock(code, sqlState, message);
            case 1205 -> new LockWaitTimeout(code, sqlState, message);
            case 1064, 1149 -> new SqlSyntaxError(code, sqlState, message);
            case 1044, 1045, 1142, 1143, 1227, 1698 -> new AccessDenied(code, sqlState, message);
            case 1317, 1969, 3024 -> new QueryInterrupted(code, sqlState, message);
            default -> new ServerError(code, sqlState, message);
        };
    }

    /** A unique or primary key would be duplicated (1062, 1586, 1169; SQLSTATE 23000). */
    public static final class DuplicateKey extends ServerError {
        public DuplicateKey(int code, String sqlState, String message) {
            super(code, sqlState, message);
        }
    }

    /** The server chose this transaction as a deadlock's victim and rolled it back (1213, SQLSTATE 40001). */
    public static final class Deadlock extends ServerError {
        public Deadlock(int code, String sqlState, String message) {
            super(code, sqlState, message);
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /**
     * A row lock was not granted within {@code innodb_lock_wait_timeout} (1205). Only the statement is rolled back
     * unless {@code innodb_rollback_on_timeout} is on.
     */
    public static final class LockWaitTimeout extends ServerError {
        public LockWaitTimeout(int code, String sqlState, String message) {
            super(code, sqlState, message);
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /** The statement does not parse (1064, 1149; SQLSTATE 42000). */
    public static final class SqlSyntaxError extends ServerError {
        public SqlSyntaxError(int code, String sqlState, String message) {
            super(code, sqlState, message);
        }
    }

    /** Wrong user or password, or a missing privilege (1044, 1045, 1142, 1143, 1227, 1698). */
    public static final class AccessDenied extends ServerError {
        public AccessDenied(int code, String sqlState, String message) {
            super(code, sqlState, message);
        }
    }

    /**
     * The statement was stopped on the server: by {@code KILL QUERY} (which this client sends when a query is
     * cancelled), or by {@code max_statement_time} (1317, 1969, 3024).
     */
    public static final class QueryInterrupted extends ServerError {
        public QueryInterrupted(int code, String sqlState, String message) {
            super(code, sqlState, message);
        }
    }
}
