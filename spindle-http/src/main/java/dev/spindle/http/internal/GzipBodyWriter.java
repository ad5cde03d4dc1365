package dev.spindle.http.internal;

import dev.spindle.http.BodyWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A streamed body gzipped on the way: the compressor's output goes to the chunked writer below; {@link #flush()} is a
 * sync flush, so what was written so far reaches the client now.
 */
final class GzipBodyWriter implements BodyWriter {
    private final ChunkedBodyWriter raw;
    private final Gzip.LeveledGzip gzip;
    private boolean closed;

    GzipBodyWriter(ChunkedBodyWriter raw, int level) {
        this.raw = raw;
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                raw.write(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) {
                raw.write(b, off, len);
            }
        };
        try {
            this.gzip = new Gzip.LeveledGzip(sink, level, 8192);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void write(byte[] data) {
        write(data, 0, data.length);
    }

    @Override
    public void write(byte[] data, int off, int len) {
        if (closed) {
            throw new IllegalStateException("the response body is closed");
        }
        try {
            gzip.write(data, off, len);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void write(ByteBuffer src) {
        byte[] b = new byte[src.remaining()];
        src.get(b);
        write(b);
    }

    @Override
    public void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {
        try {
            gzip.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        raw.flush();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            gzip.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            gzip.end();
        }
        raw.close();
    }

    @Override
    public OutputStream asOutputStream() {
        return new BodyOutputStream(this);
    }
}
