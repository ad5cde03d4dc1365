package dev.spindle.mysql;

/**
 * The server (or something pretending to be one) sent bytes that break the MySQL client/server protocol: a truncated
 * packet, a length past the packet's end, a sequence id out of order, an unknown reply. The connection that got them
 * is closed, since nobody can tell where the next reply starts; other connections are not affected.
 *
 * {@snippet :
 * try {
 *     conn.fetch("SELECT 1");
 * } catch (ProtocolError e) {
 *     // conn is closed now; a pool drops it
 * }
 * }
 */
public final class ProtocolError extends MySqlException {
    public ProtocolError(String message) {
        super(message);
    }

    public ProtocolError(String message, Throwable cause) {
        super(message, cause);
    }
}
