package dev.spindle.mysql;

/**
 * The connection to the server broke (reset, closed by the server, the server restarted or was killed), or could not
 * be made. The operation that met it failed; whether a write it carried took effect on the server is unknown. The
 * connection is closed; a pool drops it and opens a new one for the next user.
 *
 * {@snippet :
 * try {
 *     pool.execute("UPDATE stock SET n = n - 1 WHERE id = ?", id);
 * } catch (ConnectionLostError e) {
 *     // the server went away mid-query: the update may or may not have happened
 * }
 * }
 */
public final class ConnectionLostError extends MySqlException {
    public ConnectionLostError(String message, Throwable cause) {
        super(message, cause);
    }
}
