package dev.spindle.http.internal;

import java.util.Arrays;

/** A growable byte array for building heads and small bodies; reused per connection, not thread-safe. */
public final class ByteBuf {
    private byte[] buf;
    private int size;

    public ByteBuf(int capacity) {
        buf = new byte[capacity];
    }

    public byte[] array() {
        return buf;
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    /** Drops a large array so that an idle connection holds little. */
    public void shrink(int keep) {
        if (buf.length > keep) {
            buf = new byte[keep];
        }
        size = 0;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    public ByteBuf put(byte[] b) {
        return put(b, 0, b.length);
    }

    public ByteBuf put(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
        return this;
    }

    public ByteBuf put(byte c) {
        ensure(1);
        buf[size++] = c;
        return this;
    }

    /** Appends a Latin-1 string (header names and values were checked to be Latin-1). */
    public ByteBuf putLatin1(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size + i] = (byte) s.charAt(i);
        }
        size += n;
        return this;
    }

    public ByteBuf putDecimal(long v) {
        if (v == 0) {
            return put((byte) '0');
        }
        ensure(20);
        int start = size;
        while (v > 0) {
            buf[size++] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        for (int i = start, j = size - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        return this;
    }

    public ByteBuf putHex(long v) {
        if (v == 0) {
            return put((byte) '0');
        }
        ensure(16);
        int digits = (67 - Long.numberOfLeadingZeros(v)) / 4;
        for (int i = digits - 1; i >= 0; i--) {
            int d = (int) (v >>> (i * 4)) & 0xf;
            buf[size++] = (byte) (d < 10 ? '0' + d : 'a' + d - 10);
        }
        return this;
    }

    public ByteBuf crlf() {
        ensure(2);
        buf[size++] = '\r';
        buf[size++] = '\n';
        return this;
    }
}
