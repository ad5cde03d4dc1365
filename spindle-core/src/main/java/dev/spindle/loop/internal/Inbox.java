package dev.spindle.loop.internal;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Work handed to the loop by other threads: coroutines woken by the JDK's I/O poller or timer threads, by
 * coroutines of other loops, and {@code callSoonThreadsafe} callbacks. Many producers, one consumer (the loop).
 *
 * <p>The loop parks on the inbox when it has nothing ready. The handshake needs no lock: the loop sets
 * {@code parked} and then re-checks the queue before parking, and a producer enqueues and then reads
 * {@code parked}; both are volatile, so either the loop sees the new entry or the producer sees the loop parked
 * and unparks it (a permit given before the park is kept, so the wake-up is never lost).
 */
final class Inbox {
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private volatile boolean parked;
    private volatile Thread owner;
    /** The loop's I/O poller while the owner waits in it ({@link #awaitOn}); woken instead of unparking. */
    private volatile IoPoller waitingIn;

    void setOwner(Thread owner) {
        this.owner = owner;
    }

    void add(Runnable r) {
        queue.offer(r);
        if (parked) {
            wake();
        }
    }

    /** Wakes the owner if it is parked here or polling I/O, for instance to notice a stop request. */
    void wake() {
        IoPoller io = waitingIn;
        if (io != null) {
            io.wakeup();
        }
        Thread t = owner;
        if (t != null) {
            LockSupport.unpark(t); // also ends a sub-millisecond park of a poller (see SelectorPoller)
        }
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Moves everything queued so far into {@code ready}, in arrival order. */
    void drainTo(ArrayDeque<Runnable> ready) {
        Runnable r;
        while ((r = queue.poll()) != null) {
            ready.add(r);
        }
    }

    /**
     * Parks the calling (owner) thread until something arrives or {@code nanos} pass; a negative value waits
     * without a deadline.
     */
    /**
     * {@link #await} for a loop with an I/O poller: waits in {@code io.poll} instead of parking, with the same
     * handshake ({@code waitingIn} is set before {@code parked}, so a producer that sees {@code parked} wakes the
     * poller).
     */
    void awaitOn(IoPoller io, long nanos) {
        waitingIn = io;
        parked = true;
        try {
            io.poll(queue.isEmpty() ? nanos : 0);
        } finally {
            parked = false;
            waitingIn = null;
        }
    }

    void await(long nanos) {
        parked = true;
        try {
            if (queue.isEmpty()) {
                if (nanos < 0) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, nanos);
                }
            }
        } finally {
            parked = false;
        }
    }
}
