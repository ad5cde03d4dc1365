package dev.spindle.http.client.internal;

import dev.spindle.io.Connection;
import dev.spindle.io.StreamReader;
import dev.spindle.io.StreamWriter;
import dev.spindle.task.Cancelled;
import dev.spindle.time.TimedOut;
import dev.spindle.time.TimeoutScope;
import java.nio.ByteBuffer;

/**
 * One HTTP/1.1 connection of the pool: the stream connection, its response decoder, and what the pool needs to know
 * (origin, uses, when it went idle). Loop-confined; used by one request at a time.
 *
 * <p>The one rule that keeps responses with their requests: a connection goes back to the pool only after a response
 * was decoded to its end with nothing left over and the server allows reuse ({@link #isReusable()}). Everything else
 * (an error, a timeout, a cancellation, a body closed unread) ends in {@link #abort()}.
 */
public final class ClientConnection {
    private static final int READ_ROOM = 8192;

    private final Origin origin;
    private final StreamReader reader;
    private final StreamWriter writer;
    private final ResponseDecoder decoder;

    private int uses;
    private long idleSince;
    private boolean noReuse;
    private boolean closed;
    private boolean uncounted;

    public ClientConnection(Origin origin, Connection connection, ResponseDecoder.Limits limits) {
        this.origin = origin;
        this.reader = connection.reader();
        this.writer = connection.writer();
        this.decoder = new ResponseDecoder(limits);
    }

    public Origin origin() {
        return origin;
    }

    public ResponseDecoder decoder() {
        return decoder;
    }

    public StreamWriter writer() {
        return writer;
    }

    /** Counts a request about to be sent; returns how many this connection carried before it. */
    public int use() {
        return uses++;
    }

    public long idleSince() {
        return idleSince;
    }

    public void idleSince(long nanos) {
        idleSince = nanos;
    }

    /** This exchange broke the framing (a body not sent after an early response): close after it. */
    public void forbidReuse() {
        noReuse = true;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Whether the last response ended cleanly and the connection may carry another request. */
    public boolean isReusable() {
        return !closed && !noReuse && !writer.isClosing() && decoder.keepAlive();
    }

    /**
     * Reads what arrives next into the decoder, waiting for at least a byte; the end of the stream is passed on.
     * Cancelled, it consumed nothing (and the caller aborts the connection anyway).
     */
    public void fill() {
        ByteBuffer room = decoder.writable(READ_ROOM);
        int n = reader.read(room);
        if (n < 0) {
            decoder.receiveEof();
        } else {
            decoder.commit(n);
        }
    }

    /**
     * Whether an idle connection can no longer be trusted: the server closed it, or sent bytes nobody asked for (a
     * 408 before closing, say), which would otherwise be read as the next request's response. Waits for nothing: a
     * read that would wait is cut off at once.
     */
    public boolean isStale() {
        if (closed || writer.isClosing() || decoder.buffered() > 0 || decoder.eofReceived()) {
            return true;
        }
        if (reader.atEof()) { // takes what has arrived without waiting: the end of the stream, or stray bytes
            return true;
        }
        // Stray bytes, if any, are now in the reader's buffer, where a read returns them without suspending, so it
        // ends before the zero timeout's timer can run; with none it would wait, and the timer cuts it off at once.
        // (StreamReader has no public "buffered bytes" count that would make this a plain check.)
        try {
            TimeoutScope.after(java.time.Duration.ZERO).run(() -> {
                fill();
                return null;
            });
        } catch (TimedOut nothingArrived) {
            return false;
        } catch (Cancelled e) {
            throw e; // the caller's own cancellation: not a verdict on the connection
        } catch (RuntimeException e) {
            return true; // reset or failed: stale
        }
        return true; // bytes or the end of the stream arrived
    }

    /** For the pool: true the first time only, when the connection stops counting against the limits. */
    boolean leavePool() {
        if (uncounted) {
            return false;
        }
        uncounted = true;
        return true;
    }

    /** Closes at once, dropping anything unsent: the connection's state is unknown or not reusable. */
    public void abort() {
        if (!closed) {
            closed = true;
            writer.abort();
        }
    }

    /** Closes politely (an idle connection past its expiry, or the pool closing). */
    public void close() {
        if (!closed) {
            closed = true;
            writer.close();
        }
    }

    @Override
    public String toString() {
        return "ClientConnection[" + origin + ", " + uses + " requests" + (closed ? ", closed" : "") + "]";
    }
}
