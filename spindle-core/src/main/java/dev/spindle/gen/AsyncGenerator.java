package dev.spindle.gen;

import dev.spindle.gen.internal.AsyncGeneratorCore;
import java.lang.ref.Reference;

/**
 * A producer that may suspend between values, consumed one value at a time by a coroutine (Python's async
 * generator: an {@code async def} with {@code yield}). The body gets a {@link Yielder} and may await anything between
 * yields: {@code Spindle.sleep}, tasks, futures, JDK socket I/O.
 *
 * {@snippet :
 * AsyncGenerator<String> ticks = AsyncGenerator.of(out -> {
 *     try {
 *         for (int i = 0; ; i++) {
 *             Spindle.sleep(Duration.ofSeconds(1)); // only this generator waits; the loop runs other tasks
 *             out.yield("tick " + i);
 *         }
 *     } finally {
 *         System.out.println("stopped"); // runs at the break below, and may await too
 *     }
 * });
 * try (ticks) {
 *     for (String t : ticks) {
 *         System.out.println(t);
 *         if (t.endsWith("3")) {
 *             break;
 *         }
 *     }
 * }
 * }
 *
 * <h2>How it runs</h2>
 * The body runs as a coroutine of its own (the <em>producer</em> task), spawned on the consumer's loop at the first
 * {@link #hasNext()}, {@link #next()} or {@link #send} (a generator closed before that never runs its body). The two
 * take turns: the producer runs only while a consumer waits for its next value, and stops at each
 * {@code out.yield(v)} until the consumer asks for the next one. Nothing is produced ahead ({@code hasNext()}
 * fetches the value that {@code next()} then returns). Single use: {@link #iterator()} returns this generator.
 *
 * <h2>States</h2>
 * <pre>
 *   CREATED ──first hasNext/next/send──▶ RUNNING ──out.yield(v)──▶ SUSPENDED ──next/send/throwIn/close──▶ RUNNING
 *      │                                    └──body returns or throws──▶ CLOSED
 *      └──close()──▶ CLOSED (the body never runs)
 * </pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Every method but {@link #close()} on a never-started generator and {@link #state()} must be
 *       called from a coroutine, and all from coroutines of the loop of the first step: from elsewhere they throw
 *       {@link IllegalStateException}. Any coroutine of that loop may consume it, one at a time: a step while another
 *       is running (including the body iterating its own generator) throws {@link IllegalStateException}.
 *   <li><b>Errors.</b> What the body throws comes out of the consumer's {@code hasNext()}, {@code next()},
 *       {@code send} or {@code throwIn} unchanged (checked exceptions too), once; the generator is then exhausted.
 *   <li><b>Closing.</b> {@link #close()} throws {@link GeneratorExit} into the body at its {@code yield} and waits
 *       for the body to finish its cleanup, which may itself await. An exception other than {@code GeneratorExit}
 *       raised by the cleanup comes out of {@code close()}. A body that catches {@code GeneratorExit} and yields
 *       again is a bug: {@code close()} then throws {@link IllegalStateException} and the generator stays
 *       suspended. A {@code close()} while another coroutine's {@code close()} is in progress waits for that one.
 *   <li><b>Cancellation.</b> A consumer cancelled while it waits for the next value cancels the producer's current
 *       step too, as awaiting a task does, waits for the producer to stop, then throws
 *       {@link dev.spindle.task.Cancelled}; the body, which normally ends with that cancellation, is finished. If
 *       the producer had already yielded when the cancel came, the value is kept for the next {@code next()}: nothing
 *       is lost. A suspended producer is not affected by cancels aimed at its task directly (it is not running); such
 *       a cancel is delivered when it next resumes. A {@code close()} in a cancelled coroutine still runs the cleanup,
 *       whose awaits then see the cancellation, as {@code aclose()} does in asyncio.
 *   <li><b>Finalisation.</b> The loop keeps track of started generators that are not closed. A generator dropped
 *       while suspended is closed on its loop once it is garbage-collected; {@link dev.spindle.Spindle#run} and
 *       {@link dev.spindle.loop.Loop#close()} close the ones still open, so their cleanup sees a
 *       {@code GeneratorExit}, never a cancellation ({@link dev.spindle.loop.Loop#shutdownAsyncGenerators()}).
 * </ul>
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *   <li>Breaking out of a for-each loop does not close the generator: use try-with-resources (or call
 *       {@code close()}) so that the cleanup runs at once rather than at garbage collection or loop shutdown.
 *   <li>The body runs in its own task: {@code Task.current()} there is the producer, and context variables it sets
 *       are not seen by the consumer (it starts with a copy of the consumer's context at the first step).
 *   <li>Java reserves the bare word {@code yield}: write {@code out.yield(v)}.
 * </ul>
 *
 * @param <T> the type of the values produced
 */
