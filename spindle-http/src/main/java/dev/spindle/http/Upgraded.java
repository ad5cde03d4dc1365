package dev.spindle.http;

import dev.spindle.io.Connection;
import dev.spindle.io.StreamReader;
import dev.spindle.io.StreamWriter;
import java.util.Objects;

/**
 * A connection switched to another protocol by {@link Response#upgrade}: the plain reader and writer of the
 * connection, the HTTP layer done with them. Bytes the client sent right behind the request head, which the HTTP
 * layer had already read (a WebSocket client may send its first frame with the handshake), have been put back in
 * front of the reader ({@link StreamReader#unread}), so the new protocol simply reads.
 *
 * {@snippet :
 * Upgraded up = res.upgrade("echo");
 * for (String line : up.reader().lines()) {   // the bytes sent with the request come first
 *     up.writer().write(("echo: " + line + "\n").getBytes(UTF_8));
 * }
 * }
 *
 * <p>Owned by the handler's coroutine; the connection is closed when the handler returns.
 */
public final class Upgraded {
    private final StreamReader reader;
    private final StreamWriter writer;

    /** The upgraded connection's two halves; for implementations of {@link Response}. */
    public Upgraded(StreamReader reader, StreamWriter writer) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /** The reading half: the bytes that followed the request head first, then the socket's. */
    public StreamReader reader() {
        return reader;
    }

    /** The writing half. */
    public StreamWriter writer() {
        return writer;
    }

    /** Both halves as a plain {@link Connection}, for code written against core's streams. */
    public Connection connection() {
        return new Connection(reader, writer);
    }
}
