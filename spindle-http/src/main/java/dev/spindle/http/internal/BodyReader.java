package dev.spindle.http.internal;

import dev.spindle.gen.AsyncIterator;
import dev.spindle.http.HttpError;
import dev.spindle.http.RequestBody;
import dev.spindle.io.ConnectionLost;
import dev.spindle.time.TimedOut;
import dev.spindle.time.TimeoutScope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A request body read from its connection on demand: from the connection's buffer first, then from the socket, each
 * wait bounded by the body timeout. Content-Length bodies are counted; chunked ones go through a
 * {@link ChunkedDecoder} over the connection's buffer. Any failure marks the exchange broken (the connection closes
 * after the response) and is thrown as an {@link HttpError}.
 */
final class BodyReader implements RequestBody {
    private static final int CHUNK = 16 * 1024;

    private final Exchange ex;
    private final Http1Connection conn;
    private final long declared;
    private final boolean chunked;
    private ChunkedDecoder decoder;
    /** Bytes left of a Content-Length body. */
    private long remaining;

    private long total;
    private boolean done;
    private boolean continueChecked;
    private HttpError failure;

    /** Body bytes read so far (decoded). */
    long bytesRead() {
        return total;
    }

    BodyReader(Exchange ex) {
        this.ex = ex;
        this.conn = ex.conn;
        this.chunked = ex.head.chunked;
        this.declared = chunked ? -1 : Math.max(0, ex.head.contentLength);
        this.remaining = declared;
        this.done = !chunked && declared == 0;
    }

    @Override
    public long contentLength() {
        return declared;
    }

    @Override
    public boolean isPresent() {
        return chunked || declared > 0;
    }

    @Override
    public boolean isFullyRead() {
        return done;
    }

    /** Whether the client was told to go on (or did not ask): a response may then keep the connection. */
    boolean continueSent() {
        return continueChecked || !ex.head.expectContinue;
    }

    @Override
    public int read(byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        if (failure != null) {
            throw failure;
        }
        if (done) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        beforeRead();
        try {
            return chunked ? readChunked(dst, off, len) : readLength(dst, off, len);
        } catch (HttpError e) {
            throw fail(e);
        }
    }

    private void beforeRead() {
        if (!continueChecked) {
            continueChecked = true;
            if (ex.head.expectContinue && !ex.response.isCommitted()) {
                conn.sendContinue();
            }
        }
    }

    private int readLength(byte[] dst, int off, int len) {
        int want = (int) Math.min(len, remaining);
        int n;
        if (conn.tail > conn.head) {
            n = Math.min(want, conn.tail - conn.head);
            System.arraycopy(conn.in, conn.head, dst, off, n);
            conn.head += n;
        } else {
            n = timed(() -> conn.reader.read(ByteBuffer.wrap(dst, off, want)));
            if (n < 0) {
                throw new HttpError(400, "the request body ended after " + total + " of " + declared + " bytes");
            }
        }
        remaining -= n;
        total += n;
        if (remaining == 0) {
            done = true;
        }
        return n;
    }

    private int readChunked(byte[] dst, int off, int len) {
        if (decoder == null) {
            decoder = new ChunkedDecoder(conn.limits);
        }
        while (true) {
            int r = decoder.decode(conn.in, conn.head, conn.tail, len);
            int consumed = decoder.consumed();
            if (r == ChunkedDecoder.DATA) {
                int n = decoder.dataLength();
                System.arraycopy(conn.in, decoder.dataOffset(), dst, off, n);
                conn.head += consumed;
                total += n;
                if (total > conn.limits.maxBodySize()) {
                    throw new HttpError(
                            413,
                            "the chunked request body is past the limit of " + conn.limits.maxBodySize() + " bytes");
                }
                return n;
            }
            conn.head += consumed;
            if (r == ChunkedDecoder.DONE) {
                done = true;
                return -1;
            }
            // need more: the line being parsed stays in the buffer, which grows up to what the limits allow
            conn.makeRoom(Math.max(conn.limits.maxChunkLine(), conn.limits.maxTrailerSize()) + 2);
            int n = timed(this::fillConnection);
            if (n < 0) {
                throw new HttpError(400, "the chunked request body ended before its last chunk");
            }
        }
    }

