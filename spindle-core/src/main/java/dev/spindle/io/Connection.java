package dev.spindle.io;

import dev.spindle.io.internal.Transport;
import java.util.Objects;

/**
 * An open connection: its {@link #reader()} and {@link #writer()} (the pair asyncio's {@code open_connection}
 * returns). Closing it closes the writer, which sends what is buffered and then closes the socket.
 *
 * {@snippet :
 * try (Connection c = Streams.openConnection("127.0.0.1", 8888)) {
 *     c.writer().write("hello\n".getBytes(UTF_8));
 *     System.out.println(new String(c.reader().readLine(), UTF_8));
 * }
 * }
 *
 * <p>Loop-confined like its reader and writer.
 */
public final class Connection implements AutoCloseable {
    private final StreamReader reader;
    private final StreamWriter writer;

    /** A connection of {@code reader} and {@code writer}, which must share one transport. */
    public Connection(StreamReader reader, StreamWriter writer) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.writer = Objects.requireNonNull(writer, "writer");
        writer.pairIfAlone(reader);
    }

    /** The reader and writer of {@code transport}, paired for {@link #startTls}. */
    static Connection of(Transport transport, int limit, String connectedHost) {
        StreamReader r = new StreamReader(transport, limit);
        return new Connection(r, new StreamWriter(transport).pairedWith(r, connectedHost));
    }

    public StreamReader reader() {
        return reader;
    }

    public StreamWriter writer() {
        return writer;
    }

    /**
     * Upgrades this plain connection to TLS: {@link StreamWriter#startTls(TlsOptions)}. Client options verify the
     * host this connection was opened to.
     */
    public void startTls(TlsOptions options) {
        writer.startTls(options);
    }

    /** {@link StreamWriter#startTls(TlsOptions, String)}. */
    public void startTls(TlsOptions options, String serverHostname) {
        writer.startTls(options, serverHostname);
    }

    /** {@link StreamWriter#close()}: sends what is buffered, then closes; does not wait. */
    @Override
    public void close() {
        writer.close();
    }

    @Override
    public String toString() {
        return "Connection[" + Peers.describe(writer.localAddress()) + " -> " + Peers.describe(writer.remoteAddress())
                + "]";
    }
}
