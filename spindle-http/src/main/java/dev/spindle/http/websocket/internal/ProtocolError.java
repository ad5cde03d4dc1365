package dev.spindle.http.websocket.internal;

/**
 * The peer broke a rule of RFC 6455 or 7692, or a limit: the connection is failed with {@link #closeCode()} (1002
 * protocol error, 1007 invalid data, 1009 too big) and the message as the close reason. Thrown by the codec, caught
 * by the session; never reaches users (they see {@link dev.spindle.http.websocket.WebSocketClosed}).
 */
public final class ProtocolError extends RuntimeException {
    private final int closeCode;

    public ProtocolError(int closeCode, String message) {
        super(message, null, false, false); // thrown at hostile input: no stack trace to fill
        this.closeCode = closeCode;
    }

    public int closeCode() {
        return closeCode;
    }
}
