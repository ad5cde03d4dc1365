package dev.spindle.mysql;

/**
 * The root of the errors this module throws (unchecked). The server's own errors are {@link ServerError}s with their
 * code and SQLSTATE; a reply that breaks the protocol is a {@link ProtocolError}; a connection that died is a
 * {@link ConnectionLostError}.
 *
 * {@snippet :
 * try {
 *     conn.execute("INSERT INTO users(email) VALUES (?)", email);
 * } catch (DuplicateKey e) {
 *     return Response.conflict();
 * } catch (MySqlException e) {
 *     log.warn("database trouble", e);
 *     throw e;
 * }
 * }
 */
public class MySqlException extends RuntimeException {
    public MySqlException(String message) {
        super(message);
    }

    public MySqlException(String message, Throwable cause) {
        super(message, cause);
    }
}
