package dev.spindle.gen;

/**
 * Something a coroutine can iterate with {@code for}, where fetching each value may suspend it (Python's
 * {@code AsyncIterable}: {@code __aiter__}). Iterating it is an ordinary for-each loop inside a coroutine.
 *
 * {@snippet :
 * AsyncIterable<Task<String>> done = AsyncIterators.asCompleted(tasks);
 * for (Task<String> t : done) { // each step parks this coroutine until another task is done
 *     System.out.println(t.result());
 * }
 * }
 *
 * <p>Whether {@link #iterator()} gives a fresh iteration each time depends on the implementation: an
 * {@link AsyncIterator} (an {@link AsyncGenerator} for instance) returns itself, so it is iterated once; a lambda
 * {@code () -> AsyncGenerator.of(body)} makes a new generator each time.
 *
 * @param <T> the type of the values
 */
@FunctionalInterface
public interface AsyncIterable<T> extends Iterable<T> {
    /** An iterator over the values; close it (try-with-resources) if the iteration may stop early. */
    @Override
    AsyncIterator<T> iterator();
}
