package dev.spindle.redis.internal;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import dev.spindle.observe.PoolCounters;
import dev.spindle.redis.RedisCommand;
import dev.spindle.redis.RedisConfig;
import dev.spindle.redis.RedisConnectionError;
import dev.spindle.redis.RedisPoolExhausted;
import dev.spindle.sync.LoopSemaphore;
import dev.spindle.time.TimedOut;
import java.util.ArrayDeque;

/**
 * A bounded pool of connections of one loop. {@link #acquire()} waits (fairly, FIFO) up to the pool timeout for a
 * free connection, then fails with {@link RedisPoolExhausted}; a connection idle past the health-check interval is
 * PINGed before it is handed out, one older than the max lifetime is closed; {@link #release} closes a connection
 * that failed or carries state (a transaction, WATCH) instead of keeping it.
 *
 * <p>A connection given back with replies still due to cancelled callers is kept: its FIFO drops those replies
 * before any for the next borrower (see {@link RedisConnection}). Loop-confined.
 */
public final class ConnectionPool {
    private final Connector connector;
    private final RedisConfig config;
    private final LoopSemaphore permits;
    /** Idle connections, most recently used last (handed out LIFO: warm sockets first, cold ones age out). */
    private final ArrayDeque<RedisConnection> idle = new ArrayDeque<>();

    private int open;
    private boolean closed;
    /** The pool's figures for {@link dev.spindle.observe.Metrics} (kind {@code redis}), registered until close. */
    private final PoolCounters counters;

    public ConnectionPool(Connector connector) {
        this.connector = connector;
        this.config = connector.config();
        this.permits = new LoopSemaphore(config.poolSize());
        this.counters = PoolCounters.register("redis", config.clientName().orElse(config.address()), config.poolSize());
    }

    public RedisConnection acquire() {
        if (closed) {
            throw new RedisConnectionError("the client was closed");
        }
        long waitStart = System.nanoTime();
        counters.addWaiters(1);
        try {
            Spindle.withTimeout(config.poolTimeout(), () -> {
                permits.acquire();
            });
        } catch (TimedOut e) {
            throw new RedisPoolExhausted("all " + config.poolSize() + " connections to Redis at " + config.address()
                    + " stayed busy for " + config.poolTimeout() + " (pool_size, pool_timeout); nothing was sent");
        } finally {
            counters.addWaiters(-1);
        }
        try {
            Loop loop = Loop.current();
            RedisConnection c;
            while ((c = idle.pollLast()) != null) {
                long now = loop.nanoTime();
                if (!c.isOpen() || now - c.createdNanos() > config.maxLifetime().toNanos()) {
                    discard(c);
                    continue;
                }
                if (now - c.lastUsedNanos() > config.healthCheckInterval().toNanos() && !healthy(c)) {
                    discard(c);
                    continue;
                }
                return lent(c, waitStart);
            }
            c = connector.open();
            open++;
            counters.addSize(1);
            return lent(c, waitStart);
        } catch (Throwable t) {
            permits.release();
            throw t;
        }
    }

    private RedisConnection lent(RedisConnection c, long waitStart) {
        counters.acquired(System.nanoTime() - waitStart);
        counters.addInUse(1);
        return c;
    }

    private boolean healthy(RedisConnection c) {
        try {
            Object pong = c.call(RedisCommand.of("PING"), config.connectTimeout());
            return "PONG".equals(pong);
        } catch (RedisConnectionError | TimedOut e) {
            return false;
        }
    }

    public void release(RedisConnection c) {
        counters.addInUse(-1);
        if (c.isOpen() && !c.isDirty() && !closed) {
            idle.addLast(c);
        } else {
            discard(c);
        }
        permits.release();
    }

    private void discard(RedisConnection c) {
        c.close();
        open--;
        counters.addSize(-1);
    }

    /** Connections open now, idle or lent. */
    public int size() {
        return open;
    }

    public int idle() {
        return idle.size();
    }

    public void close() {
        closed = true;
        counters.close();
        RedisConnection c;
        while ((c = idle.pollFirst()) != null) {
            discard(c);
        }
    }
}
