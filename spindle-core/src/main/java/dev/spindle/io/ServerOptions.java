package dev.spindle.io;

import java.util.Objects;

/**
 * How {@link Streams#startServer(ConnectionHandler, String, int, ServerOptions)} listens: the backlog, SO_REUSEPORT,
 * and the readers' limit. Immutable; made with {@link #builder()}.
 *
 * {@snippet :
 * ServerOptions options = ServerOptions.builder().backlog(1024).reusePort(true).build();
 * Server server = Streams.startServer(handler, "0.0.0.0", 8080, options);
 * }
 */
public final class ServerOptions {
    private static final ServerOptions DEFAULTS = new Builder().build();

    private final int backlog;
    private final boolean reusePort;
    private final int limit;
    private final TlsOptions tls;

    private ServerOptions(Builder b) {
        this.backlog = b.backlog;
        this.reusePort = b.reusePort;
        this.limit = b.limit;
        this.tls = b.tls;
    }

    /** A backlog of 100 (asyncio's), no SO_REUSEPORT, a limit of 64 KiB. */
    public static ServerOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.backlog = backlog;
        b.reusePort = reusePort;
        b.limit = limit;
        b.tls = tls;
        return b;
    }

    /** How many connections the kernel may queue before the server accepts them. */
    public int backlog() {
        return backlog;
    }

    /**
     * Whether to set SO_REUSEPORT, so that several servers (one per loop, say) may listen on the same port and the
     * kernel spreads connections among them. Ignored where the OS lacks it, and for Unix domain sockets.
     */
    public boolean reusePort() {
        return reusePort;
    }

    /**
     * TLS for every connection, or empty for plain TCP. The handshake runs before the connection is handed over
     * (for a server: inside the connection's task, before its handler; a failed handshake is reported like a
     * failed handler and affects only that connection).
     */
    public java.util.Optional<TlsOptions> tls() {
        return java.util.Optional.ofNullable(tls);
    }

    /** The {@linkplain StreamReader#limit() limit} of each connection's reader. */
    public int limit() {
        return limit;
    }

    @Override
    public String toString() {
        return "ServerOptions[backlog=" + backlog + ", reusePort=" + reusePort + ", limit=" + limit + "]";
    }

    /** Builds {@link ServerOptions}; not thread-safe. */
    public static final class Builder {
        private int backlog = 100;
        private boolean reusePort;
        private int limit = StreamReader.DEFAULT_LIMIT;

        private TlsOptions tls;

        private Builder() {}

        /** See {@code tls()}; {@code null} for plain TCP. */
        public Builder tls(TlsOptions tls) {
            this.tls = TlsOptions.requireSide(tls, false);
            return this;
        }

        /** See {@link ServerOptions#backlog()}; must be positive. */
        public Builder backlog(int backlog) {
            if (backlog <= 0) {
                throw new IllegalArgumentException("backlog must be positive: " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /** See {@link ServerOptions#reusePort()}. */
        public Builder reusePort(boolean reusePort) {
            this.reusePort = reusePort;
            return this;
        }

        /** See {@link ServerOptions#limit()}; must be positive. */
        public Builder limit(int limit) {
            if (limit <= 0) {
                throw new IllegalArgumentException("limit must be positive: " + limit);
            }
            this.limit = limit;
            return this;
        }

        public ServerOptions build() {
            return new ServerOptions(this);
        }
    }

    static ServerOptions orDefaults(ServerOptions o) {
        return Objects.requireNonNullElse(o, DEFAULTS);
    }
}
