package dev.spindle.mysql.internal.codec;

/**
 * An OK packet (header 0x00, or 0xFE when it ends a result set under CLIENT_DEPRECATE_EOF), or an EOF packet read
 * into the same shape: affected rows, last insert id, status flags, warnings, and the info text.
 */
public record OkPacket(long affectedRows, long lastInsertId, int status, int warnings, String info) {

    /** Parses an OK payload (either header). */
    public static OkPacket parse(Payload p) {
        return parse(p, null);
    }

    /**
     * {@link #parse(Payload)}, giving {@code same} back when the packet says exactly what it says (a reply's closing
     * OK often repeats the last one): no allocation then.
     */
    public static OkPacket parse(Payload p, OkPacket same) {
        p.int1();
        long affected = p.lenencInt();
        long insertId = p.lenencInt();
        if (affected == Payload.NULL_LENGTH || insertId == Payload.NULL_LENGTH) {
            throw new dev.spindle.mysql.ProtocolError("an OK packet carries a NULL count");
        }
        int status = p.int2();
        int warnings = p.int2();
        if (!p.hasRemaining() && same != null && same.matches(affected, insertId, status, warnings, "")) {
            return same;
        }
        String info = p.hasRemaining() ? infoText(p) : "";
        return new OkPacket(affected, insertId, status, warnings, info);
    }

    /** The human-readable part; without CLIENT_SESSION_TRACK it runs to the end of the packet. */
    private static String infoText(Payload p) {
        return p.restString();
    }

    /** Parses a classic EOF packet (0xFE, warnings, status) into an OK with no counts. */
    public static OkPacket parseEof(Payload p) {
        return parseEof(p, null);
    }

    /** {@link #parseEof(Payload)}, giving {@code same} back when it says the same (see {@link #parse(Payload, OkPacket)}). */
    public static OkPacket parseEof(Payload p, OkPacket same) {
        p.int1();
        int warnings = p.remaining() >= 2 ? p.int2() : 0;
        int status = p.remaining() >= 2 ? p.int2() : 0;
        if (same != null && same.matches(0, 0, status, warnings, "")) {
            return same;
        }
        return new OkPacket(0, 0, status, warnings, "");
    }

    private boolean matches(long affected, long insertId, int status, int warnings, String info) {
        return affectedRows == affected
                && lastInsertId == insertId
                && this.status == status
                && this.warnings == warnings
                && this.info.equals(info);
    }

    /**
     * Whether a payload starting with 0xFE is an EOF/OK terminator rather than a row: a row that starts with 0xFE is
     * an 8-byte length prefix, so it is at least 9 bytes long; terminators are shorter than 0xFFFFFF.
     */
    public static boolean isTerminator(Payload p) {
        return p.remaining() > 0 && p.peek() == 0xFE && p.remaining() < 9;
    }

    /**
     * Like {@link #isTerminator} with CLIENT_DEPRECATE_EOF: the OK that ends a result set may carry info text, so it
     * may be longer than 9 bytes, but it is always shorter than a full packet, which a 0xFE-prefixed row never is.
     */
    public static boolean isOkTerminator(Payload p) {
        return p.remaining() > 0 && p.peek() == 0xFE && p.remaining() < PacketWriter.MAX_PAYLOAD;
    }
}
