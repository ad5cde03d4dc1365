package dev.spindle.http.websocket.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * RFC 6455 §5.3 masking: XOR with a 32-bit key, eight bytes at a time. The key's first byte masks the first payload
 * byte, so the key is read big-endian and the payload through a big-endian long view.
 */
public final class Masking {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Masking() {}

    /** Masks (or unmasks: the same operation) {@code b[off, off + len)} in place with {@code key}. */
    public static void mask(byte[] b, int off, int len, int key) {
        long k8 = ((long) key << 32) | (key & 0xffffffffL);
        int i = off;
        int end = off + len;
        for (int stop = end - 7; i < stop; i += 8) {
            LONGS.set(b, i, (long) LONGS.get(b, i) ^ k8);
        }
        for (; i < end; i++) {
            b[i] ^= (byte) (key >>> (24 - 8 * ((i - off) & 3)));
        }
    }
}
