package dev.spindle.http.websocket;

import dev.spindle.http.websocket.internal.CloseFrames;

/**
 * WebSocket close codes (RFC 6455 §7.4.1 and the IANA registry), as {@code int} constants for
 * {@link WebSocket#close(int, String)} and {@link WebSocketClosed#code()}.
 *
 * {@snippet :
 * ws.close(CloseCode.POLICY_VIOLATION, "not allowed");
 * }
 *
 * <p>May be sent: 1000..1003, 1007..1014, and 3000..4999 (3000..3999 registered by libraries and frameworks,
 * 4000..4999 private to applications). Only reported, never sent: {@link #NO_STATUS_RECEIVED},
 * {@link #ABNORMAL_CLOSURE}, {@link #TLS_HANDSHAKE}.
 */
public final class CloseCode {
    /** The purpose of the connection is fulfilled. */
    public static final int NORMAL_CLOSURE = 1000;
    /** A server going down, or a browser leaving the page. */
    public static final int GOING_AWAY = 1001;
    /** The peer broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** A message of a type this endpoint does not accept (binary to a text-only endpoint, say). */
    public static final int UNSUPPORTED_DATA = 1003;
    /** Reported when a close frame carried no code; never sent. */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** Reported when the connection ended without a close frame; never sent. */
    public static final int ABNORMAL_CLOSURE = 1006;
    /** A text message that is not UTF-8, or compressed data that does not inflate. */
    public static final int INVALID_PAYLOAD = 1007;
    /** A message that breaks the endpoint's policy, when no other code fits. */
    public static final int POLICY_VIOLATION = 1008;
    /** A message over the size limit. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** (Client) The server did not negotiate an extension the client requires. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** An unexpected condition, such as a keepalive ping left unanswered. */
    public static final int INTERNAL_ERROR = 1011;
    /** The server is restarting; try again. */
    public static final int SERVICE_RESTART = 1012;
    /** The server is overloaded; try again later. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** A gateway got a bad answer from upstream. */
    public static final int BAD_GATEWAY = 1014;
    /** Reported when the TLS handshake failed; never sent. */
    public static final int TLS_HANDSHAKE = 1015;

    private CloseCode() {}

    /** Whether {@code code} may be sent in a close frame. */
    public static boolean isSendable(int code) {
        return CloseFrames.isValidOnWire(code);
    }

    /** A short name for a code: {@code "NORMAL_CLOSURE"}, or {@code "application code 4001"}. */
    public static String name(int code) {
        return switch (code) {
            case NORMAL_CLOSURE -> "NORMAL_CLOSURE";
            case GOING_AWAY -> "GOING_AWAY";
            case PROTOCOL_ERROR -> "PROTOCOL_ERROR";
            case UNSUPPORTED_DATA -> "UNSUPPORTED_DATA";
            case NO_STATUS_RECEIVED -> "NO_STATUS_RECEIVED";
            case ABNORMAL_CLOSURE -> "ABNORMAL_CLOSURE";
            case INVALID_PAYLOAD -> "INVALID_PAYLOAD";
            case POLICY_VIOLATION -> "POLICY_VIOLATION";
            case MESSAGE_TOO_BIG -> "MESSAGE_TOO_BIG";
            case MANDATORY_EXTENSION -> "MANDATORY_EXTENSION";
            case INTERNAL_ERROR -> "INTERNAL_ERROR";
            case SERVICE_RESTART -> "SERVICE_RESTART";
            case TRY_AGAIN_LATER -> "TRY_AGAIN_LATER";
            case BAD_GATEWAY -> "BAD_GATEWAY";
            case TLS_HANDSHAKE -> "TLS_HANDSHAKE";
            default ->
                code >= 4000 && code <= 4999
                        ? "application code " + code
                        : code >= 3000 && code <= 3999 ? "registered code " + code : "code " + code;
        };
    }
}
