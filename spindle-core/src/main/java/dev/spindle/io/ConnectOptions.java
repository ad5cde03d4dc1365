package dev.spindle.io;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link Streams#openConnection(String, int, ConnectOptions)} connects: a connect timeout, the happy-eyeballs
 * delay, and the reader's limit. Immutable; made with {@link #builder()}.
 *
 * {@snippet :
 * ConnectOptions options = ConnectOptions.builder()
 *         .connectTimeout(Duration.ofSeconds(5))
 *         .limit(1 << 20)
 *         .build();
 * Connection c = Streams.openConnection("db.internal", 5432, options);
 * }
 */
public final class ConnectOptions {
    private static final ConnectOptions DEFAULTS = new Builder().build();

    private final Duration connectTimeout;
    private final Duration happyEyeballsDelay;
    private final int limit;
    private final TlsOptions tls;

    private ConnectOptions(Builder b) {
        this.connectTimeout = b.connectTimeout;
        this.happyEyeballsDelay = b.happyEyeballsDelay;
        this.limit = b.limit;
        this.tls = b.tls;
    }

    /** No connect timeout, a happy-eyeballs delay of 250 ms, a limit of 64 KiB. */
    public static ConnectOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.connectTimeout = connectTimeout;
        b.happyEyeballsDelay = happyEyeballsDelay;
        b.limit = limit;
        b.tls = tls;
        return b;
    }

    /**
     * The most the whole connect may take, name lookup included; past it the connect throws
     * {@link dev.spindle.time.TimedOut} and leaves no socket open. Empty: no limit but the system's.
     */
    public Optional<Duration> connectTimeout() {
        return Optional.ofNullable(connectTimeout);
    }

    /**
     * When a host name has several addresses, how long one attempt runs alone before the next address is tried
     * beside it (RFC 8305's "connection attempt delay"); the first to connect wins and the others are closed. Empty:
     * the addresses are tried one after the other, each after the previous failed.
     */
    public Optional<Duration> happyEyeballsDelay() {
        return Optional.ofNullable(happyEyeballsDelay);
    }

    /**
     * TLS for the connection, or empty for plain TCP. A client's TLS checks the server's certificate and host name
     * by default ({@link TlsOptions#client()}); the handshake counts toward the connect timeout.
     */
    public java.util.Optional<TlsOptions> tls() {
        return java.util.Optional.ofNullable(tls);
    }

    /** The reader's {@linkplain StreamReader#limit() limit}. */
    public int limit() {
        return limit;
    }

    @Override
    public String toString() {
        return "ConnectOptions[connectTimeout=" + connectTimeout + ", happyEyeballsDelay=" + happyEyeballsDelay
                + ", limit=" + limit + "]";
    }

    /** Builds {@link ConnectOptions}; not thread-safe. */
    public static final class Builder {
        private Duration connectTimeout;
        private Duration happyEyeballsDelay = Duration.ofMillis(250);
        private int limit = StreamReader.DEFAULT_LIMIT;

        private TlsOptions tls;

        private Builder() {}

        /** See {@code tls()}; {@code null} for plain TCP. */
        public Builder tls(TlsOptions tls) {
            this.tls = TlsOptions.requireSide(tls, true);
            return this;
        }

        /** See {@link ConnectOptions#connectTimeout()}; {@code null} for none. */
        public Builder connectTimeout(Duration timeout) {
            if (timeout != null && timeout.isNegative()) {
                throw new IllegalArgumentException("negative timeout: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** See {@link ConnectOptions#happyEyeballsDelay()}; {@code null} to try addresses one after the other. */
        public Builder happyEyeballsDelay(Duration delay) {
            if (delay != null && delay.isNegative()) {
                throw new IllegalArgumentException("negative delay: " + delay);
            }
            this.happyEyeballsDelay = delay;
            return this;
        }

        /** See {@link ConnectOptions#limit()}; must be positive. */
        public Builder limit(int limit) {
            if (limit <= 0) {
                throw new IllegalArgumentException("limit must be positive: " + limit);
            }
            this.limit = limit;
            return this;
        }

        public ConnectOptions build() {
            return new ConnectOptions(this);
        }
    }

    static ConnectOptions orDefaults(ConnectOptions o) {
        return Objects.requireNonNullElse(o, DEFAULTS);
    }
}
