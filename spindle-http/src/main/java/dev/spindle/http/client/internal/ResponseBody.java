package dev.spindle.http.client.internal;

import dev.spindle.gen.AsyncIterator;
import dev.spindle.http.Headers;
import dev.spindle.http.client.ProtocolError;
import java.util.NoSuchElementException;

/**
 * A response body read from its connection as chunks, decoded (gzip, deflate) on the way, with backpressure: nothing
 * is read from the socket until the caller asks for the next chunk.
 *
 * <p>The connection's fate is decided here and only here: at the body's clean end it goes back to the pool (which
 * keeps it only if {@link ClientConnection#isReusable()}); on any failure, cancellation or timeout while reading, or
 * a {@link #close()} before the end, it is aborted. Either happens exactly once.
 */
public final class ResponseBody implements AsyncIterator<byte[]> {
    private final ClientConnection connection;
    private final ConnectionPool pool;
    private final Deadline deadline;
    private final ContentDecoder decoding;
    private final String where;

    private byte[] next;
    private Headers trailers;
    private boolean ended; // the body was read to its end
    private boolean released; // the connection was given back or aborted
    private Throwable failure;

    public ResponseBody(
            ClientConnection connection,
            ConnectionPool pool,
            Deadline deadline,
            ContentDecoder decoding,
            String where) {
        this.connection = connection;
        this.pool = pool;
        this.deadline = deadline;
        this.decoding = decoding;
        this.where = where;
        if (connection.decoder().framing() == ResponseDecoder.Framing.NONE) {
            hasNext(); // no body: give the connection back now, even if the caller never reads or closes
        }
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (ended) {
            return false;
        }
        if (failure != null) {
            throw new IllegalStateException("the response body failed before: " + failure.getMessage(), failure);
        }
        if (released) {
            return false; // closed
        }
        try {
            while (true) {
                if (decoding != null) {
                    byte[] out = decoding.poll();
                    if (out != null) {
                        next = out;
                        return true;
                    }
                }
                ResponseDecoder.Event e = Exchange.next(connection, deadline, where, "the response body");
                if (e instanceof ResponseDecoder.Data d) {
                    if (decoding == null) {
                        next = d.bytes();
                        return true;
                    }
                    decoding.feed(d.bytes());
                } else if (e instanceof ResponseDecoder.End end) {
                    if (decoding != null) {
                        decoding.finish();
                    }
                    trailers = end.trailers();
                    ended = true;
                    released = true;
                    pool.release(connection);
                    return false;
                } else {
                    throw new ProtocolError("unexpected " + e + " in a response body");
                }
            }
        } catch (Throwable t) {
            failure = t;
            abort();
            throw t;
        }
    }

    @Override
    public byte[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the response body has ended");
        }
        byte[] b = next;
        next = null;
        return b;
    }

    /** The trailer fields, once the body has been read to its end; null before. */
    public Headers trailers() {
        return trailers;
    }

    /** Whether the body was read to its end. */
    public boolean isComplete() {
        return ended;
    }

    /** Whether {@link #close()} (or a failure) ended the body before its end. */
    public boolean isClosedEarly() {
        return released && !ended;
    }

    /** Stops reading: the connection is closed unless the body already ended (then it is already back). */
    @Override
    public void close() {
        next = null;
        abort();
    }

    private void abort() {
        if (decoding != null) {
            decoding.close();
        }
        if (!released) {
            released = true;
            pool.discard(connection);
        }
    }
}
