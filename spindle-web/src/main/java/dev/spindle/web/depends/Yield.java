package dev.spindle.web.depends;

import java.util.Objects;

/**
 * A dependency's value with its cleanup (FastAPI's dependency with {@code yield}): return it from a
 * {@link Provides} method.
 *
 * {@snippet :
 * @Provides
 * public Yield<Session> provide() {
 *     Session session = db.open();
 *     return Yield.of(session, error -> {
 *         if (error != null) {
 *             session.rollback();      // the handler failed: error is what it threw
 *         }
 *         session.close();
 *     });
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>When.</b> Teardowns run in reverse order of setup: after the response has been sent when all went well
 *       (the error is {@code null}); before the error is answered when the handler or a later dependency threw (the
 *       error is given; throwing another replaces it, so a teardown may turn a failure into an {@code
 *       HTTPException}).
 *   <li><b>Always.</b> Each teardown runs once even if another teardown failed, and also when the request is
 *       cancelled (the error is then the cancellation).
 * </ul>
 */
public final class Yield<T> {
    /** Runs after the handler: {@code error} is what it threw, or {@code null}. */
    @FunctionalInterface
    public interface Teardown {
        void close(Throwable error) throws Exception;
    }

    private final T value;
    private final Teardown teardown;

    private Yield(T value, Teardown teardown) {
        this.value = value;
        this.teardown = Objects.requireNonNull(teardown, "teardown");
    }

    public static <T> Yield<T> of(T value, Teardown teardown) {
        return new Yield<>(value, teardown);
    }

    /** {@code resource}, closed afterwards. */
    public static <T extends AutoCloseable> Yield<T> closing(T resource) {
        return new Yield<>(resource, error -> resource.close());
    }

    public T value() {
        return value;
    }

    public Teardown teardown() {
        return teardown;
    }
}
