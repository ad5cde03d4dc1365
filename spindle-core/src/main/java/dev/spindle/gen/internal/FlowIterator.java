package dev.spindle.gen.internal;

import dev.spindle.gen.AsyncIterator;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Sneaky;
import dev.spindle.task.internal.Suspension;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Not API: a {@link Flow.Subscriber} read by a coroutine as an {@link AsyncIterator}, with Reactive Streams
 * backpressure (behind {@code AsyncIterators.fromPublisher}).
 *
 * <h2>Implementation overview</h2>
 * Signals arrive on the publisher's threads. {@code onNext}, {@code onError} and {@code onComplete} only append to
 * a lock-free inbox (or set a volatile terminal field) and then wake the consuming coroutine, if it is parked, with
 * {@link Suspension#signal} (thread-safe: the wake-up reaches the loop through its inbox). The consumer publishes
 * itself in {@link #waiter} <em>before</em> it re-checks the inbox and parks, and a signal reads {@code waiter}
 * <em>after</em> it has appended, so no wake-up is lost.
 *
 * <p>Every call on the {@link Flow.Subscription} ({@code request}, {@code cancel}) is made on the loop's thread, so
 * they are serial (§2.7); the only exception is cancelling a subscription that arrives after {@link #close()}, which
 * then never saw a request. Demand: {@code prefetch} is requested up front; once half of it has been consumed, that
 * many are requested again, so items buffered plus items requested but not yet delivered never exceed
 * {@code prefetch}.
 */
public final class FlowIterator<T> implements AsyncIterator<T>, Flow.Subscriber<T> {
    private final Flow.Publisher<? extends T> publisher;
    private final int prefetch;
    private final int batch;

    private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    /** Set by close() or by a protocol violation: the subscription is (to be) cancelled exactly once. */
    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** The coroutine parked waiting for a signal, or null. */
    private volatile Task<?> waiter;

    private volatile boolean completed;
    private volatile Throwable error;
    /** Items requested so far: raised on the loop's thread before each request, read by onNext. */
    private final AtomicLong requested = new AtomicLong();
    /** Items delivered so far. */
    private final AtomicLong delivered = new AtomicLong();
    /** The publisher delivered more than was requested (§1.1); the consumer fails the iteration. */
    private volatile boolean overflowed;

    // Loop-confined.
    private EventLoop loop;
    private boolean subscribed;
    private boolean requestedUpFront;
    private boolean closed;
    private boolean errorDelivered;
    /** Items taken since the last request. */
    private int consumed;

    public FlowIterator(Flow.Publisher<? extends T> publisher, int prefetch) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, not " + prefetch);
        }
        this.prefetch = prefetch;
        this.batch = Math.max(1, prefetch / 2);
    }

    // ---- the consumer's side (a coroutine on the loop) ---------------------------------------------------

    @Override
    public boolean hasNext() {
        Task<?> self = checkCaller("hasNext");
        if (!items.isEmpty()) {
            return true;
        }
        if (closed) {
            return false;
        }
        if (!subscribed) {
            subscribed = true;
            try {
                publisher.subscribe(this);
            } catch (Throwable e) { // a broken publisher (§1.9): the iteration ends with its exception
                fail(e);
                errorDelivered = true;
                throw e;
            }
        }
        if (waiter != null) {
            throw new IllegalStateException("another coroutine already waits on this iterator");
        }
        try {
            while (true) {
                waiter = self;
                Flow.Subscription s = subscription.get();
                if (s != null && !requestedUpFront && !cancelled.get()) {
                    requestedUpFront = true;
                    request(s, prefetch);
                }
                if (overflowed && error == null) {
                    IllegalStateException e = new IllegalStateException(
                            "the Flow.Publisher delivered more items than were requested (§1.1)");
                    fail(e);
                    errorDelivered = true;
                    throw e;
                }
                if (!items.isEmpty()) {
                    return true;
                }
                if (closed) {
                    return false; // closed by another coroutine meanwhile
                }
                Throwable e = error;
                if (completed || e != null) {
                    // the terminal signal follows the last items (§1.3): read it first, then look at the items again
                    if (!items.isEmpty()) {
                        return true;
                    }
                    if (e == null || errorDelivered) {
                        return false;
                    }
                    errorDelivered = true; // thrown once, then the iteration has simply ended
                    throw Sneaky.rethrow(e);
                }
                Suspension.park(self);
                Suspension.checkCancel(self); // nothing was taken: an item that arrived stays queued
            }
        } finally {
            waiter = null;
        }
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the publisher has completed");
        }
        T item = items.poll();
        if (++consumed >= batch && !cancelled.get() && !completed && error == null) {
            int n = consumed;
            consumed = 0;
            request(subscription.get(), n);
        }
        return item;
    }

    private void request(Flow.Subscription s, int n) {
        requested.addAndGet(n); // before the request, so that no item it lets through looks unrequested
        s.request(n);
    }

    /** Cancels the subscription and ends the iteration; items buffered are dropped. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (loop != null) {
            checkCaller("close");
        }
        closed = true;
        items.clear();
        cancelSubscription();
        Task<?> w = waiter;
        if (w != null) {
            Suspension.signal(w);
        }
    }

    private void cancelSubscription() {
        if (cancelled.compareAndSet(false, true)) {
            Flow.Subscription s = subscription.get();
            if (s != null) {
                s.cancel(); // otherwise onSubscribe cancels it when it arrives
            }
        }
    }

    /** A protocol violation by the publisher: cancel and end the iteration with {@code e}. */
    private void fail(Throwable e) {
        if (error == null) {
            error = e;
        }
        items.clear();
        cancelSubscription();
    }

    private Task<?> checkCaller(String what) {
        Task<?> self = Suspension.currentTask("AsyncIterator." + what + "()");
        EventLoop here = (EventLoop) self.loop();
        if (loop == null) {
            loop = here;
        } else if (loop != here) {
            throw new IllegalStateException("this iterator over a Flow.Publisher is read on " + loop.name()
                    + " and cannot be used from a coroutine of " + here.name());
        }
        return self;
    }

    // ---- the publisher's side (any thread) --------------------------------------------------------------

    @Override
    public void onSubscribe(Flow.Subscription s) {
        Objects.requireNonNull(s, "subscription"); // §2.13
        if (!subscription.compareAndSet(null, s)) {
            s.cancel(); // §2.5: a second subscription is refused
            return;
        }
        if (cancelled.get()) {
            s.cancel(); // closed before the subscription arrived (close() saw none to cancel)
            return;
        }
        wake(); // the consumer makes the first request, on the loop's thread
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "item"); // §2.13
        if (cancelled.get()) {
            return; // §2.8: items may still arrive after cancel; they are dropped
        }
        if (delivered.incrementAndGet() > requested.get()) {
            overflowed = true; // the consumer fails the iteration (and cancels) on the loop's thread
        } else {
            items.add(item);
        }
        wake();
    }

    @Override
    public void onError(Throwable throwable) {
        Objects.requireNonNull(throwable, "throwable"); // §2.13
        if (error == null) {
            error = throwable;
        }
        wake();
    }

    @Override
    public void onComplete() {
        completed = true;
        wake();
    }

    private void wake() {
        Task<?> w = waiter;
        if (w != null) {
            Suspension.signal(w);
        }
    }
}
