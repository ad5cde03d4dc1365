package dev.spindle.http;

import dev.spindle.io.StreamReader;
import dev.spindle.io.StreamWriter;
import java.util.Objects;

/**
 * A connection switched to another protocol by {@link Response#upgrade}: the raw reader and writer, plus the bytes the
 * client sent after the request head that the HTTP layer had already read ({@link #buffered()}): the new protocol
 * must consume those first (a WebSocket client may send its first frame right behind the handshake).
 *
 * {@snippet :
 * Upgraded up = res.upgrade("websocket");
 * FrameReader frames = new FrameReader(up.buffered(), up.reader()); // leftover bytes, then the socket
 * }
 *
 * <p>Owned by the handler's coroutine; the connection is closed when the handler returns.
 */
public final class Upgraded {
    private final StreamReader reader;
    private final StreamWriter writer;
    private final byte[] buffered;

    public Upgraded(StreamReader reader, StreamWriter writer, byte[] buffered) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.buffered = Objects.requireNonNull(buffered, "buffered");
    }

    public StreamReader reader() {
        return reader;
    }

    public StreamWriter writer() {
        return writer;
    }

    /** Bytes already read past the request head, to be consumed before {@link #reader()}'s; often empty. */
    public byte[] buffered() {
        return buffered.clone();
    }
}
