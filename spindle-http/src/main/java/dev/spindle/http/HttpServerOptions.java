package dev.spindle.http;

import dev.spindle.io.TlsOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how an {@link HttpServer} listens and how long it waits for clients. Immutable; made with
 * {@link #builder()}.
 *
 * {@snippet :
 * HttpServerOptions options = HttpServerOptions.builder()
 *         .host("0.0.0.0").port(8080)
 *         .tls(TlsOptions.server(keyStore, password))  // ALPN advertises http/1.1
 *         .gzip(true)
 *         .limits(HttpLimits.builder().maxBodySize(50 << 20).build())
 *         .build();
 * }
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th><th>what it bounds</th></tr>
 *   <tr><td>host, port</td><td>127.0.0.1, 8000</td><td>(uvicorn's)</td></tr>
 *   <tr><td>{@link #loops()}</td><td>0: one per core</td><td>loops of a server started from a plain thread</td></tr>
 *   <tr><td>{@link #backlog()}</td><td>2048</td><td>the kernel's accept queue</td></tr>
 *   <tr><td>{@link #maxConnections()}</td><td>10,000</td><td>open connections (past it: 503 with Retry-After, close)</td></tr>
 *   <tr><td>{@link #keepAliveTimeout()}</td><td>5 s</td><td>an idle keep-alive connection</td></tr>
 *   <tr><td>{@link #headerTimeout()}</td><td>10 s</td><td>a request head once its first byte came (slowloris; 408)</td></tr>
 *   <tr><td>{@link #bodyTimeout()}</td><td>30 s</td><td>each wait for request body bytes (408)</td></tr>
 *   <tr><td>{@link #writeTimeout()}</td><td>30 s</td><td>each wait for the client to take response bytes</td></tr>
 *   <tr><td>{@link #shutdownTimeout()}</td><td>10 s</td><td>in-flight requests at a graceful shutdown</td></tr>
 *   <tr><td>{@link #serverHeader()}</td><td>"spindle"</td><td>the Server header (empty: none)</td></tr>
 *   <tr><td>{@link #gzip()}</td><td>off; 1 KiB minimum; text/*, JSON, JS, XML, SVG</td><td>compression</td></tr>
 *   <tr><td>{@link #limits()}</td><td>{@link HttpLimits#defaults()}</td><td>sizes</td></tr>
 * </table>
 */
public final class HttpServerOptions {
    private static final HttpServerOptions DEFAULTS = new Builder().build();

    /** The content types compressed by default (a prefix ending in {@code /} matches a whole type). */
    public static final List<String> DEFAULT_GZIP_TYPES = List.of(
            "text/",
            "application/json",
            "application/javascript",
            "application/xml",
            "application/xhtml+xml",
            "image/svg+xml",
            "application/wasm");

    private final String host;
    private final int port;
    private final int loops;
    private final TlsOptions tls;
    private final int backlog;
    private final int maxConnections;
    private final Duration keepAliveTimeout;
    private final Duration headerTimeout;
    private final Duration bodyTimeout;
    private final Duration writeTimeout;
    private final Duration shutdownTimeout;
    private final String serverHeader;
    private final boolean gzip;
    private final int gzipMinSize;
    private final int gzipLevel;
    private final List<String> gzipTypes;
    private final HttpLimits limits;

    private HttpServerOptions(Builder b) {
        host = b.host;
        port = b.port;
        loops = b.loops;
        tls = b.tls;
        backlog = b.backlog;
        maxConnections = b.maxConnections;
        keepAliveTimeout = b.keepAliveTimeout;
        headerTimeout = b.headerTimeout;
        bodyTimeout = b.bodyTimeout;
        writeTimeout = b.writeTimeout;
        shutdownTimeout = b.shutdownTimeout;
        serverHeader = b.serverHeader;
        gzip = b.gzip;
        gzipMinSize = b.gzipMinSize;
        gzipLevel = b.gzipLevel;
        gzipTypes = b.gzipTypes;
        limits = b.limits;
    }

    public static HttpServerOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.loops = loops;
        b.tls = tls;
        b.backlog = backlog;
        b.maxConnections = maxConnections;
        b.keepAliveTimeout = keepAliveTimeout;
        b.headerTimeout = headerTimeout;
        b.bodyTimeout = bodyTimeout;
        b.writeTimeout = writeTimeout;
        b.shutdownTimeout = shutdownTimeout;
        b.serverHeader = serverHeader;
        b.gzip = gzip;
        b.gzipMinSize = gzipMinSize;
        b.gzipLevel = gzipLevel;
        b.gzipTypes = gzipTypes;
        b.limits = limits;
        return b;
    }

    /** The host to listen on; empty for every interface. */
    public String host() {
        return host;
    }

    /** The port; 0 lets the system choose ({@link HttpServer#port()} tells). */
    public int port() {
        return port;
    }

    /**
     * How many loops serve when the server is started from a plain thread (0: one per available processor), each on
     * its own thread, sharing the port with SO_REUSEPORT. A server started from a coroutine serves on that
     * coroutine's loop alone.
     */
    public int loops() {
        return loops;
    }

    /** TLS for every connection (ALPN advertising {@code http/1.1} unless the options name protocols), or empty. */
    public Optional<TlsOptions> tls() {
        return Optional.ofNullable(tls);
    }

    public int backlog() {
        return backlog;
    }

    /** The most connections open at once, over all loops; a connection past it is answered 503 and closed. */
    public int maxConnections() {
        return maxConnections;
    }

    public Duration keepAliveTimeout() {
        return keepAliveTimeout;
    }

    public Duration headerTimeout() {
        return headerTimeout;
    }

    public Duration bodyTimeout() {
        return bodyTimeout;
    }

    public Duration writeTimeout() {
        return writeTimeout;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** The Server header's value; empty to send none. */
    public String serverHeader() {
        return serverHeader;
    }

    /**
     * Whether responses are gzipped for clients that accept it (by {@code Accept-Encoding} q-values): bodies of at
     * least {@link #gzipMinSize()} bytes (streams always) whose Content-Type is in {@link #gzipTypes()}, not already
     * encoded, not event streams, not ranges. Adds {@code Vary: Accept-Encoding}.
     */
    public boolean gzip() {
        return gzip;
    }

    public int gzipMinSize() {
        return gzipMinSize;
    }

    /** The deflate level, 1 (fast) to 9 (small); 6 by default. */
    public int gzipLevel() {
        return gzipLevel;
    }

    public List<String> gzipTypes() {
        return gzipTypes;
    }

    public HttpLimits limits() {
        return limits;
    }

    @Override
    public String toString() {
        return "HttpServerOptions[" + host + ":" + port + ", loops=" + loops + (tls != null ? ", tls" : "")
                + ", maxConnections=" + maxConnections + ", keepAlive=" + keepAliveTimeout + ", " + limits + "]";
    }

    /** Builds {@link HttpServerOptions}; not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8000;
        private int loops;
        private TlsOptions tls;
        private int backlog = 2048;
        private int maxConnections = 10_000;
        private Duration keepAliveTimeout = Duration.ofSeconds(5);
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Duration bodyTimeout = Duration.ofSeconds(30);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        private String serverHeader = "spindle";
        private boolean gzip;
        private int gzipMinSize = 1024;
        private int gzipLevel = 6;
        private List<String> gzipTypes = DEFAULT_GZIP_TYPES;
        private HttpLimits limits = HttpLimits.defaults();

        private Builder() {}

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder loops(int loops) {
            if (loops < 0) {
                throw new IllegalArgumentException("loops must be 0 (one per processor) or more: " + loops);
            }
            this.loops = loops;
            return this;
        }

        /** Server-side TLS options, or {@code null} for plain TCP. */
        public Builder tls(TlsOptions tls) {
            if (tls != null && tls.isClient()) {
                throw new IllegalArgumentException("an HTTP server needs server-side TlsOptions, got " + tls);
            }
            this.tls = tls;
            return this;
        }

        public Builder backlog(int backlog) {
            this.backlog = positive("backlog", backlog);
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = positive("maxConnections", maxConnections);
            return this;
        }

        public Builder keepAliveTimeout(Duration d) {
            this.keepAliveTimeout = positive("keepAliveTimeout", d);
            return this;
        }

        public Builder headerTimeout(Duration d) {
            this.headerTimeout = positive("headerTimeout", d);
            return this;
        }

        public Builder bodyTimeout(Duration d) {
            this.bodyTimeout = positive("bodyTimeout", d);
            return this;
        }

        public Builder writeTimeout(Duration d) {
            this.writeTimeout = positive("writeTimeout", d);
            return this;
        }

        /** May be zero: cancel in-flight requests at once. */
        public Builder shutdownTimeout(Duration d) {
            Objects.requireNonNull(d, "shutdownTimeout");
            if (d.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must not be negative: " + d);
            }
            this.shutdownTimeout = d;
            return this;
        }

        /** The Server header's value; empty for none. */
        public Builder serverHeader(String value) {
            Objects.requireNonNull(value, "serverHeader");
            new Headers().add("Server", value.isEmpty() ? "x" : value); // validates
            this.serverHeader = value;
            return this;
        }

        public Builder gzip(boolean on) {
            this.gzip = on;
            return this;
        }

        public Builder gzipMinSize(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("gzipMinSize must not be negative: " + bytes);
            }
            this.gzipMinSize = bytes;
            return this;
        }

        public Builder gzipLevel(int level) {
            if (level < 1 || level > 9) {
                throw new IllegalArgumentException("gzipLevel must be 1..9: " + level);
            }
            this.gzipLevel = level;
            return this;
        }

        /** Content types to compress: exact types, or prefixes ending in {@code /} ({@code "text/"}). */
        public Builder gzipTypes(List<String> types) {
            this.gzipTypes = List.copyOf(types);
            return this;
        }

        public Builder limits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public HttpServerOptions build() {
            return new HttpServerOptions(this);
        }

        private static int positive(String what, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(what + " must be positive: " + v);
            }
            return v;
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}
