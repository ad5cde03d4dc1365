package dev.spindle.gen.internal;

import dev.spindle.gen.AsyncIterable;
import dev.spindle.gen.AsyncIterator;
import dev.spindle.loop.ExceptionContext;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not API: an {@link AsyncIterable} served as a {@link Flow.Publisher} (behind {@code AsyncIterators.toPublisher}).
 *
 * <h2>Implementation overview</h2>
 * Each subscription is a {@link Pump}: a coroutine on the publisher's loop that calls {@code onSubscribe}, takes a
 * fresh iterator from the source, and then pulls one item at a time, only while the subscriber's demand is
 * positive, calling {@code onNext} for each; it ends with {@code onComplete}, {@code onError}, or silently after a
 * cancel, and always closes its iterator. All signals come from that one coroutine, so they are serial (§1.3) and
 * run on the loop's thread.
 *
 * <p>{@code request} and {@code cancel} may come from any thread: demand is an {@link AtomicLong} that saturates at
 * {@code Long.MAX_VALUE} (§3.17), and a request wakes the pump with {@link Suspension#signal}. A cancel is carried
 * out on the loop's thread (forwarded there if need be), where it can tell for sure whether the pump is waiting for
 * the source: if so it cancels the pump's task, so that a long wait (a generator awaiting a socket) ends at once;
 * the pump then withdraws that cancellation before closing the source, so that the source's cleanup is not
 * cancelled too.
 */
public final class FlowPublisher<T> implements Flow.Publisher<T> {
    private final AsyncIterable<? extends T> source;
    private final EventLoop loop;

    public FlowPublisher(AsyncIterable<? extends T> source, EventLoop loop) {
        this.source = Objects.requireNonNull(source, "source");
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // §1.9
        Pump<T> pump = new Pump<>(source, subscriber, loop);
        try {
            loop.callSoonThreadsafe(pump::start);
        } catch (IllegalStateException closed) {
            // §1.9: onSubscribe comes first, even for a subscription that fails at once
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {}
            });
            subscriber.onError(new IllegalStateException("the publisher's loop " + loop.name() + " is closed"));
        }
    }

    @Override
    public String toString() {
        return "FlowPublisher[" + source + " on " + loop.name() + "]";
    }

    private static final class Pump<T> implements Flow.Subscription {
        private final AsyncIterable<? extends T> source;
        private final EventLoop loop;
        private Flow.Subscriber<? super T> subscriber;

        private final AtomicLong demand = new AtomicLong();
        private final AtomicBoolean cancelOnce = new AtomicBoolean();
        private volatile boolean cancelled;
        /** A request of {@code n <= 0} came (§3.9); the pump signals onError. */
        private volatile boolean badRequest;

        private volatile long badN;
        /** The pump is inside the source's hasNext()/next(). Loop-confined. */
        private boolean inSource;
        /** cancel() cancelled the pump's task. Loop-confined. */
        private boolean taskCancelled;

        private volatile Task<?> task;

        Pump(AsyncIterable<? extends T> source, Flow.Subscriber<? super T> subscriber, EventLoop loop) {
            this.source = source;
            this.subscriber = subscriber;
            this.loop = loop;
        }

        void start() {
            task = Task.spawn(loop, "flow-publisher", this::run);
        }

        // ---- Subscription: any thread ---------------------------------------------------------------------

        @Override
        public void request(long n) {
            if (cancelled) {
                return; // §3.6
            }
            if (n <= 0) {
                badN = n;
                badRequest = true;
            } else {
                demand.getAndUpdate(d -> d + n < 0 ? Long.MAX_VALUE : d + n); // §3.17: saturate
            }
            wake();
        }

        @Override
        public void cancel() {
            if (!cancelOnce.compareAndSet(false, true)) {
                return; // §3.5, §3.7
            }
            cancelled = true;
            if (loop.inLoopThread()) {
                cancelOnLoop();
            } else {
                try {
                    loop.callSoonThreadsafe(this::cancelOnLoop);
                } catch (IllegalStateException closed) {
                    // the loop is closed: the pump will never run again
                }
            }
        }

        private void cancelOnLoop() {
            Task<?> t = task;
            if (inSource && t != null && !t.isDone()) {
                taskCancelled = true;
                t.cancel("the subscription was cancelled"); // ends a long wait for the source at once
            } else {
                wake();
            }
        }

        private void wake() {
            Task<?> t = task;
            if (t != null) {
                Suspension.signal(t);
            }
        }

        // ---- the pump: a coroutine on the loop --------------------------------------------------------------

        private void run() {
            Task<?> self = Task.current();
            Flow.Subscriber<? super T> s = subscriber;
            try {
                s.onSubscribe(this);
            } catch (Throwable e) {
                violation("onSubscribe", e); // §2.13: the subscriber is broken; treat it as cancelled
                return;
            }
            AsyncIterator<? extends T> it = null;
            Throwable error = null;
            boolean complete = false;
            try {
                if (!cancelled) {
                    it = source.iterator();
                }
                while (!cancelled) {
                    if (badRequest) {
                        error = new IllegalArgumentException(
                                "§3.9: Subscription.request must be called with a positive number, not " + badN);
                        break;
                    }
                    if (demand.get() == 0) {
                        Suspension.park(self);
                        Suspension.checkCancel(self);
                        continue;
                    }
                    boolean has;
                    T item = null;
                    inSource = true;
                    try {
                        if (cancelled) {
                            break;
                        }
                        has = it.hasNext();
                        if (has) {
                            item = it.next();
                        }
                    } finally {
                        inSource = false;
                    }
                    if (cancelled) {
                        break; // the item, if any, is dropped: nobody wants it
                    }
                    if (!has) {
                        complete = true;
                        break;
                    }
                    demand.getAndUpdate(d -> d == Long.MAX_VALUE ? d : d - 1); // §3.17: MAX_VALUE means unbounded
                    try {
                        s.onNext(item);
                    } catch (Throwable e) {
                        violation("onNext", e);
                        break;
                    }
                }
            } catch (Throwable e) {
                if (!cancelled) {
                    error = e; // the source failed, or the pump was cancelled (the loop is shutting down)
                }
            } finally {
                if (taskCancelled) {
                    // cancel() cancelled this task, and the request may not have been delivered: withdraw it, so that
                    // closing the source below is not cancelled as well
                    taskCancelled = false;
                    self.uncancel();
                }
            }
            if (it != null) {
                try {
                    it.close();
                } catch (Throwable e) {
                    if (error == null && !complete && !cancelled) {
                        error = e;
                    } else {
                        loop.callExceptionHandler(
                                new ExceptionContext("closing the source of a Flow.Publisher failed", e, it));
                    }
                }
            }
            subscriber = null; // §3.13: drop the reference to the subscriber
            if (cancelled) {
                return; // §1.8: after cancel, signals stop
            }
            try {
                if (error != null) {
                    cancelled = true; // §1.6: the subscription is over
                    s.onError(error);
                } else if (complete) {
                    cancelled = true;
                    s.onComplete();
                }
            } catch (Throwable e) {
                loop.callExceptionHandler(
                        new ExceptionContext("a Flow.Subscriber threw from onError or onComplete (§2.13)", e, s));
            }
        }

        private void violation(String signal, Throwable e) {
            cancelled = true;
            cancelOnce.set(true);
            loop.callExceptionHandler(new ExceptionContext(
                    "a Flow.Subscriber threw from " + signal + " (§2.13); its subscription is cancelled",
                    e,
                    subscriber));
        }
    }
}