public final class AsyncGenerator<T> implements AsyncIterator<T> {
    /**
     * The producer's code: calls {@code out.yield(v)} for each value, may await anything in between, and may throw
     * any exception, which reaches the consumer unchanged.
     */
    @FunctionalInterface
    public interface Body<T> {
        void run(Yielder<T> out) throws Exception;
    }

    /** Where a generator is in its life (Python's {@code inspect.getasyncgenstate}). */
    public enum State {
        /** Not started: no step has run, the body has not begun. */
        CREATED,
        /** A step is in progress: the body runs (or awaits something) while a consumer waits for it. */
        RUNNING,
        /** The body is stopped at a {@code yield}, waiting for the consumer. */
        SUSPENDED,
        /** The body has finished, or the generator was closed before it started. */
        CLOSED
    }

    private final AsyncGeneratorCore<T> core;

    private AsyncGenerator(Body<T> body) {
        this.core = new AsyncGeneratorCore<>(body);
    }

    /** A generator that will run {@code body} when first iterated. */
    public static <T> AsyncGenerator<T> of(Body<T> body) {
        return new AsyncGenerator<>(body);
    }

    /**
     * Whether the body yields another value: runs it, suspending the caller, until its next {@code yield} (the value
     * is kept for {@link #next()}) or its end. Returns at once if a value is already kept.
     *
     * @throws IllegalStateException outside a coroutine of this generator's loop, or if another step is running
     */
    @Override
    public boolean hasNext() {
        core.watch(this);
        try {
            return core.hasNext();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The next value: the one {@link #hasNext()} kept, or the body's next yield.
     *
     * @throws java.util.NoSuchElementException if the body has ended
     */
    @Override
    public T next() {
        core.watch(this);
        try {
            return core.next();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Resumes the body with {@code value} as the result of its {@code out.yield(...)}, and returns the next value it
     * yields (Python's {@code asend}). {@code send(null)} is {@code next()}. A generator that has not started may
     * only be sent {@code null}: its body has no {@code yield} yet to receive a value.
     *
     * @throws java.util.NoSuchElementException if the body ends instead of yielding
     * @throws IllegalStateException if the generator has not started and {@code value} is not null, or if a value
     *     fetched by {@code hasNext()} has not been taken with {@code next()}
     */
    public T send(Object value) {
        core.watch(this);
        try {
            return core.send(value);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Throws {@code exception} into the body at its {@code yield} and returns the next value it yields (Python's
     * {@code athrow}). If the body does not catch it, it comes back out of this method. On a generator that has not
     * started or has ended, the exception is thrown here at once and the body does not run.
     *
     * @throws java.util.NoSuchElementException if the body catches it and then ends
     */
    public T throwIn(Throwable exception) {
        core.watch(this);
        try {
            return core.throwIn(exception);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Closes the generator (Python's {@code aclose}): throws {@link GeneratorExit} into the body at its
     * {@code yield}, and waits until the body has finished, cleanup included. A generator that never started is just
     * marked closed (from any thread); a closed one is left alone.
     *
     * @throws IllegalStateException if the body yielded again instead of finishing, or if a step is running
     */
    @Override
    public void close() {
        try {
            core.close();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Where the generator is in its life. Thread-safe. */
    public State state() {
        return core.state();
    }

    /** For {@link AsyncContextManager}: steps that tell a yield from an end without exceptions. */
    AsyncGeneratorCore<T> core() {
        core.watch(this);
        return core;
    }

    @Override
    public String toString() {
        return core.toString();
    }
}
