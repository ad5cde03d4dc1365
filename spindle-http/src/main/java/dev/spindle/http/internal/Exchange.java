package dev.spindle.http.internal;

import dev.spindle.http.Headers;
import java.nio.charset.StandardCharsets;

/** One request and its response on a connection. */
final class Exchange {
    final Http1Connection conn;
    final RequestHead head;
    final ServerRequest request;
    final ServerResponse response;
    final BodyReader body;
    /** The request's framing can no longer be trusted (a bad body, a timeout): close after the response. */
    boolean broken;

    Exchange(Http1Connection conn, RequestHead head) {
        this.conn = conn;
        this.head = head;
        this.body = new BodyReader(this);
        this.request = new ServerRequest(this);
        this.response = new ServerResponse(this);
    }

    /**
     * Writes an error response outside any exchange's response object (the codec refused the head, so there is no
     * request to answer through): plain text, Connection: close.
     */
    static void writeError(Http1Connection conn, int status, String message, boolean close, boolean headOnly) {
        byte[] body = errorBody(status, message);
        Headers h = new Headers();
        h.add("Content-Type", "text/plain; charset=utf-8");
        ByteBuf out = conn.out; // behind any corked responses to earlier requests
        ResponseHead.encode(
                out, status, h, conn.server.serverLine, ResponseHead.Framing.LENGTH, body.length, close ? 1 : 0);
        if (!headOnly) {
            out.put(body);
        }
        conn.flushOut();
    }

    /** The text of an error response: the message for a client error, only the reason phrase for a server error. */
    static byte[] errorBody(int status, String message) {
        String text = status < 500 && message != null && !message.isEmpty()
                ? status + " " + ResponseHead.reason(status) + ": " + message + "\n"
                : status + " " + ResponseHead.reason(status) + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
