package dev.spindle.http.internal;

import dev.spindle.http.Headers;
import dev.spindle.http.HttpVersion;

/**
 * A parsed request head with its framing decided (RFC 9112 §6.3): what {@link RequestParser} produces. Immutable
 * once returned.
 */
public final class RequestHead {
    public final String method;
    public final String target;
    public final HttpVersion version;
    public final Headers headers;
    /** Content-Length, or -1 when absent (then 0 unless {@link #chunked}). */
    public final long contentLength;

    public final boolean chunked;
    /** Connection: close, or HTTP/1.0 without Connection: keep-alive. */
    public final boolean close;
    /** HTTP/1.0 with Connection: keep-alive (the response must say keep-alive back). */
    public final boolean keepAlive10;

    public final boolean expectContinue;
    /** Index of '?' in the target, or -1. */
    final int queryAt;
    /** Where the path starts in the target (past scheme and authority for an absolute URI). */
    final int pathAt;

    RequestHead(
            String method,
            String target,
            HttpVersion version,
            Headers headers,
            long contentLength,
            boolean chunked,
            boolean close,
            boolean keepAlive10,
            boolean expectContinue,
            int pathAt,
            int queryAt) {
        this.method = method;
        this.target = target;
        this.version = version;
        this.headers = headers;
        this.contentLength = contentLength;
        this.chunked = chunked;
        this.close = close;
        this.keepAlive10 = keepAlive10;
        this.expectContinue = expectContinue;
        this.pathAt = pathAt;
        this.queryAt = queryAt;
    }

    /** Whether a body follows the head. */
    public boolean hasBody() {
        return chunked || contentLength > 0;
    }

    public String path() {
        int end = queryAt < 0 ? target.length() : queryAt;
        if (pathAt == 0 && end == target.length()) {
            return target;
        }
        return pathAt >= end ? "/" : target.substring(pathAt, end);
    }

    public String rawQuery() {
        return queryAt < 0 ? "" : target.substring(queryAt + 1);
    }

    public boolean isHead() {
        return method == RequestParser.HEAD || method.equals("HEAD");
    }

    @Override
    public String toString() {
        return method + " " + target + " " + version;
    }
}
