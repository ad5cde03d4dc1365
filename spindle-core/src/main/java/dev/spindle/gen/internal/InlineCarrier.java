package dev.spindle.gen.internal;

import dev.spindle.loop.internal.Carrier;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Not API: a platform thread lending itself as the carrier of virtual threads while it waits for them. A
 * {@link dev.spindle.gen.Generator} consumed on a plain thread, or a {@link dev.spindle.gen.Greenlet} group rooted
 * on one, runs its virtual threads here: the JDK hands their continuations to {@link #execute}, and the owner runs
 * them in {@link #runUntil}, so a producer runs on the consumer's own thread, between its request and its next
 * yield, with no thread handoff.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>One carrier per platform thread ({@link #current()}); only its owner calls {@link #runUntil}. A virtual
 *       thread's continuation cannot run on a virtual thread (the JDK throws {@code WrongThreadException}), hence
 *       platform threads only.
 *   <li>{@link #execute} may be called from any thread: by the owner itself (starting or unparking a virtual
 *       thread), by a virtual thread mounted on the owner, or by another thread (the JDK's timer when a
 *       {@code Thread.sleep} ends, a thread unparking one of ours). Only the last case wakes the owner.
 *   <li>Continuations handed over while the owner is not waiting stay queued and run the next time it waits; a
 *       continuation that is no longer runnable when it runs is a no-op (the JDK checks the thread's state).
 * </ul>
 */
public final class InlineCarrier implements Executor {
    private static final ThreadLocal<InlineCarrier> CARRIERS = new ThreadLocal<>();

    /**
     * What {@link #runUntil} waits for. Implementations say when the wait is over, and what an interrupt of the
     * owner means while it waits (typically: interrupt the virtual thread that it waits for).
     */
    public interface Wait {
        boolean isOver();

        void ownerInterrupted();
    }

    /**
     * A virtual thread that Spindle runs on a scheduler of its choosing (a generator's producer, a greenlet). Such
     * a thread's uncaught-exception handler implements this interface, so that a generator consumed by it can run
     * its own producer on the same scheduler instead of hopping to another thread.
     */
    public interface Guest {
        /** Where this thread's continuations run now. */
        Executor scheduler();
    }

    private final Thread owner;
    /** The common case holds one continuation: this slot avoids a queue node per handoff. */
    private final AtomicReference<Runnable> slot = new AtomicReference<>();

    private final ConcurrentLinkedQueue<Runnable> overflow = new ConcurrentLinkedQueue<>();

    private InlineCarrier(Thread owner) {
        this.owner = owner;
    }

    /**
     * The carrier of the current platform thread, made on first use.
     *
     * @throws IllegalStateException on a virtual thread
     */
    public static InlineCarrier current() {
        InlineCarrier c = CARRIERS.get();
        if (c == null) {
            Thread me = Thread.currentThread();
            if (me.isVirtual()) {
                throw new IllegalStateException("a virtual thread cannot carry another one: " + me);
            }
            c = new InlineCarrier(me);
            CARRIERS.set(c);
        }
        return c;
    }

    /** The platform thread that runs what this carrier is handed. */
    public Thread owner() {
        return owner;
    }

    /** Queues a continuation for the owner; wakes the owner if called from another thread. */
    @Override
    public void execute(Runnable continuation) {
        if (!slot.compareAndSet(null, continuation)) {
            overflow.add(continuation);
        }
        wakeOwner();
    }

    /** Unparks the owner, unless the caller runs on it (then the owner is busy and will look at the queue). */
    public void wakeOwner() {
        if (Thread.currentThread() != owner && Carrier.currentCarrier() != owner) {
            LockSupport.unpark(owner);
        }
    }

    /**
     * Runs queued continuations on the owner until {@code w} is over. Parks while nothing is queued. An interrupt
     * of the owner that arrives while it parks is passed to {@link Wait#ownerInterrupted}; the owner's interrupt
     * status is restored on return (mounting a virtual thread clears the carrier's).
     */
    public void runUntil(Wait w) {
        boolean interrupted = Thread.interrupted();
        try {
            while (!w.isOver()) {
                Runnable r = slot.getAndSet(null);
                if (r == null) {
                    r = overflow.poll();
                }
                if (r != null) {
                    r.run();
                    continue;
                }
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                    w.ownerInterrupted();
                }
            }
        } finally {
            if (interrupted) {
                owner.interrupt();
            }
        }
    }
}
