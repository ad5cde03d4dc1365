package dev.spindle.io;

import java.io.IOException;

/**
 * A connection failed under a read, a write or a drain: reset by the peer, a broken pipe, a network error, or closed
 * while data still waited to be sent. The message names the peer; the cause is the {@link IOException} the system
 * reported (a {@link java.net.SocketException} "Connection reset", for instance). A peer that merely closes its end
 * is not a failure: reads then see the end of the stream.
 *
 * {@snippet :
 * try {
 *     writer.write(reply);
 *     writer.drain();
 * } catch (ConnectionLost e) {
 *     log(e.getMessage()); // connection with 10.0.0.7:51234 lost: Connection reset
 * }
 * }
 */
public final class ConnectionLost extends StreamError {
    private static final long serialVersionUID = 1L;

    public ConnectionLost(String message, IOException cause) {
        super(message, cause);
    }
}