    private int fillConnection() {
        ByteBuffer view = ByteBuffer.wrap(conn.in, conn.tail, conn.in.length - conn.tail);
        int n = conn.reader.read(view);
        if (n > 0) {
            conn.tail += n;
        }
        return n;
    }

    /** A read bounded by the body timeout; a miss is a 408 (the exchange is broken). */
    private int timed(dev.spindle.task.Coroutine<Integer> read) {
        conn.flushOut(); // corked responses to earlier requests go before waiting on the client
        try {
            return TimeoutScope.after(conn.options.bodyTimeout()).run(read);
        } catch (TimedOut e) {
            throw new HttpError(408, "no request body bytes for " + conn.options.bodyTimeout(), e);
        } catch (ConnectionLost e) {
            throw new HttpError(400, "the connection was lost while reading the request body", e);
        }
    }

    private HttpError fail(HttpError e) {
        ex.broken = true;
        failure = e;
        return e;
    }

    @Override
    public byte[] readAll(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        if (failure != null) {
            throw failure;
        }
        if (!chunked && remaining > maxBytes) {
            ex.broken = true; // the body stays unread; the 413 closes the connection
            throw new HttpError(413, "the request body of " + declared + " bytes is past the limit of " + maxBytes);
        }
        if (done) {
            return new byte[0];
        }
        byte[] buf = new byte[chunked ? Math.min(maxBytes, CHUNK) : (int) remaining];
        int size = 0;
        while (true) {
            if (size == buf.length) {
                if (!chunked) {
                    break;
                }
                if (buf.length >= maxBytes) {
                    // one more byte would be past the cap: find out if there is one
                    byte[] probe = new byte[1];
                    if (read(probe, 0, 1) < 0) {
                        break;
                    }
                    throw fail(new HttpError(413, "the request body is past the limit of " + maxBytes + " bytes"));
                }
                buf = Arrays.copyOf(buf, (int) Math.min(maxBytes, buf.length * 2L));
            }
            int n = read(buf, size, buf.length - size);
            if (n < 0) {
                break;
            }
            size += n;
        }
        return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }

    @Override
    public byte[] readAll() {
        return readAll((int) Math.min(Integer.MAX_VALUE - 8, conn.limits.maxBodySize()));
    }

    /** Whether what is left of the body is known to be more than {@code max} (so draining it would not be tried). */
    boolean tooLargeToDrain(long max) {
        return !done && (failure != null || (!chunked && remaining > max));
    }

    /**
     * Skips the rest of the body, up to {@code max} bytes; returns whether it all went (false: the connection must
     * close). A client still waiting for 100 Continue is not told to send the body: the connection closes.
     */
    boolean drain(long max) {
        if (done) {
            return true;
        }
        if (failure != null || !continueSent() || (!chunked && remaining > max)) {
            return false;
        }
        byte[] scratch = new byte[(int) Math.min(CHUNK, Math.max(1, max))];
        long skipped = 0;
        try {
            while (!done) {
                int n = read(scratch, 0, scratch.length);
                if (n < 0) {
                    break;
                }
                skipped += n;
                if (skipped > max) {
                    return false;
                }
            }
            return true;
        } catch (HttpError e) {
            return false;
        }
    }

    @Override
    public AsyncIterator<byte[]> iterator() {
        return new AsyncIterator<>() {
            private byte[] next;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    // no bigger than what can come: a small body costs a small array
                    byte[] buf = new byte[chunked ? CHUNK : (int) Math.min(CHUNK, remaining)];
                    int n = read(buf, 0, buf.length);
                    if (n > 0) {
                        next = n == buf.length ? buf : Arrays.copyOf(buf, n);
                    }
                }
                return next != null;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the request body has ended");
                }
                byte[] b = next;
                next = null;
                return b;
            }

            @Override
            public void close() {
                next = null;
            }
        };
    }

    @Override
    public InputStream asInputStream() {
        return new InputStream() {
            @Override
            public int read() {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return BodyReader.this.read(b, off, len);
            }

            @Override
            public int available() throws IOException {
                return (int) Math.min(conn.tail - conn.head, chunked ? 0 : remaining);
            }
        };
    }

    @Override
    public String toString() {
        return "RequestBody[" + (chunked ? "chunked" : declared + " bytes") + ", read=" + total + (done ? ", done" : "")
                + "]";
    }
}
