package dev.spindle.http.internal;

import java.nio.charset.StandardCharsets;

/**
 * Canonical strings for common header field names, so that parsing them allocates nothing and the framing fields
 * can be recognised by identity. A name not in the table is decoded as sent.
 */
final class FieldNames {
    static final String HOST = "Host";
    static final String CONTENT_LENGTH = "Content-Length";
    static final String TRANSFER_ENCODING = "Transfer-Encoding";
    static final String CONNECTION = "Connection";
    static final String EXPECT = "Expect";

    private static final String[] COMMON = {
        HOST,
        CONTENT_LENGTH,
        TRANSFER_ENCODING,
        CONNECTION,
        EXPECT,
        "Accept",
        "Accept-Charset",
        "Accept-Encoding",
        "Accept-Language",
        "Authorization",
        "Cache-Control",
        "Content-Encoding",
        "Content-Type",
        "Cookie",
        "DNT",
        "If-Match",
        "If-Modified-Since",
        "If-None-Match",
        "If-Range",
        "If-Unmodified-Since",
        "Keep-Alive",
        "Origin",
        "Pragma",
        "Priority",
        "Range",
        "Referer",
        "Sec-Fetch-Dest",
        "Sec-Fetch-Mode",
        "Sec-Fetch-Site",
        "Sec-Fetch-User",
        "Sec-WebSocket-Extensions",
        "Sec-WebSocket-Key",
        "Sec-WebSocket-Protocol",
        "Sec-WebSocket-Version",
        "TE",
        "Upgrade",
        "Upgrade-Insecure-Requests",
        "User-Agent",
        "Via",
        "X-Forwarded-For",
        "X-Forwarded-Host",
        "X-Forwarded-Proto",
        "X-Real-IP",
        "X-Request-ID",
        "X-Requested-With",
    };

    private static final int MASK = 255;
    private static final String[] TABLE = new String[MASK + 1];

    static {
        for (String name : COMMON) {
            byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
            int slot = hash(b, 0, b.length) & MASK;
            while (TABLE[slot] != null) {
                slot = (slot + 1) & MASK;
            }
            TABLE[slot] = name;
        }
    }

    private FieldNames() {}

    /** The name in {@code b[from, to)} (already checked to be a token): canonical if common, else as sent. */
    static String name(byte[] b, int from, int to) {
        int slot = hash(b, from, to) & MASK;
        String candidate;
        while ((candidate = TABLE[slot]) != null) {
            if (matches(candidate, b, from, to)) {
                return candidate;
            }
            slot = (slot + 1) & MASK;
        }
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static int hash(byte[] b, int from, int to) {
        int h = to - from;
        for (int i = from; i < to; i++) {
            h = h * 31 + (b[i] | 0x20);
        }
        return h ^ (h >>> 16);
    }

    private static boolean matches(String name, byte[] b, int from, int to) {
        if (name.length() != to - from) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            int x = name.charAt(i);
            int y = b[from + i];
            if (x != y && ((x | 0x20) != (y | 0x20) || !isLetter(x))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetter(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}
