package dev.spindle.http.websocket.internal;

import java.nio.charset.StandardCharsets;

/** Close frame payloads (RFC 6455 §5.5.1, §7.4): a 2-byte code, then a UTF-8 reason; or nothing at all. */
public final class CloseFrames {
    /** The code reported when a close frame carried none (never sent on the wire). */
    public static final int NO_STATUS = 1005;

    private CloseFrames() {}

    /** A received close: its code ({@link #NO_STATUS} if none) and reason. */
    public record Close(int code, String reason) {}

    /**
     * Parses a received close payload.
     *
     * @throws ProtocolError 1002 for a 1-byte payload or a code not allowed on the wire, 1007 for a reason that is
     *     not UTF-8
     */
    public static Close parse(byte[] payload) {
        if (payload.length == 0) {
            return new Close(NO_STATUS, "");
        }
        if (payload.length == 1) {
            throw new ProtocolError(1002, "close frame with a 1-byte payload");
        }
        int code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        if (!isValidOnWire(code)) {
            throw new ProtocolError(1002, "close code " + code + " is not allowed on the wire");
        }
        if (!Utf8Validator.isValid(payload, 2, payload.length - 2)) {
            throw new ProtocolError(1007, "close reason is not valid UTF-8");
        }
        return new Close(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    }

    /**
     * Whether a peer may send {@code code}: the codes RFC 6455 and the IANA registry define for use in a close
     * frame (1000..1003, 1007..1014), and those for libraries (3000..3999) and applications (4000..4999). 1004 is
     * reserved; 1005, 1006 and 1015 only ever report what happened and must not be sent.
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /**
     * The payload for {@code code} and {@code reason}.
     *
     * @throws IllegalArgumentException for a code that may not be sent, or a reason over 123 UTF-8 bytes
     */
    public static byte[] payload(int code, String reason) {
        if (!isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code
                    + " may not be sent (1000..1003, 1007..1014, 3000..4999 may; 1005, 1006 and 1015 only report)");
        }
        byte[] r = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        if (r.length > 123) {
            throw new IllegalArgumentException(
                    "a close reason is at most 123 UTF-8 bytes (a control frame is 125), this one is " + r.length);
        }
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    /** {@code reason} cut to at most 123 UTF-8 bytes on a code point boundary (for reasons built from errors). */
    public static String truncate(String reason) {
        if (reason == null) {
            return "";
        }
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        if (r.length <= 123) {
            return reason;
        }
        int n = 123;
        while (n > 0 && (r[n] & 0xC0) == 0x80) {
            n--; // r[n] is the first byte dropped: back up to the start of its code point
        }
        return new String(r, 0, n, StandardCharsets.UTF_8);
    }
}
