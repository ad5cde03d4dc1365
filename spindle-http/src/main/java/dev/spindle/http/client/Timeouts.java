package dev.spindle.http.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long each step of a request may take (httpx's {@code Timeout}, plus a whole-request deadline). Immutable; each
 * {@code with...} returns a changed copy. An empty value means no limit.
 *
 * {@snippet :
 * Timeouts t = Timeouts.of(Duration.ofSeconds(10))          // connect, read, write and pool: 10 s each
 *         .withConnect(Duration.ofSeconds(2))
 *         .withDeadline(Duration.ofSeconds(30));            // and the whole request: 30 s at most
 * HttpClient client = HttpClient.builder().timeouts(t).build();
 * }
 *
 * <ul>
 *   <li><b>connect</b>: name lookup, TCP connect and TLS handshake of a new connection.
 *   <li><b>read</b>: the longest wait for the next bytes of the response (not the whole response): a server
 *       trickling a byte every second never trips a 5 s read timeout.
 *   <li><b>write</b>: the longest wait for the server to take more of the request (backpressure).
 *   <li><b>pool</b>: the longest wait for a connection when the pool is at its limits.
 *   <li><b>deadline</b>: the whole request, from the call to the end of the response head (to the end of the body for
 *       {@link HttpClient#send}), redirects and retries included. None by default.
 * </ul>
 * Each step's limit is cut short by the deadline; whichever comes first throws {@link HttpTimeout} with its
 * {@linkplain HttpTimeout#phase() phase}.
 */
public final class Timeouts {
    private static final Duration FIVE = Duration.ofSeconds(5);
    private static final Timeouts DEFAULTS = new Timeouts(FIVE, FIVE, FIVE, FIVE, null);
    private static final Timeouts NONE = new Timeouts(null, null, null, null, null);

    private final Duration connect;
    private final Duration read;
    private final Duration write;
    private final Duration pool;
    private final Duration deadline;

    private Timeouts(Duration connect, Duration read, Duration write, Duration pool, Duration deadline) {
        this.connect = check(connect, "connect");
        this.read = check(read, "read");
        this.write = check(write, "write");
        this.pool = check(pool, "pool");
        this.deadline = check(deadline, "deadline");
    }

    private static Duration check(Duration d, String what) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException("the " + what + " timeout must be positive, got " + d);
        }
        return d;
    }

    /** httpx's defaults: 5 s for connect, read, write and pool; no deadline. */
    public static Timeouts defaults() {
        return DEFAULTS;
    }

    /** No limit at all. */
    public static Timeouts none() {
        return NONE;
    }

    /** {@code each} for connect, read, write and pool; no deadline. */
    public static Timeouts of(Duration each) {
        Objects.requireNonNull(each, "each");
        return new Timeouts(each, each, each, each, null);
    }

    public Timeouts withConnect(Duration d) {
        return new Timeouts(d, read, write, pool, deadline);
    }

    public Timeouts withRead(Duration d) {
        return new Timeouts(connect, d, write, pool, deadline);
    }

    public Timeouts withWrite(Duration d) {
        return new Timeouts(connect, read, d, pool, deadline);
    }

    public Timeouts withPool(Duration d) {
        return new Timeouts(connect, read, write, d, deadline);
    }

    /** The whole request's limit ({@code null}: none). */
    public Timeouts withDeadline(Duration d) {
        return new Timeouts(connect, read, write, pool, d);
    }

    public Optional<Duration> connect() {
        return Optional.ofNullable(connect);
    }

    public Optional<Duration> read() {
        return Optional.ofNullable(read);
    }

    public Optional<Duration> write() {
        return Optional.ofNullable(write);
    }

    public Optional<Duration> pool() {
        return Optional.ofNullable(pool);
    }

    public Optional<Duration> deadline() {
        return Optional.ofNullable(deadline);
    }

    @Override
    public String toString() {
        return "Timeouts[connect=" + connect + ", read=" + read + ", write=" + write + ", pool=" + pool + ", deadline="
                + deadline + "]";
    }
}
