package dev.spindle.http.websocket.internal;

/**
 * One decoded frame: its FIN and RSV1 bits, its opcode and its payload, already unmasked. RSV2 and RSV3 never reach
 * here (no extension defines them, so the decoder refuses them).
 */
public record Frame(boolean fin, boolean rsv1, int opcode, byte[] payload) {
    @Override
    public String toString() {
        return "Frame[" + Opcode.name(opcode) + (fin ? ", fin" : "") + (rsv1 ? ", rsv1" : "") + ", " + payload.length
                + " bytes]";
    }
}
