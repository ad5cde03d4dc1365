package dev.spindle.http.client.internal;

import dev.spindle.http.client.HttpTimeout.Phase;
import dev.spindle.http.client.PoolLimits;
import dev.spindle.loop.Loop;
import dev.spindle.loop.TimerHandle;
import dev.spindle.observe.PoolCounters;
import dev.spindle.task.LoopFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The connections of one client on one loop, by origin, within {@link PoolLimits}. Loop-confined: every method runs
 * on the pool's loop, and only {@link #acquire} waits (for a connection, for a connect), so plain fields need no lock.
 *
 * <h2>Counting</h2>
 * A connection counts against the limits from the moment a slot is reserved for it (before connecting) until it is
 * closed: {@code total} and each origin's {@code open} include connecting, busy and idle connections.
 *
 * <h2>Waiting</h2>
 * A request that finds no idle connection and no room waits in a FIFO queue. A released connection goes straight to
 * the first waiter for its origin; a freed slot (a connection closed) goes to the first waiter that may use it, as a
 * reservation. A waiter cancelled or timed out after being granted something gives it back, so nothing leaks.
 *
 * <h2>Idle connections</h2>
 * Reused newest first (the least likely to have been closed by the server); checked for staleness before reuse;
 * closed past {@link PoolLimits#keepAliveExpiry()} by a sweep timer, and beyond {@link PoolLimits#maxIdleConnections()}
 * when released.
 */
public final class ConnectionPool {
    /** Opens a new connection to an origin (the connect phase's timeouts apply inside). */
    @FunctionalInterface
    public interface Connector {
        ClientConnection connect(Origin origin, Deadline deadline);
    }

    private static final Object SLOT = new Object();

    private static final class PerOrigin {
        final ArrayDeque<ClientConnection> idle = new ArrayDeque<>();
        int open;
    }

    private record Waiter(Origin origin, LoopFuture<Object> grant) {}

    private final Loop loop;
    private final PoolLimits limits;
    private final Connector connector;
    private final long expiryNanos;

    private final Map<Origin, PerOrigin> origins = new HashMap<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int total;
    private int idleTotal;
    private TimerHandle sweep;
    private boolean closed;

    /** The figures {@link dev.spindle.observe.Metrics} reads (kind {@code http}), registered until {@link #close()}. */
    private final PoolCounters counters;
    /** What {@link #counters} was last told (see {@link #publish()}). */
    private int publishedSize, publishedInUse, publishedWaiters;

    /**
     * A pool registered with {@link dev.spindle.observe.Metrics} as {@code name} (suffixed {@code #2}... when taken).
     */
    public ConnectionPool(Loop loop, PoolLimits limits, Connector connector, String name) {
        this.loop = loop;
        this.limits = limits;
        this.connector = connector;
        this.expiryNanos = limits.keepAliveExpiry().toNanos();
        this.counters = PoolCounters.register("http", name, limits.maxConnections());
    }

    /**
     * Brings {@link #counters} up to date after a change: the pool's own counts are plain loop-confined fields, the
     * counters hold the deltas since the last publish (an atomic add each, only for what changed).
     */
    private void publish() {
        int size = total;
        int inUse = total - idleTotal;
        int waiting = waiters.size();
        if (size != publishedSize) {
            counters.addSize(size - publishedSize);
            publishedSize = size;
        }
        if (inUse != publishedInUse) {
            counters.addInUse(inUse - publishedInUse);
            publishedInUse = inUse;
        }
        if (waiting != publishedWaiters) {
            counters.addWaiters(waiting - publishedWaiters);
            publishedWaiters = waiting;
        }
    }

    /** Stops reporting to {@link dev.spindle.observe.Metrics} (from any thread: for a pool whose loop is gone). */
    public void unregister() {
        counters.close();
    }

    /** Open connections (connecting, busy or idle). */
    public int total() {
        return total;
    }

    public int idle() {
        return idleTotal;
    }

    public int waiting() {
        return waiters.size();
    }

    /**
     * A connection to {@code origin}: an idle one that still looks alive, else a new one if the limits allow, else
     * the first to come free within the pool timeout.
     *
     * @throws dev.spindle.http.client.HttpTimeout (POOL) when none comes in time; (CONNECT) for a slow connect
     * @throws IllegalStateException if the pool is closed
     */
    public ClientConnection acquire(Origin origin, Deadline deadline) {
        long start = System.nanoTime();
        try {
            ClientConnection c = acquireUnmeasured(origin, deadline);
            counters.acquired(System.nanoTime() - start);
            return c;
        } finally {
            publish();
        }
    }

    private ClientConnection acquireUnmeasured(Origin origin, Deadline deadline) {
        while (true) {
            checkOpen();
            PerOrigin o = origins.computeIfAbsent(origin, k -> new PerOrigin());
            ClientConnection c = takeIdle(o);
            if (c != null) {
                return c;
            }
            if (o.open < limits.maxConnectionsPerOrigin() && total < limits.maxConnections()) {
                o.open++;
                total++;
                return connectReserved(origin, o, deadline);
            }
            if (total >= limits.maxConnections() && o.open < limits.maxConnectionsPerOrigin() && evictIdle()) {
                continue; // an idle connection of another origin made room
            }
            Object grant = await(origin, deadline);
            if (grant == SLOT) {
                return connectReserved(origin, origins.get(origin), deadline);
            }
            return (ClientConnection) grant;
        }
    }

    /**
     * Takes back a connection whose exchange is over: kept idle (or handed to a waiter) if {@link
     * ClientConnection#isReusable()}, closed otherwise.
     */
    public void release(ClientConnection c) {
        try {
            releaseUnpublished(c);
        } finally {
            publish();
        }
    }

    private void releaseUnpublished(ClientConnection c) {
        if (closed || !c.isReusable()) {
            discard(c);
            return;
        }
        c.idleSince(loop.nanoTime());
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.grant().isDone()) {
                it.remove();
            } else if (w.origin().equals(c.origin())) {
                it.remove();
                w.grant().setResult(c);
                return;
            }
        }
        if (idleTotal >= limits.maxIdleConnections() || expiryNanos == 0 || firstWaiterNeedingRoom() != null) {
            discard(c); // its slot goes to a waiter for another origin, or the idle set is full
            return;
        }
        origins.get(c.origin()).idle.addLast(c);
        idleTotal++;
        if (sweep == null) {
            sweep = loop.callLater(limits.keepAliveExpiry(), this::sweep);
        }
    }

    /** Closes a connection that must not be reused (an error, a cancellation, a body closed unread). */
    public void discard(ClientConnection c) {
        c.abort();
        if (c.leavePool()) {
            origins.get(c.origin()).open--;
            total--;
            grantSlot();
        }
        publish();
    }

    /** Closes an idle connection (taken out of its idle set by the caller) and stops counting it. */
    private void closeIdle(ClientConnection c, PerOrigin o) {
        c.close();
        if (c.leavePool()) {
            o.open--;
            total--;
        }
    }

    /** Closes idle connections, fails waiters; connections in use are closed when released. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sweep != null) {
            sweep.cancel();
            sweep = null;
        }
        for (PerOrigin o : origins.values()) {
            for (ClientConnection c : o.idle) {
                closeIdle(c, o);
            }
            o.idle.clear();
        }
        idleTotal = 0;
        for (Waiter w : waiters) {
            if (!w.grant().isDone()) {
                w.grant().setException(new IllegalStateException("the HTTP client was closed"));
            }
        }
        waiters.clear();
        publish();
        counters.close();
    }

    public boolean isClosed() {
        return closed;
    }

    // ---- internals ------------------------------------------------------------------------------------------

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the HTTP client is closed");
        }
    }

    private ClientConnection takeIdle(PerOrigin o) {
        ClientConnection c;
        while ((c = o.idle.pollLast()) != null) {
            idleTotal--;
            boolean stale;
            try {
                stale = loop.nanoTime() - c.idleSince() >= expiryNanos || c.isStale();
            } catch (Throwable e) { // cancelled while checking: the connection is ours, so close it
                discard(c);
                throw e;
            }
            if (stale) {
                discard(c);
                continue;
            }
            return c;
        }
        return null;
    }

    private ClientConnection connectReserved(Origin origin, PerOrigin o, Deadline deadline) {
        try {
            return connector.connect(origin, deadline);
        } catch (Throwable e) {
            o.open--;
            total--;
            grantSlot();
            throw e;
        }
    }

    private Object await(Origin origin, Deadline deadline) {
        Waiter w = new Waiter(origin, new LoopFuture<>(loop));
        waiters.addLast(w);
        publish();
        try {
            return deadline.run(Phase.POOL, "a free connection to " + origin + " (pool full)", w.grant()::await);
        } catch (Throwable e) {
            waiters.remove(w);
            if (w.grant().isDone() && !w.grant().isCancelled() && w.grant().exception() == null) {
                giveBack(origin, w.grant().result());
            }
            throw e;
        }
    }

    /** A grant that arrived too late for its cancelled waiter goes to the next one. */
    private void giveBack(Origin origin, Object grant) {
        if (grant == SLOT) {
            origins.get(origin).open--;
            total--;
            grantSlot();
        } else {
            release((ClientConnection) grant);
        }
    }

    /** After a connection closed: the first waiter that may now open one gets a reserved slot. */
    private void grantSlot() {
        if (closed) {
            return;
        }
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.grant().isDone()) {
                it.remove();
                continue;
            }
            PerOrigin o = origins.computeIfAbsent(w.origin(), k -> new PerOrigin());
            if (o.open >= limits.maxConnectionsPerOrigin()) {
                continue; // waits for its own origin's connections
            }
            if (total >= limits.maxConnections() && !evictIdle()) {
                return;
            }
            it.remove();
            o.open++;
            total++;
            w.grant().setResult(SLOT);
            return;
        }
    }

    /** The first waiter blocked by the total limit (not its origin's), or null. */
    private Waiter firstWaiterNeedingRoom() {
        if (total < limits.maxConnections()) {
            return null;
        }
        for (Waiter w : waiters) {
            PerOrigin o = origins.get(w.origin());
            if (!w.grant().isDone() && (o == null || o.open < limits.maxConnectionsPerOrigin())) {
                return w;
            }
        }
        return null;
    }

    /** Closes the oldest idle connection of any origin; whether there was one. */
    private boolean evictIdle() {
        ClientConnection oldest = null;
        PerOrigin from = null;
        for (PerOrigin o : origins.values()) {
            ClientConnection c = o.idle.peekFirst();
            if (c != null && (oldest == null || c.idleSince() < oldest.idleSince())) {
                oldest = c;
                from = o;
            }
        }
        if (oldest == null) {
            return false;
        }
        from.idle.pollFirst();
        idleTotal--;
        closeIdle(oldest, from);
        return true;
    }

    private void sweep() {
        sweep = null;
        if (closed) {
            return;
        }
        long now = loop.nanoTime();
        long next = Long.MAX_VALUE;
        for (PerOrigin o : origins.values()) {
            for (Iterator<ClientConnection> it = o.idle.iterator(); it.hasNext(); ) {
                ClientConnection c = it.next();
                long age = now - c.idleSince();
                if (age >= expiryNanos) {
                    it.remove();
                    idleTotal--;
                    closeIdle(c, o);
                } else {
                    next = Math.min(next, expiryNanos - age);
                }
            }
        }
        if (next != Long.MAX_VALUE) {
            sweep = loop.callLater(Duration.ofNanos(next), this::sweep);
        }
        grantSlot();
        publish();
    }

    @Override
    public String toString() {
        return "ConnectionPool[" + total + " open, " + idleTotal + " idle, " + waiters.size() + " waiting]";
    }
}
