package dev.spindle.gen;

import dev.spindle.gen.internal.AsyncGeneratorCore;
import java.lang.ref.Reference;
import java.util.Objects;

/**
 * A resource's setup and cleanup written as one generator body with a single {@code yield} (Python's
 * {@code contextlib.asynccontextmanager}): the code before the {@code yield} opens, the value yielded is the
 * resource, the code after it (in a {@code finally}) closes. Both halves run in a coroutine and may await.
 *
 * {@snippet :
 * AsyncContextManager<Connection> pooled = AsyncContextManager.of(out -> {
 *     Connection c = pool.acquire();          // may await
 *     try {
 *         out.yield(c);
 *     } finally {
 *         pool.release(c);                    // may await; runs however the block ends
 *     }
 * });
 *
 * // A: the block as a lambda; its exception is thrown into the body at the yield
 * int rows = pooled.use(c -> c.update("delete from t"));
 *
 * // B: try-with-resources
 * try (AsyncContextManager.Entered<Connection> e = pooled.enter()) {
 *     e.value().update("delete from t");
 * }
 * }
 *
 * <p>A resource whose opening and closing simply suspend needs none of this: an ordinary {@link AutoCloseable} whose
 * {@code close()} awaits, used with try-with-resources inside a coroutine, is an async context manager already.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Each {@link #use} or {@link #enter} runs the body anew, as a fresh {@link AsyncGenerator} on the caller's
 *       loop; a manager may be used any number of times, also concurrently. Call them from a coroutine.
 *   <li>Entering runs the body up to its {@code yield}. A body that returns without yielding fails the entry with
 *       {@link IllegalStateException} ("did not yield"); what it throws is thrown unchanged. If the caller is
 *       cancelled while entering, the setup is cancelled too; if the body had already yielded, the resource is left
 *       (its cleanup runs) before the {@link dev.spindle.task.Cancelled} is thrown, so an entered resource is
 *       always left.
 *   <li>Leaving normally resumes the body after its {@code yield}; a body that yields a second time is an error:
 *       {@link IllegalStateException} ("did not stop"), and the generator is closed.
 *   <li>Leaving {@link #use} with an exception throws it into the body at the {@code yield}
 *       ({@link AsyncGenerator#throwIn}): if the body lets it propagate, {@code use} throws it; if the body throws
 *       another exception, {@code use} throws that one; if the body catches it and returns, the exception is
 *       <em>suppressed</em> and {@code use} returns {@code null}. {@link #enter} cannot do this: see
 *       {@link Entered#close()}.
 *   <li>A {@link dev.spindle.task.Cancelled} from the block is thrown in like any exception, so the cleanup runs and
 *       sees it; a cleanup that swallows a cancellation suppresses it, as in Python, which is rarely right.
 * </ul>
 *
 * @param <T> the type of the resource
 */
public final class AsyncContextManager<T> {
    /** The block run by {@link #use}: gets the resource, returns a result, may throw anything. */
    @FunctionalInterface
    public interface Block<T, R> {
        R apply(T resource) throws Exception;
    }

    /**
     * A resource entered with {@link #enter()}: its {@link #value()}, and {@link #close()} to leave it. Use it with
     * try-with-resources in the coroutine that entered it.
     */
    public static final class Entered<T> implements AutoCloseable {
        private final AsyncGenerator<T> generator;
        private final T value;
        private boolean exited;

        private Entered(AsyncGenerator<T> generator, T value) {
            this.generator = generator;
            this.value = value;
        }

        /** The value the body yielded: the resource. */
        public T value() {
            return value;
        }

