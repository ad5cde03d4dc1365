package dev.spindle.gen;

import dev.spindle.gen.internal.FlowIterator;
import dev.spindle.gen.internal.FlowPublisher;
import dev.spindle.loop.Loop;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Tasks;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * Async iteration from and to other shapes: {@link Flow.Publisher}s (Reactive Streams, both ways, with
 * backpressure), and futures in the order they finish.
 *
 * {@snippet :
 * // a Flow.Publisher read by a coroutine, 32 items requested at a time
 * try (AsyncIterator<Quote> quotes = AsyncIterators.fromPublisher(feed, 32)) {
 *     for (Quote q : quotes) {
 *         store(q); // may await: the publisher gets no further demand meanwhile
 *     }
 * }
 *
 * // an async generator served to Flow subscribers on any thread
 * Flow.Publisher<Row> rows = AsyncIterators.toPublisher(() -> AsyncGenerator.of(out -> {
 *     for (Row r : database.query("select ...")) {
 *         out.yield(r);
 *     }
 * }), loop);
 * }
 */
public final class AsyncIterators {
    /** The number of items {@link #fromPublisher(Flow.Publisher)} requests up front. */
    public static final int DEFAULT_PREFETCH = 256;

    private AsyncIterators() {}

    // ---- Flow.Publisher -> AsyncIterator ----------------------------------------------------------------

    /** {@link #fromPublisher(Flow.Publisher, int)} with {@link #DEFAULT_PREFETCH}. */
    public static <T> AsyncIterator<T> fromPublisher(Flow.Publisher<? extends T> publisher) {
        return fromPublisher(publisher, DEFAULT_PREFETCH);
    }

    /**
     * Reads {@code publisher} from a coroutine, with real backpressure: the iterator subscribes at its first
     * {@code hasNext()}, requests {@code prefetch} items, and requests more only as the coroutine takes them (half
     * of {@code prefetch} at a time), so it never holds more than {@code prefetch} items, delivered or promised.
     *
     * <ul>
     *   <li>Signals may come on any thread; they are queued and wake the coroutine through its loop. Requests and
     *       the cancel are made on the loop's thread.
     *   <li>{@code onError} makes {@code hasNext()} throw that exception (unchanged, once), after the items that came
     *       before it.
     *   <li>{@link AsyncIterator#close()} cancels the subscription and drops the items buffered; close it (with
     *       try-with-resources) when the loop may stop early, or the publisher keeps the subscription open.
     *   <li>A coroutine cancelled while it waits for an item gets {@link dev.spindle.task.Cancelled}; the
     *       subscription stays open and an item that had already arrived stays queued for the next {@code next()}.
     *   <li>Reactive Streams rules: a second {@code onSubscribe} is cancelled (§2.5), {@code null} signals throw
     *       {@link NullPointerException} (§2.13), a publisher that delivers more than requested fails the iteration
     *       with {@link IllegalStateException} (§1.1).
     *   <li>Like a generator, the iterator belongs to the loop of its first {@code hasNext()}.
     * </ul>
     *
     * @throws IllegalArgumentException if {@code prefetch < 1}
     */
    public static <T> AsyncIterator<T> fromPublisher(Flow.Publisher<? extends T> publisher, int prefetch) {
        return new FlowIterator<>(publisher, prefetch);
    }

    // ---- AsyncIterable -> Flow.Publisher ----------------------------------------------------------------

    /** {@link #toPublisher(AsyncIterable, Loop)} on the current loop. */
    public static <T> Flow.Publisher<T> toPublisher(AsyncIterable<? extends T> source) {
        return toPublisher(source, Loop.current());
    }

    /**
     * Serves {@code source} as a {@link Flow.Publisher} whose subscribers may live on any thread. Each subscription
     * runs a coroutine on {@code loop} that calls {@code source.iterator()} and pulls the next item only while the
     * subscriber's demand is positive, so a slow subscriber slows the source down instead of filling a buffer.
     *
     * <ul>
     *   <li>Every subscription gets its own iterator: give a lambda such as {@code () -> AsyncGenerator.of(body)} to
     *       make a fresh generator per subscriber. A single {@link AsyncGenerator} (its own iterable) serves one
     *       subscriber; a second one fails with its {@link IllegalStateException}, or completes at once if the first
     *       has exhausted it.
     *   <li>Signals ({@code onSubscribe}, {@code onNext}, {@code onComplete}, {@code onError}) are made one at a time
     *       from that coroutine, on the loop's thread: a subscriber should hand heavy work to its own thread, or it
     *       holds the loop (a blocking JDK call in a signal parks only the coroutine).
     *   <li>{@code request(n)} and {@code cancel()} may be called from any thread, also from within
     *       {@code onNext}; demand adds up and saturates at {@code Long.MAX_VALUE} (unbounded, §3.17);
     *       {@code request(n <= 0)} ends the subscription with {@link IllegalArgumentException} (§3.9).
     *   <li>The source's failure is passed to {@code onError}, its end to {@code onComplete}. A cancel stops the pull
     *       (interrupting a wait for the next item) and closes the iterator; so does the end of the subscription.
     *   <li>If {@code loop} shuts down first ({@code Spindle.run} cancels the coroutine), the subscriber gets
     *       {@code onError} with a {@link dev.spindle.task.Cancelled}; if the loop is already closed, it gets
     *       {@code onSubscribe} and then {@code onError} with an {@link IllegalStateException}.
     * </ul>
     *
     * @param loop the loop that runs the source; {@code subscribe} may be called from any thread
     */
    public static <T> Flow.Publisher<T> toPublisher(AsyncIterable<? extends T> source, Loop loop) {
        return new FlowPublisher<>(source, (EventLoop) Objects.requireNonNull(loop, "loop"));
    }

    // ---- futures as they finish -------------------------------------------------------------------------

    /** {@link #asCompleted(Collection, Duration)} with no timeout. */
    public static <F extends LoopFuture<?>> AsyncIterable<F> asCompleted(Collection<? extends F> futures) {
        return asCompleted(futures, null);
    }

    /**
     * The futures in the order they finish (asyncio's {@code as_completed}), as an {@link AsyncIterable}: each
     * {@code next()} parks the current coroutine until another future is done and returns it. This is
     * {@link Tasks#asCompleted(Collection, Duration)} with {@link AsyncIterator#close()}: after {@code close()},
     * {@code hasNext()} is {@code false}. Each {@code iterator()} starts a new iteration over all the futures.
     *
     * @param timeout how long an iteration may take, or {@code null}; when it passes, {@code next()} throws
     *     {@link dev.spindle.time.TimedOut} (the futures keep running)
     */
    public static <F extends LoopFuture<?>> AsyncIterable<F> asCompleted(
            Collection<? extends F> futures, Duration timeout) {
        Iterable<F> iterable = Tasks.asCompleted(futures, timeout);
        return () -> new Closable<>(iterable.iterator());
    }

    /** An iterator given a close() that ends it. */
    private static final class Closable<T> implements AsyncIterator<T> {
        private final Iterator<T> inner;
        private boolean closed;

        Closable(Iterator<T> inner) {
            this.inner = inner;
        }

        @Override
        public boolean hasNext() {
            return !closed && inner.hasNext();
        }

        @Override
        public T next() {
            if (closed) {
                throw new NoSuchElementException("closed");
            }
            return inner.next();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
