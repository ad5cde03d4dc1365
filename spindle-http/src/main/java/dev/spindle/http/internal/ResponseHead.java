package dev.spindle.http.internal;

import dev.spindle.http.Headers;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a response head: status line, the application's fields, then those the server owns (Date, Server, the
 * framing, Connection). Pure: values in, bytes out into a {@link ByteBuf}.
 */
public final class ResponseHead {
    private static final byte[][] STATUS_LINES = new byte[600][];

    static {
        for (int s = 100; s < 600; s++) {
            String reason = reason(s);
            STATUS_LINES[s] = ("HTTP/1.1 " + s + " " + reason + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /** How the body after the head is delimited. */
    public enum Framing {
        /** Content-Length: n (n may be 0). */
        LENGTH,
        CHUNKED,
        /** The body ends with the connection (HTTP/1.0 streaming); Connection: close is implied. */
        CLOSE_DELIMITED,
        /** No body and no framing field: 1xx, 204, 304, or a 101 switch. */
        NONE
    }

    private ResponseHead() {}

    /**
     * Writes the head into {@code out}.
     *
     * @param serverLine the whole {@code "Server: x\r\n"} line, or {@code null}
     * @param connection {@code 1} to add Connection: close, {@code 2} for keep-alive (HTTP/1.0), 0 for none
     */
    public static void encode(
            ByteBuf out,
            int status,
            Headers headers,
            byte[] serverLine,
            Framing framing,
            long contentLength,
            int connection) {
        out.put(STATUS_LINES[status]);
        int n = headers.size();
        for (int i = 0; i < n; i++) {
            out.putLatin1(headers.name(i))
                    .put((byte) ':')
                    .put((byte) ' ')
                    .putLatin1(headers.value(i))
                    .crlf();
        }
        out.put(DateCache.dateLine());
        if (serverLine != null) {
            out.put(serverLine);
        }
        switch (framing) {
            case LENGTH -> out.put(CONTENT_LENGTH).putDecimal(contentLength).crlf();
            case CHUNKED -> out.put(CHUNKED);
            case CLOSE_DELIMITED, NONE -> {}
        }
        if (connection == 1) {
            out.put(CLOSE);
        } else if (connection == 2) {
            out.put(KEEP_ALIVE);
        }
        out.crlf();
    }

    /** Whether a response with {@code status} has no body by definition (RFC 9110 §6.4.1). */
    public static boolean bodyless(int status) {
        return status < 200 || status == 204 || status == 304;
    }

    /** The reason phrase for {@code status} (RFC 9110 §15), or a class name for an unregistered one. */
    public static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 102 -> "Processing";
            case 103 -> "Early Hints";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 203 -> "Non-Authoritative Information";
            case 204 -> "No Content";
            case 205 -> "Reset Content";
            case 206 -> "Partial Content";
            case 207 -> "Multi-Status";
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 418 -> "I'm a teapot";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Content";
            case 425 -> "Too Early";
            case 426 -> "Upgrade Required";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 451 -> "Unavailable For Legal Reasons";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            case 507 -> "Insufficient Storage";
            case 511 -> "Network Authentication Required";
            default ->
                switch (status / 100) {
                    case 1 -> "Informational";
                    case 2 -> "Success";
                    case 3 -> "Redirection";
                    case 4 -> "Client Error";
                    default -> "Server Error";
                };
        };
    }
}
