package dev.spindle.http.internal;

import dev.spindle.http.BodyWriter;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A streamed response body in its framing: chunks (a size line, the data, CRLF: small chunks copied into one write),
 * a counted Content-Length body, or a close-delimited one. Writes are handed to the connection's writer, then
 * {@linkplain Http1Connection#drain() drained} past the high-water mark, so a slow client holds the handler back.
 */
final class ChunkedBodyWriter implements BodyWriter {
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int COALESCE = 8 * 1024;

    private final ServerResponse response;
    private final Http1Connection conn;
    private final ResponseHead.Framing framing;
    private final long declared;
    /** HEAD, 204 or 304: bytes are counted and dropped. */
    private final boolean discard;

    private final ByteBuf chunk = new ByteBuf(64);
    private long written;
    private boolean closed;

    ChunkedBodyWriter(
            ServerResponse response,
            Http1Connection conn,
            ResponseHead.Framing framing,
            long declared,
            boolean discard) {
        this.response = response;
        this.conn = conn;
        this.framing = framing;
        this.declared = declared;
        this.discard = discard;
    }

    @Override
    public void write(byte[] data) {
        write(data, 0, data.length);
    }

    @Override
    public void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void write(byte[] data, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, data.length);
        checkOpen();
        if (len == 0) {
            return;
        }
        count(len);
        if (discard) {
            return;
        }
        if (framing == ResponseHead.Framing.CHUNKED) {
            chunk.clear();
            chunk.putHex(len).crlf();
            if (len <= COALESCE) {
                chunk.put(data, off, len).crlf();
                conn.writer.write(chunk.array(), 0, chunk.size());
            } else {
                conn.writer.write(chunk.array(), 0, chunk.size());
                conn.writer.write(data, off, len);
                conn.writer.write(CRLF);
            }
        } else {
            conn.writer.write(data, off, len);
        }
        response.bytesSent += len;
        conn.drain();
    }

    private static final byte[] CRLF = {'\r', '\n'};

    @Override
    public void write(ByteBuffer src) {
        checkOpen();
        int len = src.remaining();
        if (len == 0) {
            return;
        }
        count(len);
        if (discard) {
            src.position(src.limit());
            return;
        }
        if (framing == ResponseHead.Framing.CHUNKED) {
            chunk.clear();
            chunk.putHex(len).crlf();
            conn.writer.write(chunk.array(), 0, chunk.size());
            conn.writer.write(src);
            conn.writer.write(CRLF);
        } else {
            conn.writer.write(src);
        }
        response.bytesSent += len;
        conn.drain();
    }

    /** A zero-copy file body goes to the writer's sendFile in slices of this size, each under the write timeout. */
    static final long FILE_SLICE = 1 << 20;

    /**
     * Sends {@code length} bytes of {@code file} from {@code from} as (the rest of) a counted body with the writer's
     * {@link dev.spindle.io.StreamWriter#sendFile} (zero copy on a plain connection), in slices each bounded by the
     * write timeout, as {@link #write} bounds each drain. Returns false, sending nothing, if this body is not counted
     * or is discarded (HEAD, 204, 304): the caller then copies. A timed-out slice aborts the connection.
     *
     * @throws java.io.IOException if the file is shorter than {@code from + length}
     */
    boolean sendFile(java.nio.channels.FileChannel file, long from, long length) throws java.io.IOException {
        checkOpen();
        if (discard || framing != ResponseHead.Framing.LENGTH) {
            return false;
        }
        if (declared >= 0 && written + length > declared) {
            response.exchange().broken = true;
            throw new IllegalStateException(
                    "the body is longer than its Content-Length of " + declared + " bytes; the connection will close");
        }
        long pos = from;
        long end = from + length;
        while (pos < end) {
            long at = pos;
            long slice = Math.min(FILE_SLICE, end - pos);
            long n = dev.spindle.time.TimeoutScope.after(conn.options.writeTimeout())
                    .run(() -> conn.writer.sendFile(file, at, slice));
            written += n;
            response.bytesSent += n;
            pos += n;
            if (n < slice) {
                response.exchange().broken = true;
                throw new java.io.IOException("the file shrank while being sent");
            }
        }
        return true;
    }

    private void count(int len) {
        written += len;
        if (declared >= 0 && written > declared && !discard) {
            response.exchange().broken = true;
            throw new IllegalStateException(
                    "the body is longer than its Content-Length of " + declared + " bytes; the connection will close");
        }
    }

    @Override
    public void flush() {
        checkOpen();
        if (conn.writer.writeBufferSize() > 0) {
            dev.spindle.time.TimeoutScope.after(conn.options.writeTimeout()).run(() -> {
                conn.writer.drain();
                return null;
            });
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (discard) {
            return;
        }
        switch (framing) {
            case CHUNKED -> conn.writer.write(LAST_CHUNK);
            case LENGTH -> {
                if (written < declared) {
                    // the client would wait for the rest: only closing the connection ends its wait
                    response.exchange().broken = true;
                    response.closeAfter = true;
                }
            }
            case CLOSE_DELIMITED -> response.closeAfter = true;
            case NONE -> {}
        }
        conn.drain();
    }

    boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the response body is closed");
        }
    }

    @Override
    public OutputStream asOutputStream() {
        return new BodyOutputStream(this);
    }
}
