package dev.spindle.gen;

/**
 * The producer's side of a {@link Generator} or an {@link AsyncGenerator}: the body receives one and calls
 * {@link #yield} for every value it produces (Python's {@code yield} expression).
 *
 * {@snippet :
 * Generator<Integer> countdown = Generator.of(out -> {
 *     for (int i = 3; i > 0; i--) {
 *         out.yield(i); // waits here until the consumer asks for the next value
 *     }
 * });
 * }
 *
 * <p>Java reserves the unqualified {@code yield(...)} for switch expressions, so the call is always qualified
 * ({@code out.yield(v)}).
 *
 * @param <T> the type of the values produced
 */
public interface Yielder<T> {
    /**
     * Hands {@code value} to the consumer and suspends the producer until the consumer asks for the next value.
     * Returns what the consumer sent with {@code send(x)}, or {@code null} when it simply asked for the next value.
     *
     * @throws GeneratorExit when the consumer closes the generator: let it propagate (a {@code finally} block is the
     *     place for cleanup); a producer that catches it and yields again is an error
     * @throws RuntimeException whatever the consumer throws in with {@code throwIn(e)}
     */
    <S> S yield(T value);
}
