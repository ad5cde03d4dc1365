package dev.spindle.redis;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import dev.spindle.queue.LoopQueue;
import dev.spindle.queue.QueueShutDown;
import dev.spindle.redis.internal.Connector;
import dev.spindle.redis.internal.PubSubKinds;
import dev.spindle.redis.internal.RedisConnection;
import dev.spindle.task.Cancelled;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A pub/sub connection (redis-py's {@code PubSub}): SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE, then messages read with a
 * for-each in a coroutine or {@link #receive(Duration)}, which waits without polling. Made by
 * {@link RedisClient#pubsub()}; holds a connection of its own.
 *
 * {@snippet :
 * try (PubSub sub = redis.pubsub()) {
 *     sub.subscribe("orders");
 *     sub.psubscribe("audit.*");
 *     PubSub.Message first = sub.receive(Duration.ofSeconds(5)); // null after 5 s
 *     for (PubSub.Message m : sub.messages()) {                  // until close()
 *         handle(m.channel(), m.text());
 *     }
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@code subscribe} and kin return once the server confirmed every channel. Confirmations are not messages.
 *   <li>Messages are queued as they arrive, unbounded (as redis-py and Lettuce do): read them steadily.
 *   <li>When the connection is lost, it is made again in the background (with the client's backoff) and every
 *       channel, pattern and shard channel is subscribed again. Messages published meanwhile are lost: Redis pub/sub
 *       is at-most-once (use streams for more).
 *   <li>{@link #close()} ends {@link #messages()} iterations and makes {@link #receive} return null.
 *   <li>Loop-confined; one reader at a time is the sensible use, though several coroutines may receive.
 * </ul>
 */
public final class PubSub implements AutoCloseable {

    /**
     * One message: {@code kind} is {@code message}, {@code pmessage} (then {@code pattern} says which matched) or
     * {@code smessage}.
     */
    public record Message(String kind, String channel, String pattern, byte[] payload) {
        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return kind + " " + channel + (pattern != null ? " (" + pattern + ")" : "") + ": " + text();
        }
    }

    private final Connector connector;
    private final Loop loop;
    private final LoopQueue<Message> messages = LoopQueue.fifo();
    private final Set<String> channels = new LinkedHashSet<>();
    private final Set<String> patterns = new LinkedHashSet<>();
    private final Set<String> shardChannels = new LinkedHashSet<>();
    /** Confirmations awaited, per "kind channel", oldest first. */
    private final Map<String, ArrayDeque<LoopFuture<Void>>> confirmations = new HashMap<>();

    private RedisConnection connection;
    private Task<Void> reconnecting;
    private boolean closed;
    private int reconnects;

    PubSub(Connector connector) {
        this.connector = connector;
        this.loop = Loop.current();
    }

    public void subscribe(String... channels) {
        change("SUBSCRIBE", "subscribe", this.channels, true, channels);
    }

    public void unsubscribe(String... channels) {
        change("UNSUBSCRIBE", "unsubscribe", this.channels, false, channels);
    }

    public void psubscribe(String... patterns) {
        change("PSUBSCRIBE", "psubscribe", this.patterns, true, patterns);
    }

    public void punsubscribe(String... patterns) {
        change("PUNSUBSCRIBE", "punsubscribe", this.patterns, false, patterns);
    }

    public void ssubscribe(String... channels) {
        change("SSUBSCRIBE", "ssubscribe", this.shardChannels, true, channels);
    }

    public void sunsubscribe(String... channels) {
        change("SUNSUBSCRIBE", "sunsubscribe", this.shardChannels, false, channels);
    }

    private void change(String command, String kind, Set<String> set, boolean add, String... names) {
        if (closed) {
            throw new IllegalStateException("this PubSub is closed");
        }
        if (names.length == 0) {
            throw new IllegalArgumentException(command + " needs at least one name");
        }
        for (String n : names) {
            if (add) {
                set.add(n);
            } else {
                set.remove(n);
            }
        }
        RedisConnection c = connection();
        LoopFuture<?>[] waits = new LoopFuture<?>[names.length];
        for (int i = 0; i < names.length; i++) {
            waits[i] = expect(kind, names[i]);
        }
        Object[] args = new Object[names.length + 1];
        args[0] = command;
        System.arraycopy(names, 0, args, 1, names.length);
        c.sendWithoutReply(RedisCommand.of(args));
        Spindle.withTimeout(connector.config().commandTimeout(), () -> {
            for (LoopFuture<?> w : waits) {
                w.await();
            }
        });
    }

    private LoopFuture<Void> expect(String kind, String name) {
        LoopFuture<Void> f = new LoopFuture<>(loop);
        confirmations
                .computeIfAbsent(kind + " " + name, k -> new ArrayDeque<>())
                .add(f);
        return f;
    }

    /** Channels subscribed to now. */
    public Set<String> channels() {
        return Set.copyOf(channels);
    }

    public Set<String> patterns() {
        return Set.copyOf(patterns);
    }

    /** How many times the connection was made again after a loss. */
    public int reconnects() {
        return reconnects;
    }

    /** The next message, waiting up to {@code timeout}; null if none came, or once closed. */
    public Message receive(Duration timeout) {
        try {
            return Spindle.withTimeout(timeout, messages::get);
        } catch (TimedOut | QueueShutDown e) {
            return null;
        }
    }

    /** Messages as they come, for a for-each in a coroutine; ends when this PubSub is closed. */
    public Iterable<Message> messages() {
        return () -> new Iterator<>() {
            private Message next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = messages.get();
                    } catch (QueueShutDown e) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public Message next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Message m = next;
                next = null;
                return m;
            }
        };
    }

    /** Messages received and not read yet. */
    public int pending() {
        return messages.size();
    }

    private RedisConnection connection() {
        if (connection != null && connection.isOpen()) {
            return connection;
        }
        if (reconnecting != null && !reconnecting.isDone()) {
            reconnecting.await();
            if (connection != null && connection.isOpen()) {
                return connection;
            }
        }
        connection = openAndResubscribe();
        return connection;
    }

    private RedisConnection openAndResubscribe() {
        RedisConnection c = connector.open();
        c.setPubSubMode(true);
        c.setPushListener(this::onFrame);
        c.onClose(() -> {
            if (!closed && connection == c) {
                failConfirmations(c.failure());
                reconnecting = Task.spawn(loop, "redis-pubsub-reconnect", this::reconnectLoop);
            }
        });
        resend(c, "SUBSCRIBE", channels);
        resend(c, "PSUBSCRIBE", patterns);
        resend(c, "SSUBSCRIBE", shardChannels);
        return c;
    }

    private static void resend(RedisConnection c, String command, Set<String> names) {
        if (!names.isEmpty()) {
            Object[] args = new Object[names.size() + 1];
            args[0] = command;
            int i = 1;
            for (String n : names) {
                args[i++] = n;
            }
            c.sendWithoutReply(RedisCommand.of(args));
        }
    }

    private void reconnectLoop() {
        while (!closed) {
            try {
                connection = openAndResubscribe();
                reconnects++;
                return;
            } catch (RedisConnectionError e) {
                // Connector.open waits out the backoff before the next attempt
            } catch (Cancelled e) {
                return;
            }
        }
    }

    private void failConfirmations(Throwable cause) {
        for (ArrayDeque<LoopFuture<Void>> q : confirmations.values()) {
            for (LoopFuture<Void> f : q) {
                if (!f.isDone()) {
                    f.setException(new RedisConnectionError("lost the pub/sub connection", cause));
                }
            }
        }
        confirmations.clear();
    }

    private void onFrame(Object frame) {
        List<?> l = (List<?>) frame;
        String kind = PubSubKinds.kind(l);
        if (kind == null) {
            return; // another push (client tracking...): not for us
        }
        switch (kind) {
            case "message", "smessage" ->
                messages.putNowait(new Message(kind, Replies.string(l.get(1)), null, Replies.bytes(l.get(2))));
            case "pmessage" ->
                messages.putNowait(
                        new Message(kind, Replies.string(l.get(2)), Replies.string(l.get(1)), Replies.bytes(l.get(3))));
            case "pong" -> {}
            default -> {
                String name = l.size() > 1 && l.get(1) != null ? Replies.string(l.get(1)) : "";
                ArrayDeque<LoopFuture<Void>> q = confirmations.get(kind + " " + name);
                LoopFuture<Void> f = q == null ? null : q.pollFirst();
                if (f != null && !f.isDone()) {
                    f.setResult(null);
                }
            }
        }
    }

    /** Closes the connection; readers of {@link #messages()} finish, {@link #receive} returns null. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (reconnecting != null) {
            reconnecting.cancel();
        }
        if (connection != null) {
            connection.close();
        }
        failConfirmations(null);
        messages.shutdown();
    }
}
