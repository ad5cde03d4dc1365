package dev.spindle.gen;

import java.util.Iterator;

/**
 * An iterator whose {@link #hasNext()}, {@link #next()} and {@link #close()} may suspend the calling coroutine
 * (Python's {@code AsyncIterator}: {@code __anext__} and {@code aclose}). It is an ordinary {@link Iterator} used from
 * a coroutine: the suspension parks only that coroutine, and the loop runs others meanwhile.
 *
 * {@snippet :
 * try (AsyncIterator<Line> lines = readLines(socket)) { // closed even when the loop stops early
 *     for (Line line : lines) {
 *         if (line.isBlank()) {
 *             break; // close() runs the producer's cleanup
 *         }
 *         handle(line);
 *     }
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Call it from a coroutine. An implementation bound to a loop (most are) fails with
 *       {@link IllegalStateException} when used from a plain thread or from another loop.
 *   <li>{@link #hasNext()} may fetch the next value and keep it for {@link #next()}; calling it twice fetches once.
 *   <li>{@link #close()} releases what the iteration holds (a producer, a subscription) and may suspend while it
 *       does; afterwards {@code hasNext()} returns {@code false}. Closing twice does nothing more. It throws no
 *       checked exception, so try-with-resources needs no {@code catch}.
 *   <li>Cancellation: a coroutine cancelled while {@code hasNext()} or {@code next()} waits gets
 *       {@link dev.spindle.task.Cancelled}; each implementation says what the cancel does to its source.
 * </ul>
 *
 * <p>An async iterator is its own {@link AsyncIterable}, as in Python ({@code __aiter__} returns self), so it can
 * stand directly in a for-each loop; a second loop continues where the first stopped.
 *
 * @param <T> the type of the values
 */
public interface AsyncIterator<T> extends Iterator<T>, AsyncIterable<T>, AutoCloseable {
    /**
     * Whether there is a next value; may suspend the calling coroutine until the source has produced it or ended.
     * Rethrows, unchanged, the exception the source failed with.
     */
    @Override
    boolean hasNext();

    /**
     * The next value; may suspend the calling coroutine until the source has produced it.
     *
     * @throws java.util.NoSuchElementException when the source has ended
     */
    @Override
    T next();

    /** Stops the iteration and releases its source; may suspend. Idempotent. */
    @Override
    void close();

    /** This iterator itself: an async iterator is iterated once. */
    @Override
    default AsyncIterator<T> iterator() {
        return this;
    }
}
