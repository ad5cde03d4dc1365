package dev.spindle.http.websocket;

/**
 * The WebSocket is closed: thrown by a receive once the messages that arrived before the close are taken, and by a
 * send after the close began. Says how it closed: the code and reason received from the peer (or the code this side
 * sent when the peer broke the protocol, or {@link CloseCode#ABNORMAL_CLOSURE} when the connection just ended), and
 * whether this was a normal end.
 *
 * {@snippet :
 * try {
 *     Message m = ws.receive();
 * } catch (WebSocketClosed e) {
 *     log.info("closed: " + e.code() + " " + e.reason() + (e.isNormal() ? "" : " (error)"));
 * }
 * }
 */
public class WebSocketClosed extends RuntimeException {
    private final int code;
    private final String reason;

    public WebSocketClosed(int code, String reason, Throwable cause) {
        super(describe(code, reason), cause);
        this.code = code;
        this.reason = reason == null ? "" : reason;
    }

    /** The close code: the peer's, or this side's when it failed the connection, or 1006 when it just ended. */
    public int code() {
        return code;
    }

    /** The close reason (may be empty). */
    public String reason() {
        return reason;
    }

    /**
     * Whether the WebSocket ended as intended: code {@link CloseCode#NORMAL_CLOSURE}, {@link CloseCode#GOING_AWAY}
     * or {@link CloseCode#NO_STATUS_RECEIVED} (a close frame without a code). A for-each over the WebSocket ends
     * quietly then, and throws this otherwise.
     */
    public boolean isNormal() {
        return code == CloseCode.NORMAL_CLOSURE || code == CloseCode.GOING_AWAY || code == CloseCode.NO_STATUS_RECEIVED;
    }

    private static String describe(int code, String reason) {
        return "WebSocket closed with " + code + " (" + CloseCode.name(code) + ")"
                + (reason == null || reason.isEmpty() ? "" : ": " + reason);
    }
}
