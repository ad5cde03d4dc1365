package dev.spindle.http;

import java.time.Duration;

/**
 * Server-sent events (the WHATWG {@code text/event-stream} format): each event is written and flushed at once, never
 * compressed. Multi-line data becomes several {@code data:} lines.
 *
 * {@snippet :
 * try (EventStream events = res.eventStream()) {
 *     events.retry(Duration.ofSeconds(3));
 *     while (!req.isShuttingDown()) {
 *         events.send("tick", Instant.now().toString(), null);
 *         Spindle.sleep(1);
 *     }
 * }
 * }
 *
 * <p>A client that went away makes the next send throw {@link dev.spindle.io.ConnectionLost}; an event stream is
 * how a handler learns it, so send comments as heartbeats when events are rare.
 */
public interface EventStream extends AutoCloseable {
    /** Sends an event with only data. */
    void send(String data);

    /**
     * Sends an event.
     *
     * @param event the event type, or {@code null} for the default ({@code message})
     * @param data the data; each of its lines becomes a {@code data:} line
     * @param id the last-event id, or {@code null}
     * @throws IllegalArgumentException if {@code event} or {@code id} has CR or LF
     */
    void send(String event, String data, String id);

    /** Sends a comment line (clients ignore it; keeps proxies from timing the stream out). */
    void comment(String text);

    /** Tells the client how long to wait before reconnecting. */
    void retry(Duration delay);

    /** Ends the stream. Idempotent. */
    @Override
    void close();
}
