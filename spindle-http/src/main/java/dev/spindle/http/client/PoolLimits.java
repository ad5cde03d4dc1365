package dev.spindle.http.client;

import java.time.Duration;
import java.util.Objects;

/**
 * The connection pool's limits (httpx's {@code Limits}, with a per-origin cap). Immutable; made with
 * {@link #builder()}. The pool is per loop: a client used from several loops keeps these limits on each.
 *
 * {@snippet :
 * PoolLimits limits = PoolLimits.builder()
 *         .maxConnections(200)
 *         .maxConnectionsPerOrigin(20)
 *         .keepAliveExpiry(Duration.ofSeconds(30))
 *         .build();
 * }
 *
 * <table>
 *   <caption>Limits and defaults</caption>
 *   <tr><th>limit</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link #maxConnections()}</td><td>100</td><td>open connections, busy or idle, all origins</td></tr>
 *   <tr><td>{@link #maxConnectionsPerOrigin()}</td><td>100</td><td>open connections to one scheme, host and
 *       port</td></tr>
 *   <tr><td>{@link #maxIdleConnections()}</td><td>20</td><td>idle connections kept for reuse; beyond, a returned
 *       connection is closed</td></tr>
 *   <tr><td>{@link #keepAliveExpiry()}</td><td>5 s</td><td>how long an idle connection is kept</td></tr>
 * </table>
 * A request that finds the pool at a limit waits (FIFO) for a connection, up to {@link Timeouts#pool()}.
 */
public final class PoolLimits {
    private static final PoolLimits DEFAULTS = builder().build();

    private final int maxConnections;
    private final int maxConnectionsPerOrigin;
    private final int maxIdleConnections;
    private final Duration keepAliveExpiry;

    private PoolLimits(Builder b) {
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerOrigin = Math.min(b.maxConnectionsPerOrigin, b.maxConnections);
        this.maxIdleConnections = b.maxIdleConnections;
        this.keepAliveExpiry = b.keepAliveExpiry;
    }

    public static PoolLimits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxConnectionsPerOrigin() {
        return maxConnectionsPerOrigin;
    }

    public int maxIdleConnections() {
        return maxIdleConnections;
    }

    public Duration keepAliveExpiry() {
        return keepAliveExpiry;
    }

    @Override
    public String toString() {
        return "PoolLimits[maxConnections=" + maxConnections + ", perOrigin=" + maxConnectionsPerOrigin + ", idle="
                + maxIdleConnections + ", keepAliveExpiry=" + keepAliveExpiry + "]";
    }

    /** Builds {@link PoolLimits}; every setter checks its argument. */
    public static final class Builder {
        private int maxConnections = 100;
        private int maxConnectionsPerOrigin = 100;
        private int maxIdleConnections = 20;
        private Duration keepAliveExpiry = Duration.ofSeconds(5);

        private Builder() {}

        public Builder maxConnections(int n) {
            this.maxConnections = positive(n, "maxConnections");
            return this;
        }

        public Builder maxConnectionsPerOrigin(int n) {
            this.maxConnectionsPerOrigin = positive(n, "maxConnectionsPerOrigin");
            return this;
        }

        /** 0 keeps no idle connection: every request opens its own. */
        public Builder maxIdleConnections(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxIdleConnections must not be negative: " + n);
            }
            this.maxIdleConnections = n;
            return this;
        }

        public Builder keepAliveExpiry(Duration d) {
            Objects.requireNonNull(d, "keepAliveExpiry");
            if (d.isNegative()) {
                throw new IllegalArgumentException("keepAliveExpiry must not be negative: " + d);
            }
            this.keepAliveExpiry = d;
            return this;
        }

        public PoolLimits build() {
            return new PoolLimits(this);
        }

        private static int positive(int n, String what) {
            if (n <= 0) {
                throw new IllegalArgumentException(what + " must be positive: " + n);
            }
            return n;
        }
    }
}
