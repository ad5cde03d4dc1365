package dev.spindle.http.websocket.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checks UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF) incrementally, so a text message
 * arriving in fragments is refused at the first bad byte (RFC 6455 §8.1 asks to fail fast) and a code point may
 * straddle two fragments. One instance per message in progress; {@link #reset()} between messages.
 *
 * <p>The state is the count of continuation bytes still expected and the range the next one must fall in (the
 * second byte of E0, ED, F0 and F4 sequences is narrower than 80..BF).
 */
public final class Utf8Validator {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private int need;
    private int lo = 0x80;
    private int hi = 0xBF;

    /** Feeds {@code b[off, off + len)}; returns false at the first byte that cannot be UTF-8 here. */
    public boolean feed(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            if (need == 0) {
                // ASCII runs, the common case, eight bytes per step
                while (i + 8 <= end && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                if (i == end) {
                    break;
                }
                int c = b[i++] & 0xff;
                if (c < 0x80) {
                    continue;
                }
                if (c >= 0xC2 && c <= 0xDF) {
                    need = 1;
                } else if (c >= 0xE0 && c <= 0xEF) {
                    need = 2;
                    if (c == 0xE0) {
                        lo = 0xA0; // no overlong three-byte forms
                    } else if (c == 0xED) {
                        hi = 0x9F; // no UTF-16 surrogates
                    }
                } else if (c >= 0xF0 && c <= 0xF4) {
                    need = 3;
                    if (c == 0xF0) {
                        lo = 0x90; // no overlong four-byte forms
                    } else if (c == 0xF4) {
                        hi = 0x8F; // nothing past U+10FFFF
                    }
                } else {
                    return false; // 80..C1 (continuation or overlong lead) and F5..FF
                }
            } else {
                int c = b[i++] & 0xff;
                if (c < lo || c > hi) {
                    return false;
                }
                lo = 0x80;
                hi = 0xBF;
                need--;
            }
        }
        return true;
    }

    /** Whether the bytes fed so far end on a code point boundary (a complete message must). */
    public boolean isComplete() {
        return need == 0;
    }

    public void reset() {
        need = 0;
        lo = 0x80;
        hi = 0xBF;
    }

    /** Whether {@code b[off, off + len)} is whole, valid UTF-8. */
    public static boolean isValid(byte[] b, int off, int len) {
        Utf8Validator v = new Utf8Validator();
        return v.feed(b, off, len) && v.isComplete();
    }
}
