package dev.spindle;

import dev.spindle.loop.Loop;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Coroutine;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Outcome;
import dev.spindle.task.ReturnWhen;
import dev.spindle.task.Task;
import dev.spindle.task.TaskGroup;
import dev.spindle.task.Tasks;
import dev.spindle.task.VoidCoroutine;
import dev.spindle.task.WaitResult;
import dev.spindle.task.internal.Sneaky;
import dev.spindle.time.TimeoutScope;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Spindle's front door: asyncio's functions for Java. Static-import it and write coroutines as plain code.
 *
 * {@snippet :
 * import static dev.spindle.Spindle.*;
 *
 * public static void main(String[] args) {
 *     run(() -> {
 *         Task<String> a = spawn(() -> { sleep(Duration.ofSeconds(1)); return "a"; });
 *         Task<String> b = spawn(() -> { sleep(Duration.ofSeconds(1)); return "b"; });
 *         System.out.println(gather(a, b)); // [a, b] after one second, not two
 *     });
 * }
 * }
 *
 * <p>The program needs the JVM flag {@code --add-opens java.base/java.lang=ALL-UNNAMED}; without it the first call
 * fails with a message saying where to add it. Everything here but {@link #run} must be called from a coroutine.
 * This class only delegates: see {@link Loop}, {@link Task}, {@link Tasks}, {@link TaskGroup} and
 * {@link TimeoutScope} for the full contracts.
 */
public final class Spindle {
    private Spindle() {}

    // ---- running a program ------------------------------------------------------------------------------

    /**
     * Runs {@code main} on a new loop and returns its result (asyncio's {@code run}): makes a loop on the calling
     * thread, runs {@code main} to completion, cancels every task still running and waits for them, closes the async
     * generators left open ({@link Loop#shutdownAsyncGenerators()}), waits for the default executor's jobs, and
     * closes the loop. {@code main}'s exception is rethrown unchanged.
     *
     * @throws IllegalStateException if called from a running loop
     */
    public static <T> T run(Coroutine<T> main) {
        if (Task.currentOrNull() != null || EventLoop.onAnyLoopThread()) {
            throw new IllegalStateException("Spindle.run cannot be called from a running loop; use spawn or await");
        }
        if (Thread.currentThread().isVirtual()) {
            return runOnPlatformThread(main);
        }
        EventLoop loop = (EventLoop) Loop.create();
        try {
            return loop.runUntilComplete(main);
        } finally {
            try {
                cancelAllTasks(loop);
            } finally {
                try {
                    loop.shutdownAsyncGenerators();
                } finally {
                    loop.shutdownDefaultExecutor(Duration.ofMinutes(5));
                    loop.close();
                }
            }
        }
    }

    /** {@link #run(Coroutine)} for a main that returns nothing. */
    public static void run(VoidCoroutine main) {
        run(Coroutine.of(main));
    }

    private static <T> T runOnPlatformThread(Coroutine<T> main) {
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("spindle-main").start(() -> {
            try {
                result.set(run(main));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancelled("interrupted while running a Spindle loop");
        }
        if (failure.get() != null) {
            throw Sneaky.rethrow(failure.get());
        }
        @SuppressWarnings("unchecked")
        T value = (T) result.get();
        return value;
    }

    private static void cancelAllTasks(EventLoop loop) {
        List<Task<?>> left = new java.util.ArrayList<>(loop.allTasks());
        // async generators' producers are closed afterwards, so that their cleanup sees GeneratorExit, not a cancel
        left.removeIf(loop::isAsyncGeneratorProducer);
        if (left.isEmpty()) {
            return;
        }
        for (Task<?> t : left) {
            t.cancel();
        }
        loop.runUntilComplete(() -> Tasks.gatherOutcomes(left));
        for (Task<?> t : left) {
            if (t.isFailed()) {
                loop.callExceptionHandler(new dev.spindle.loop.ExceptionContext(
                        "unhandled exception during Spindle.run() shutdown", t.exception(), t));
            }
        }
    }

    // ---- tasks ------------------------------------------------------------------------------------------

    /** Starts {@code coroutine} as a task of the current loop (asyncio's {@code create_task}). */
    public static <T> Task<T> spawn(Coroutine<T> coroutine) {
        return Loop.current().spawn(coroutine);
    }

    /** Starts a named task. */
    public static <T> Task<T> spawn(String name, Coroutine<T> coroutine) {
        return Loop.current().spawn(name, coroutine);
    }

    /** Starts a task whose coroutine returns nothing. */
    public static Task<Void> spawn(VoidCoroutine coroutine) {
        return Task.spawn(Loop.current(), null, coroutine);
    }

    /** Starts a named task whose coroutine returns nothing. */
    public static Task<Void> spawn(String name, VoidCoroutine coroutine) {
        return Task.spawn(Loop.current(), java.util.Objects.requireNonNull(name, "name"), coroutine);
    }

    /** Awaits a task or loop future: see {@link LoopFuture#await()}. */
    public static <T> T await(LoopFuture<T> future) {
        return future.await();
    }

    /**
     * Awaits any {@link CompletionStage} (a {@code CompletableFuture} from a JDK or library API), parking only the
     * current coroutine; rethrows its failure unwrapped. Cancelling the awaiting task cancels the future.
     */
    public static <T> T await(CompletionStage<T> stage) {
        return Tasks.await(stage);
    }

    /** The task running the current coroutine. */
    public static Task<?> currentTask() {
        return Task.current();
    }

    /** A new pending future on the current loop. */
    public static <T> LoopFuture<T> createFuture() {
        return Loop.current().createFuture();
    }

    // ---- time -------------------------------------------------------------------------------------------

    /** Suspends the current coroutine for {@code duration}; zero yields to the other ready coroutines. */
    public static void sleep(Duration duration) {
        Tasks.sleep(duration);
    }

    /** Suspends the current coroutine for {@code seconds} (as in {@code asyncio.sleep(0.5)}). */
    public static void sleep(double seconds) {
        Tasks.sleep(Duration.ofNanos((long) (seconds * 1e9)));
    }

    /**
     * Runs {@code body} with a deadline {@code timeout} from now; when it passes, the body is cancelled and
     * {@link dev.spindle.time.TimedOut} is thrown (asyncio's {@code async with timeout(...)}).
     */
    public static <T> T withTimeout(Duration timeout, Coroutine<T> body) {
        return TimeoutScope.after(timeout).run(body);
    }

    /** {@link #withTimeout(Duration, Coroutine)} for a body that returns nothing. */
    public static void withTimeout(Duration timeout, VoidCoroutine body) {
        TimeoutScope.after(timeout).run(Coroutine.of(body));
    }

    /** Runs {@code body} with a deadline at {@code deadlineNanos} on the loop's clock. */
    public static <T> T timeoutAt(long deadlineNanos, Coroutine<T> body) {
        return TimeoutScope.at(deadlineNanos).run(body);
    }

    /** Awaits {@code future} for at most {@code timeout}, cancelling it on timeout. */
    public static <T> T waitFor(Duration timeout, LoopFuture<T> future) {
        return Tasks.waitFor(timeout, future);
    }

    /** Spawns {@code coroutine} and awaits it for at most {@code timeout}, cancelling it on timeout. */
    public static <T> T waitFor(Duration timeout, Coroutine<T> coroutine) {
        return Tasks.waitFor(timeout, coroutine);
    }

    // ---- many tasks -------------------------------------------------------------------------------------

    /** Waits for all and returns their results in order; see {@link Tasks#gather(List)}. */
    @SafeVarargs
    public static <T> List<T> gather(LoopFuture<? extends T>... futures) {
        return Tasks.gather(futures);
    }

    /**
     * Spawns each coroutine as a task and waits for all of them; results in argument order. As in asyncio, a
     * failure is rethrown at once and the other tasks keep running; see {@link Tasks#gather(List)}.
     */
    @SafeVarargs
    public static <T> List<T> gather(Coroutine<? extends T>... coroutines) {
        Loop loop = Loop.current();
        List<Task<? extends T>> tasks = new java.util.ArrayList<>(coroutines.length);
        for (Coroutine<? extends T> c : coroutines) {
            tasks.add(loop.spawn(c));
        }
        return Tasks.gather(tasks);
    }

    /** Waits for all and returns their results in order; see {@link Tasks#gather(List)}. */
    public static <T> List<T> gather(List<? extends LoopFuture<? extends T>> futures) {
        return Tasks.gather(futures);
    }

    /** Waits for all and returns how each ended; see {@link Tasks#gatherOutcomes(List)}. */
    public static <T> List<Outcome<T>> gatherOutcomes(List<? extends LoopFuture<? extends T>> futures) {
        return Tasks.gatherOutcomes(futures);
    }

    /** Waits for all and returns how each ended; see {@link Tasks#gatherOutcomes(List)}. */
    @SafeVarargs
    public static <T> List<Outcome<T>> gatherOutcomes(LoopFuture<? extends T>... futures) {
        return Tasks.gatherOutcomes(futures);
    }

    /** Waits until {@code when} holds or the timeout passes; see {@link Tasks#waitTasks}. */
    public static <F extends LoopFuture<?>> WaitResult<F> waitTasks(
            Collection<? extends F> futures, ReturnWhen when, Duration timeout) {
        return Tasks.waitTasks(futures, when, timeout);
    }

    /** Waits until {@code when} holds; see {@link Tasks#waitTasks}. */
    public static <F extends LoopFuture<?>> WaitResult<F> waitTasks(Collection<? extends F> futures, ReturnWhen when) {
        return Tasks.waitTasks(futures, when);
    }

    /** The futures in the order they finish; see {@link Tasks#asCompleted(Collection, Duration)}. */
    public static <F extends LoopFuture<?>> Iterable<F> asCompleted(Collection<? extends F> futures) {
        return Tasks.asCompleted(futures);
    }

    /** The futures in the order they finish, within {@code timeout}. */
    public static <F extends LoopFuture<?>> Iterable<F> asCompleted(Collection<? extends F> futures, Duration timeout) {
        return Tasks.asCompleted(futures, timeout);
    }

    /** Protects {@code inner} from the caller's cancellation; see {@link Tasks#shield}. */
    public static <T> LoopFuture<T> shield(LoopFuture<T> inner) {
        return Tasks.shield(inner);
    }

    /** Runs {@code body} in a new {@link TaskGroup} and waits for all its children. */
    public static <R> R taskGroup(TaskGroup.Body<R> body) {
        return TaskGroup.open(body);
    }

    /**
     * Runs {@code coroutine} on {@code loop} from another thread (asyncio's {@code run_coroutine_threadsafe}); see
     * {@link Loop#submit}.
     */
    public static <T> java.util.concurrent.CompletableFuture<T> runCoroutineThreadsafe(
            Loop loop, Coroutine<T> coroutine) {
        return loop.submit(coroutine);
    }

    // ---- threads ----------------------------------------------------------------------------------------

    /** Runs blocking {@code work} on the loop's thread pool and awaits it; see {@link Tasks#toThread}. */
    public static <T> T toThread(Callable<T> work) {
        return Tasks.toThread(work);
    }

    /** Runs blocking {@code work} on {@code executor} and awaits it. */
    public static <T> T runInExecutor(Executor executor, Callable<T> work) {
        return Tasks.runInExecutor(executor, work);
    }
}
