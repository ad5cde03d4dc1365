package dev.spindle.http.internal;

import dev.spindle.http.BodyWriter;
import java.io.OutputStream;

/** A {@link BodyWriter} seen as an {@link OutputStream} (for serializers that write to streams). */
final class BodyOutputStream extends OutputStream {
    private final BodyWriter body;

    BodyOutputStream(BodyWriter body) {
        this.body = body;
    }

    @Override
    public void write(int b) {
        body.write(new byte[] {(byte) b});
    }

    @Override
    public void write(byte[] b, int off, int len) {
        body.write(b, off, len);
    }

    @Override
    public void flush() {
        body.flush();
    }

    @Override
    public void close() {
        body.close();
    }
}
