package dev.spindle.task;

/**
 * How a task or future ended: with a value, or with an exception (a {@link Cancelled} for a cancelled one).
 * {@link Tasks#gatherOutcomes} returns one per awaited task, where asyncio's {@code gather(...,
 * return_exceptions=True)} returns values and exceptions mixed.
 *
 * {@snippet :
 * for (Outcome<Integer> o : gatherOutcomes(a, b)) {
 *     switch (o) {
 *         case Outcome.Success<Integer>(var v) -> System.out.println("got " + v);
 *         case Outcome.Failure<Integer>(var e) -> System.out.println("failed: " + e);
 *     }
 * }
 * }
 *
 * @param <T> the value type
 */
public sealed interface Outcome<T> {
    /** Whether this is a {@link Success}. */
    boolean isSuccess();

    /** The value, or the exception rethrown unchanged. */
    T getOrThrow();

    /** A value. */
    record Success<T>(T value) implements Outcome<T> {
        @Override
        public boolean isSuccess() {
            return true;
        }

        @Override
        public T getOrThrow() {
            return value;
        }
    }

    /** An exception, or a {@link Cancelled} for a cancellation. */
    record Failure<T>(Throwable exception) implements Outcome<T> {
        public Failure {
            java.util.Objects.requireNonNull(exception, "exception");
        }

        @Override
        public boolean isSuccess() {
            return false;
        }

        @Override
        public T getOrThrow() {
            throw dev.spindle.task.internal.Sneaky.rethrow(exception);
        }
    }
}
