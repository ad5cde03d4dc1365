package dev.spindle.redis.internal;

import dev.spindle.redis.RedisConnectionError;
import dev.spindle.sync.Held;
import dev.spindle.sync.LoopLock;

/**
 * The multiplexed connection of one loop: every coroutine's commands go on one socket, pipelined (Lettuce's model).
 * When it is lost, the next command reconnects; one coroutine connects at a time, and those that waited meanwhile
 * get that attempt's error instead of trying again at once. Loop-confined.
 */
public final class SharedConnection {
    private final Connector connector;
    private final LoopLock lock = new LoopLock();
    private RedisConnection current;
    private int attempts;
    private RedisConnectionError lastError;
    private boolean closed;

    public SharedConnection(Connector connector) {
        this.connector = connector;
    }

    /** The open connection, connecting first if needed. */
    public RedisConnection get() {
        RedisConnection c = current;
        if (c != null && c.isOpen()) {
            return c;
        }
        int seen = attempts;
        try (Held ignored = lock.acquire()) {
            if (closed) {
                throw new RedisConnectionError("the client was closed");
            }
            c = current;
            if (c != null && c.isOpen()) {
                return c;
            }
            if (attempts != seen && lastError != null) {
                throw new RedisConnectionError(lastError.getMessage(), lastError);
            }
            attempts++;
            try {
                current = connector.open();
                lastError = null;
                return current;
            } catch (RedisConnectionError e) {
                lastError = e;
                throw e;
            }
        }
    }

    /** The connection if one is open, without connecting. */
    public RedisConnection currentOrNull() {
        return current != null && current.isOpen() ? current : null;
    }

    public void close() {
        closed = true;
        if (current != null) {
            current.close();
        }
    }
}