        /**
         * Leaves the resource: resumes the body after its {@code yield} so that its cleanup runs (and may await).
         * Closing twice does nothing more.
         *
         * <p>Limitation: Java's try-with-resources does not pass the block's exception to {@code close()}, so the
         * body is resumed <em>normally</em> even when the block threw: its {@code finally} runs, but a
         * {@code catch} around the {@code yield} sees nothing, and the block's exception cannot be suppressed. When
         * the cleanup must see the exception, use {@link AsyncContextManager#use}. An exception from the cleanup
         * is thrown here (and added as suppressed to the block's exception by try-with-resources).
         *
         * @throws IllegalStateException if the body yields again ("did not stop")
         */
        @Override
        public void close() {
            if (exited) {
                return;
            }
            exited = true;
            exit(generator);
        }
    }

    private final AsyncGenerator.Body<T> body;

    private AsyncContextManager(AsyncGenerator.Body<T> body) {
        this.body = body;
    }

    /** A manager whose setup and cleanup are {@code body}, split by its one {@code out.yield(resource)}. */
    public static <T> AsyncContextManager<T> of(AsyncGenerator.Body<T> body) {
        return new AsyncContextManager<>(Objects.requireNonNull(body, "body"));
    }

    /**
     * Enters, runs {@code block} with the resource, and leaves, with Python's full {@code async with} semantics:
     * the block's exception is thrown into the body at its {@code yield} (see the class comment). Returns what the
     * block returned, or {@code null} if the body suppressed the block's exception.
     */
    public <R> R use(Block<? super T, ? extends R> block) {
        Objects.requireNonNull(block, "block");
        AsyncGenerator<T> gen = AsyncGenerator.of(body);
        try {
            T value = enter(gen);
            R result;
            try {
                result = block.apply(value);
            } catch (Throwable e) {
                exitWith(gen, e);
                return null; // the body caught it and returned: suppressed
            }
            exit(gen);
            return result;
        } finally {
            Reference.reachabilityFence(gen);
        }
    }

    /**
     * Enters: runs the body up to its {@code yield} and returns the resource, to be left with
     * {@link Entered#close()} (try-with-resources). The block's exceptions do not reach the body: see
     * {@link Entered#close()}.
     *
     * @throws IllegalStateException if the body returned without yielding
     */
    public Entered<T> enter() {
        AsyncGenerator<T> gen = AsyncGenerator.of(body);
        return new Entered<>(gen, enter(gen));
    }

    private static <T> T enter(AsyncGenerator<T> gen) {
        try {
            if (!gen.hasNext()) {
                throw new IllegalStateException("the async context manager's body did not yield");
            }
            return gen.next();
        } catch (Throwable e) {
            // Cancelled in the same pass as the body yielded: the resource is open but nobody will leave it, so
            // leave it now (the cancellation has been delivered, so the cleanup runs normally)
            if (gen.state() == AsyncGenerator.State.SUSPENDED) {
                closeQuietly(gen, e);
            }
            throw e;
        }
    }

    private static void exit(AsyncGenerator<?> gen) {
        AsyncGeneratorCore<?> core = gen.core();
        if (core.advance(null) != AsyncGeneratorCore.END) {
            didNotStop(gen);
        }
    }

    /** Throws {@code e} in at the yield; returns only if the body swallowed it and ended. */
    private static void exitWith(AsyncGenerator<?> gen, Throwable e) {
        // throws e itself if the body lets it through, or what the cleanup raised instead
        Object next = gen.core().advanceThrowing(e);
        if (next != AsyncGeneratorCore.END) {
            IllegalStateException ise = didNotStopException();
            ise.addSuppressed(e);
            closeQuietly(gen, ise);
            throw ise;
        }
    }

    private static void didNotStop(AsyncGenerator<?> gen) {
        IllegalStateException ise = didNotStopException();
        closeQuietly(gen, ise);
        throw ise;
    }

    private static IllegalStateException didNotStopException() {
        return new IllegalStateException("the async context manager's body did not stop: it yielded a second time");
    }

    private static void closeQuietly(AsyncGenerator<?> gen, Throwable into) {
        try {
            gen.close();
        } catch (Throwable e) {
            into.addSuppressed(e);
        }
    }
}
