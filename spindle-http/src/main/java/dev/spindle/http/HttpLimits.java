package dev.spindle.http;

/**
 * The sizes the HTTP/1.1 parser accepts, each with the status it answers past it (then closes the connection).
 * They bound the memory one connection can make the server hold, whatever the client sends. Immutable.
 *
 * <table>
 *   <caption>Limits and defaults</caption>
 *   <tr><th>limit</th><th>default</th><th>past it</th></tr>
 *   <tr><td>{@link #maxRequestLine()}</td><td>8 KiB</td><td>414 URI Too Long</td></tr>
 *   <tr><td>{@link #maxHeaderCount()}</td><td>100</td><td>431</td></tr>
 *   <tr><td>{@link #maxHeaderSize()} (one field line)</td><td>8 KiB</td><td>431</td></tr>
 *   <tr><td>{@link #maxHeadSize()} (request line and all fields)</td><td>64 KiB</td><td>431</td></tr>
 *   <tr><td>{@link #maxBodySize()}</td><td>10 MiB</td><td>413 Content Too Large</td></tr>
 *   <tr><td>{@link #maxChunkLine()} (size and extensions)</td><td>1 KiB</td><td>400</td></tr>
 *   <tr><td>{@link #maxTrailerSize()}</td><td>16 KiB</td><td>400 (431 for too many fields)</td></tr>
 *   <tr><td>{@link #maxDrainSize()} (unread body skipped to keep the connection)</td><td>64 KiB</td><td>close</td></tr>
 * </table>
 *
 * {@snippet :
 * HttpLimits limits = HttpLimits.builder().maxBodySize(100 << 20).build();
 * }
 */
public final class HttpLimits {
    private static final HttpLimits DEFAULTS = new Builder().build();

    private final int maxRequestLine;
    private final int maxHeaderCount;
    private final int maxHeaderSize;
    private final int maxHeadSize;
    private final long maxBodySize;
    private final int maxChunkLine;
    private final int maxTrailerSize;
    private final long maxDrainSize;

    private HttpLimits(Builder b) {
        this.maxRequestLine = b.maxRequestLine;
        this.maxHeaderCount = b.maxHeaderCount;
        this.maxHeaderSize = b.maxHeaderSize;
        this.maxHeadSize = Math.max(b.maxHeadSize, b.maxRequestLine);
        this.maxBodySize = b.maxBodySize;
        this.maxChunkLine = b.maxChunkLine;
        this.maxTrailerSize = b.maxTrailerSize;
        this.maxDrainSize = b.maxDrainSize;
    }

    public static HttpLimits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxRequestLine = maxRequestLine;
        b.maxHeaderCount = maxHeaderCount;
        b.maxHeaderSize = maxHeaderSize;
        b.maxHeadSize = maxHeadSize;
        b.maxBodySize = maxBodySize;
        b.maxChunkLine = maxChunkLine;
        b.maxTrailerSize = maxTrailerSize;
        b.maxDrainSize = maxDrainSize;
        return b;
    }

    /** The longest request line (method, target, version, CRLF); past it 414. */
    public int maxRequestLine() {
        return maxRequestLine;
    }

    /** The most header fields; past it 431. */
    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    /** The longest header field line (name, colon, value, CRLF); past it 431. */
    public int maxHeaderSize() {
        return maxHeaderSize;
    }

    /** The largest head (request line, fields, blank line); past it 431. At least {@link #maxRequestLine()}. */
    public int maxHeadSize() {
        return maxHeadSize;
    }

    /**
     * The largest request body; a Content-Length past it is answered 413 before any of it is read, a chunked body
     * when it gets there.
     */
    public long maxBodySize() {
        return maxBodySize;
    }

    /** The longest chunk-size line, extensions included; past it 400. */
    public int maxChunkLine() {
        return maxChunkLine;
    }

    /** The most bytes of trailer fields after a chunked body (read, checked, dropped); past it 400. */
    public int maxTrailerSize() {
        return maxTrailerSize;
    }

    /**
     * The most bytes of a request body the handler did not read that the server skips to keep the connection alive;
     * a longer rest closes the connection instead.
     */
    public long maxDrainSize() {
        return maxDrainSize;
    }

    @Override
    public String toString() {
        return "HttpLimits[requestLine=" + maxRequestLine + ", headerCount=" + maxHeaderCount + ", headerSize="
                + maxHeaderSize + ", headSize=" + maxHeadSize + ", bodySize=" + maxBodySize + ", chunkLine="
                + maxChunkLine + ", trailerSize=" + maxTrailerSize + ", drainSize=" + maxDrainSize + "]";
    }

    /** Builds {@link HttpLimits}; every value must be positive. */
    public static final class Builder {
        private int maxRequestLine = 8 * 1024;
        private int maxHeaderCount = 100;
        private int maxHeaderSize = 8 * 1024;
        private int maxHeadSize = 64 * 1024;
        private long maxBodySize = 10L * 1024 * 1024;
        private int maxChunkLine = 1024;
        private int maxTrailerSize = 16 * 1024;
        private long maxDrainSize = 64 * 1024;

        private Builder() {}

        public Builder maxRequestLine(int v) {
            maxRequestLine = positive("maxRequestLine", v);
            return this;
        }

        public Builder maxHeaderCount(int v) {
            maxHeaderCount = positive("maxHeaderCount", v);
            return this;
        }

        public Builder maxHeaderSize(int v) {
            maxHeaderSize = positive("maxHeaderSize", v);
            return this;
        }

        public Builder maxHeadSize(int v) {
            maxHeadSize = positive("maxHeadSize", v);
            return this;
        }

        public Builder maxBodySize(long v) {
            maxBodySize = positive("maxBodySize", v);
            return this;
        }

        public Builder maxChunkLine(int v) {
            maxChunkLine = positive("maxChunkLine", v);
            return this;
        }

        public Builder maxTrailerSize(int v) {
            maxTrailerSize = positive("maxTrailerSize", v);
            return this;
        }

        /** May be 0: never skip an unread body, close instead. */
        public Builder maxDrainSize(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("maxDrainSize must not be negative: " + v);
            }
            maxDrainSize = v;
            return this;
        }

        public HttpLimits build() {
            return new HttpLimits(this);
        }

        private static int positive(String what, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(what + " must be positive: " + v);
            }
            return v;
        }

        private static long positive(String what, long v) {
            if (v <= 0) {
                throw new IllegalArgumentException(what + " must be positive: " + v);
            }
            return v;
        }
    }
}
