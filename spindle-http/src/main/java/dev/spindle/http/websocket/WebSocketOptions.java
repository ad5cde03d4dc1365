package dev.spindle.http.websocket;

import dev.spindle.http.Headers;
import dev.spindle.io.TlsOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How a WebSocket behaves, on either side: limits, compression, keepalive, timeouts; plus what only a server
 * ({@link #originCheck()}) or only a client ({@link #origin()}, {@link #headers()}, {@link #tls()}) uses. Immutable;
 * made with {@link #builder()}. The defaults are Python {@code websockets}'.
 *
 * {@snippet :
 * WebSocketOptions options = WebSocketOptions.builder()
 *         .maxMessageSize(4 << 20)
 *         .subprotocols("chat.v2", "chat.v1")
 *         .originCheck(origin -> "https://example.com".equals(origin))
 *         .pingInterval(Duration.ofSeconds(30))
 *         .build();
 * }
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th><th>what it bounds</th></tr>
 *   <tr><td>{@link #maxMessageSize()}</td><td>1 MiB</td><td>a received message, after inflating (1009 past it)</td></tr>
 *   <tr><td>{@link #fragmentSize()}</td><td>0 (one frame per message)</td><td>payload bytes per outgoing data
 *       frame (streamed messages: 64 KiB when 0)</td></tr>
 *   <tr><td>{@link #maxQueue()}</td><td>16</td><td>messages received and not yet taken (then reading pauses)</td></tr>
 *   <tr><td>{@link #compression()}</td><td>on, level 6</td><td>permessage-deflate (offered by a client, accepted
 *       by a server), both contexts kept</td></tr>
 *   <tr><td>{@link #pingInterval()}</td><td>20 s</td><td>time between keepalive pings ({@link Duration#ZERO}: none)</td></tr>
 *   <tr><td>{@link #pingTimeout()}</td><td>20 s</td><td>wait for a keepalive pong (then 1011)</td></tr>
 *   <tr><td>{@link #closeTimeout()}</td><td>10 s</td><td>wait for the peer's close frame, and for a write of one</td></tr>
 *   <tr><td>{@link #openTimeout()}</td><td>10 s</td><td>a client's connect plus handshake</td></tr>
 *   <tr><td>{@link #subprotocols()}</td><td>none</td><td>a server picks the first of its list the client offers</td></tr>
 *   <tr><td>{@link #originCheck()}</td><td>any origin</td><td>a server refuses others with 403</td></tr>
 *   <tr><td>{@link #tls()}</td><td>{@link TlsOptions#client()}: the JDK's trust store, host name checked</td>
 *       <td>a {@code wss://} client</td></tr>
 * </table>
 */
public final class WebSocketOptions {
    private static final WebSocketOptions DEFAULTS = new Builder().build();

    private final int maxMessageSize;
    private final int maxQueue;
    private final int fragmentSize;
    private final boolean compression;
    private final int compressionLevel;
    private final boolean serverNoContextTakeover;
    private final boolean clientNoContextTakeover;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final Duration closeTimeout;
    private final Duration openTimeout;
    private final List<String> subprotocols;
    private final Predicate<String> originCheck;
    private final String origin;
    private final Headers headers;
    private final TlsOptions tls;

    private WebSocketOptions(Builder b) {
        maxMessageSize = b.maxMessageSize;
        maxQueue = b.maxQueue;
        fragmentSize = b.fragmentSize;
        compression = b.compression;
        compressionLevel = b.compressionLevel;
        serverNoContextTakeover = b.serverNoContextTakeover;
        clientNoContextTakeover = b.clientNoContextTakeover;
        pingInterval = b.pingInterval;
        pingTimeout = b.pingTimeout;
        closeTimeout = b.closeTimeout;
        openTimeout = b.openTimeout;
        subprotocols = b.subprotocols;
        originCheck = b.originCheck;
        origin = b.origin;
        headers = b.headers.copy().readOnly();
        tls = b.tls;
    }

    public static WebSocketOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxMessageSize = maxMessageSize;
        b.maxQueue = maxQueue;
        b.fragmentSize = fragmentSize;
        b.compression = compression;
        b.compressionLevel = compressionLevel;
        b.serverNoContextTakeover = serverNoContextTakeover;
        b.clientNoContextTakeover = clientNoContextTakeover;
        b.pingInterval = pingInterval;
        b.pingTimeout = pingTimeout;
        b.closeTimeout = closeTimeout;
        b.openTimeout = openTimeout;
        b.subprotocols = subprotocols;
        b.originCheck = originCheck;
        b.origin = origin;
        b.headers = headers.copy();
        b.tls = tls;
        return b;
    }

    /** The largest message received, in bytes after inflating; a larger one fails the connection with 1009. */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * How many received messages wait to be taken before the connection stops reading (TCP then slows the peer).
     * While it is full, pings are not answered either: a consumer that stops for longer than the peer's ping timeout
     * gets its connection closed by the peer, as with Python {@code websockets}.
     */
    public int maxQueue() {
        return maxQueue;
    }

    /**
     * The most payload bytes one outgoing data frame carries: a longer message goes out as several frames (RFC 6455
     * §5.4), a streamed one ({@link WebSocket#startTextMessage()}) as a frame each time this many bytes are written.
     * 0, the default, sends each whole message as one frame and streams in frames of {@value #STREAM_FRAGMENT} bytes.
     * With permessage-deflate, a whole message is compressed first and its compressed bytes are split.
     */
    public int fragmentSize() {
        return fragmentSize;
    }

    /** The frame size of a streamed message when {@link #fragmentSize()} is 0: 64 KiB. */
    public static final int STREAM_FRAGMENT = 64 * 1024;

    /** Whether permessage-deflate is offered (client) or accepted (server). */
    public boolean compression() {
        return compression;
    }

    /** The deflate level, 1 (fast) to 9 (small). */
    public int compressionLevel() {
        return compressionLevel;
    }

    /**
     * Whether the server resets its compressor after each message (a server asks it of itself; a client asks the
     * server): less memory per connection, worse compression for similar messages.
     */
    public boolean serverNoContextTakeover() {
        return serverNoContextTakeover;
    }

    /** Whether the client resets its compressor after each message (a server asks it of the client). */
    public boolean clientNoContextTakeover() {
        return clientNoContextTakeover;
    }

    /** Time between keepalive pings; {@link Duration#ZERO} sends none. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** How long a keepalive ping waits for its pong before the connection is failed with 1011. */
    public Duration pingTimeout() {
        return pingTimeout;
    }

    /** How long a close waits for the peer's close frame (then the connection is just closed). */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** (Client) How long connecting, TLS and the opening handshake may take together. */
    public Duration openTimeout() {
        return openTimeout;
    }

    /**
     * Subprotocols: a server's, in its order of preference (it picks the first one the client offers; none if the
     * client offers none of them); a client's, offered in this order.
     */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /**
     * (Server) Decides from the {@code Origin} header ({@code null} when absent, as from non-browser clients) whether
     * to accept; a refused handshake gets 403. Browsers send Origin, so this is the defence against cross-site
     * WebSocket hijacking for endpoints that rely on cookies.
     */
    public Predicate<String> originCheck() {
        return originCheck;
    }

    /** (Client) The {@code Origin} header to send, if any. */
    public Optional<String> origin() {
        return Optional.ofNullable(origin);
    }

    /** (Client) Extra headers for the opening request (an {@code Authorization}, say). */
    public Headers headers() {
        return headers;
    }

    /** (Client) TLS for {@code wss://}: empty means {@link TlsOptions#client()} (verification on). */
    public Optional<TlsOptions> tls() {
        return Optional.ofNullable(tls);
    }

    @Override
    public String toString() {
        return "WebSocketOptions[maxMessageSize=" + maxMessageSize + ", maxQueue=" + maxQueue + ", compression="
                + (compression ? "level " + compressionLevel : "off") + ", ping=" + pingInterval + "/" + pingTimeout
                + ", closeTimeout=" + closeTimeout + ", subprotocols=" + subprotocols + "]";
    }

    /** Builds {@link WebSocketOptions}; not thread-safe. */
    public static final class Builder {
        private int maxMessageSize = 1 << 20;
        private int maxQueue = 16;
        private int fragmentSize;
        private boolean compression = true;
        private int compressionLevel = 6;
        private boolean serverNoContextTakeover;
        private boolean clientNoContextTakeover;
        private Duration pingInterval = Duration.ofSeconds(20);
        private Duration pingTimeout = Duration.ofSeconds(20);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private Duration openTimeout = Duration.ofSeconds(10);
        private List<String> subprotocols = List.of();
        private Predicate<String> originCheck = origin -> true;
        private String origin;
        private Headers headers = new Headers();
        private TlsOptions tls;

        private Builder() {}

        /** @throws IllegalArgumentException unless positive */
        public Builder maxMessageSize(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxMessageSize must be positive: " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * See {@link WebSocketOptions#fragmentSize()}; 0 for whole frames.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder fragmentSize(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("fragmentSize must be 0 (off) or positive: " + bytes);
            }
            this.fragmentSize = bytes;
            return this;
        }

        /** @throws IllegalArgumentException unless positive */
        public Builder maxQueue(int messages) {
            if (messages <= 0) {
                throw new IllegalArgumentException("maxQueue must be positive: " + messages);
            }
            this.maxQueue = messages;
            return this;
        }

        public Builder compression(boolean on) {
            this.compression = on;
            return this;
        }

        /** @throws IllegalArgumentException unless 1..9 */
        public Builder compressionLevel(int level) {
            if (level < 1 || level > 9) {
                throw new IllegalArgumentException("compressionLevel must be 1..9: " + level);
            }
            this.compressionLevel = level;
            return this;
        }

        public Builder serverNoContextTakeover(boolean on) {
            this.serverNoContextTakeover = on;
            return this;
        }

        public Builder clientNoContextTakeover(boolean on) {
            this.clientNoContextTakeover = on;
            return this;
        }

        /** @param interval {@link Duration#ZERO} for no keepalive pings */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = nonNegative(interval, "pingInterval");
            return this;
        }

        public Builder pingTimeout(Duration timeout) {
            this.pingTimeout = positive(timeout, "pingTimeout");
            return this;
        }

        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive(timeout, "closeTimeout");
            return this;
        }

        public Builder openTimeout(Duration timeout) {
            this.openTimeout = positive(timeout, "openTimeout");
            return this;
        }

        /** @throws IllegalArgumentException for a name that is not an HTTP token */
        public Builder subprotocols(String... names) {
            return subprotocols(List.of(names));
        }

        public Builder subprotocols(List<String> names) {
            for (String n : names) {
                if (!dev.spindle.http.websocket.internal.Handshake.isToken(n)) {
                    throw new IllegalArgumentException("a subprotocol name must be an HTTP token: \"" + n + "\"");
                }
            }
            this.subprotocols = List.copyOf(names);
            return this;
        }

        public Builder originCheck(Predicate<String> check) {
            this.originCheck = Objects.requireNonNull(check, "check");
            return this;
        }

        /** Accepts only these origins (exact match, as browsers send them: {@code "https://example.com"}). */
        public Builder allowedOrigins(String... origins) {
            List<String> allowed = List.of(origins);
            this.originCheck = origin -> origin != null && allowed.contains(origin);
            return this;
        }

        public Builder origin(String origin) {
            this.origin = origin;
            return this;
        }

        /** Adds a header to the client's opening request. */
        public Builder header(String name, String value) {
            this.headers.add(name, value);
            return this;
        }

        public Builder tls(TlsOptions tls) {
            if (tls != null && !tls.isClient()) {
                throw new IllegalArgumentException("a WebSocket client needs client-side TlsOptions, got " + tls);
            }
            this.tls = tls;
            return this;
        }

        public WebSocketOptions build() {
            return new WebSocketOptions(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }

        private static Duration nonNegative(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative: " + d);
            }
            return d;
        }
    }
}
