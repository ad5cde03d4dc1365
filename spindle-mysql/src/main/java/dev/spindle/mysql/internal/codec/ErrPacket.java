package dev.spindle.mysql.internal.codec;

import dev.spindle.mysql.ServerError;

/** An ERR packet: 0xFF, the error code, {@code #} and the SQLSTATE (protocol 4.1), the message. */
public record ErrPacket(int code, String sqlState, String message) {
    public static final int HEADER = 0xFF;

    public static ErrPacket parse(Payload p) {
        int h = p.int1();
        if (h != HEADER) {
            throw new dev.spindle.mysql.ProtocolError("an ERR packet starts with 0x" + Integer.toHexString(h));
        }
        int code = p.int2();
        String state = "HY000";
        if (p.hasRemaining() && p.array()[p.position()] == '#') {
            p.skip(1);
            state = new String(p.bytes(5), java.nio.charset.StandardCharsets.US_ASCII);
        }
        return new ErrPacket(code, state, p.restString());
    }

    public ServerError toException() {
        return ServerError.of(code, sqlState, message);
    }
}
