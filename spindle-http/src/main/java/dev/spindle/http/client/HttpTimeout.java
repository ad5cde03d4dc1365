package dev.spindle.http.client;

import dev.spindle.time.TimedOut;
import java.time.Duration;

/**
 * A request ran past one of its {@link Timeouts}: {@link #phase()} says which (httpx's {@code ConnectTimeout},
 * {@code ReadTimeout}, {@code WriteTimeout}, {@code PoolTimeout}, plus the whole-request deadline). A
 * {@link TimedOut}, so code that catches core's timeouts catches it too. The connection the request was using is
 * closed, never handed to another request.
 *
 * {@snippet :
 * try {
 *     client.get(url);
 * } catch (HttpTimeout e) {
 *     if (e.phase() == HttpTimeout.Phase.CONNECT) { ... } // the host did not answer
 * }
 * }
 */
public final class HttpTimeout extends TimedOut {
    /** Which limit ran out. */
    public enum Phase {
        /** Opening the connection (name lookup, TCP and TLS handshakes). */
        CONNECT,
        /** Waiting for bytes of the response. */
        READ,
        /** Waiting for the server to take the request's bytes. */
        WRITE,
        /** Waiting for a free connection in the pool. */
        POOL,
        /** The whole request, redirects included: {@link Timeouts#deadline()}. */
        DEADLINE
    }

    private final Phase phase;
    private final Duration limit;

    public HttpTimeout(Phase phase, Duration limit, String message, Throwable cause) {
        super(message, cause);
        this.phase = phase;
        this.limit = limit;
    }

    /** Which limit ran out. */
    public Phase phase() {
        return phase;
    }

    /** The limit that ran out. */
    public Duration limit() {
        return limit;
    }
}
