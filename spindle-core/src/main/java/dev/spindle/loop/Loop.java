package dev.spindle.loop;

import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Coroutine;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import dev.spindle.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * An event loop: one platform thread that runs many coroutines and callbacks, one at a time, in the order they
 * became ready. Most programs never touch a loop directly: {@link dev.spindle.Spindle#run} makes one, runs the
 * main coroutine on it and closes it.
 *
 * {@snippet :
 * try (Loop loop = Loop.create()) {
 *     loop.callLater(Duration.ofMillis(10), () -> System.out.println("timer"));
 *     int answer = loop.runUntilComplete(() -> {
 *         Spindle.sleep(Duration.ofMillis(20));
 *         return 42;
 *     });
 * }
 * }
 *
 * <h2>Threads</h2>
 * A loop runs on the thread that calls {@link #runForever()} or {@link #runUntilComplete}; every coroutine and
 * callback of the loop runs on that thread, so state shared by them needs no locks. The methods of this
 * interface must be called on the loop's thread (from its coroutines and callbacks) except those marked
 * <em>thread-safe</em>: {@link #callSoonThreadsafe}, {@link #submit}, {@link #stop()}, {@link #isRunning()},
 * {@link #isClosed()}, {@link #nanoTime()}, {@link #time()}, {@link #clock()}, {@link #name()} and {@link #dumpTasks()}. Others fail with an
 * {@link IllegalStateException} when called from another thread while the loop runs.
 *
 * <h2>Order</h2>
 * Callbacks and coroutine resumptions share one FIFO ready queue. One pass of the loop takes the wake-ups that
 * arrived from other threads, moves due timers to the ready queue (earliest first, ties in scheduling order), then
 * runs exactly the entries that were ready when the pass began; what they make ready runs in the next pass.
 *
 * <h2>Many loops</h2>
 * Several loops may live in one JVM (say one per core). A task belongs to the loop that spawned it; coroutines of
 * one loop may await tasks and futures of another, and plain threads may await any of them.
 */
public interface Loop extends AutoCloseable {

    /** A new loop on the system clock. It runs on whichever thread calls {@link #runForever()}. */
    static Loop create() {
        return new EventLoop(Clock.system());
    }

    /** A new loop whose timers follow {@code clock}. */
    static Loop create(Clock clock) {
        return new EventLoop(clock);
    }

    /**
     * The loop running the current coroutine or callback.
     *
     * @throws IllegalStateException outside any running loop
     */
    static Loop current() {
        return EventLoop.current();
    }

    /** The loop running the current coroutine or callback, or {@code null} outside any. */
    static Loop currentOrNull() {
        return EventLoop.currentOrNull();
    }

    // ---- time -------------------------------------------------------------------------------------------

    /** This loop's clock. Thread-safe. */
    Clock clock();

    /** Now, on this loop's clock, in nanoseconds. Thread-safe. */
    long nanoTime();

    /** Now, on this loop's clock, in seconds, like asyncio's {@code loop.time()}. Thread-safe. */
    default double time() {
        return nanoTime() / 1e9;
    }

    // ---- callbacks --------------------------------------------------------------------------------------

    /** Runs {@code callback} in a later pass of the loop, after what is already ready (FIFO). */
    Handle callSoon(Runnable callback);

    /** Runs {@code callback} once {@code delay} has passed on the loop's clock. A negative delay means now. */
    TimerHandle callLater(Duration delay, Runnable callback);

    /** Runs {@code callback} when the loop's clock reaches {@code deadlineNanos} (see {@link #nanoTime()}). */
    TimerHandle callAt(long deadlineNanos, Runnable callback);

    /**
     * Like {@link #callSoon} but callable from any thread: the only way for other threads to hand work to the
     * loop. Wakes the loop if it is idle. Thread-safe.
     *
     * @throws IllegalStateException if the loop is closed
     */
    Handle callSoonThreadsafe(Runnable callback);

    // ---- signals ----------------------------------------------------------------------------------------

    /**
     * Calls {@code callback} on this loop each time the process receives the POSIX signal {@code signal} (asyncio's
     * {@code add_signal_handler}): {@code "INT"} (Ctrl-C), {@code "TERM"}, {@code "HUP"}, {@code "USR2"}...; the
     * {@code SIG} prefix and case are optional. The callback runs as a {@link #callSoonThreadsafe} callback, never on
     * the JVM's signal thread; an exception from it goes to the loop's exception handler. A second call for the same
     * signal replaces this loop's callback. Several loops may each handle the same signal: each gets its callback.
     * While any loop handles a signal, the JVM's own reaction to it (for SIGINT and SIGTERM: shutdown hooks, then
     * exit) does not happen; it comes back when the last handler is removed. Closing the loop removes its handlers.
     * Thread-safe.
     *
     * {@snippet :
     * LoopEvent stop = new LoopEvent();
     * Loop.current().addSignalHandler("TERM", stop::set);
     * Loop.current().addSignalHandler("INT", stop::set);
     * stop.await(); // then stop accepting, drain, close
     * }
     *
     * @throws IllegalArgumentException if the platform has no such signal or keeps it for itself (the JVM uses
     *     SIGQUIT for thread dumps; nobody can handle SIGKILL or SIGSTOP)
     * @throws IllegalStateException if the loop is closed
     */
    void addSignalHandler(String signal, Runnable callback);

    /**
     * Removes this loop's callback for {@code signal} (asyncio's {@code remove_signal_handler}); the JVM's previous
     * handler returns once no loop handles the signal. Thread-safe.
     *
     * @return whether there was a callback to remove
     */
    boolean removeSignalHandler(String signal);

    // ---- tasks ------------------------------------------------------------------------------------------

    /**
     * Starts {@code coroutine} as a task of this loop (asyncio's {@code create_task}). It begins running in a
     * later pass; it never runs if cancelled first.
     */
    <T> Task<T> spawn(Coroutine<T> coroutine);

    /** {@link #spawn(Coroutine)} with a name, shown in logs and thread dumps. */
    <T> Task<T> spawn(String name, Coroutine<T> coroutine);

    /** A new unset future bound to this loop. */
    <T> LoopFuture<T> createFuture();

    /** The tasks of this loop that have not finished, oldest first. */
    List<Task<?>> allTasks();

    /**
     * Runs {@code coroutine} on this loop from another thread (asyncio's {@code run_coroutine_threadsafe}). The
     * returned future completes with the task's outcome; cancelling it cancels the task. Thread-safe.
     */
    <T> CompletableFuture<T> submit(Coroutine<T> coroutine);

    /** The loop's name, {@code spindle-loop-<n>}: how task dumps, metrics and JFR events name it. Thread-safe. */
    String name();

    /**
     * A snapshot of this loop's task tree: every live task with its state, parent, task group, what it waits on and
     * its stack (see {@link dev.spindle.observe.TaskDump}). Thread-safe: from another thread it works even while a
     * step holds the loop (then the tree is read racily, and says so).
     */
    dev.spindle.observe.TaskDump dumpTasks();

    // ---- running ----------------------------------------------------------------------------------------

    /**
     * Runs the loop on the calling thread until {@code coroutine} finishes, and returns its result or throws its
     * exception unchanged.
     */
    <T> T runUntilComplete(Coroutine<T> coroutine);

    /** Runs the loop until {@code future} is done, and returns its result or throws its exception. */
    <T> T runUntilComplete(LoopFuture<T> future);

    /** Runs the loop on the calling thread until {@link #stop()} is called. */
    void runForever();

    /** Asks the running loop to return from {@link #runForever()} after the current pass. Thread-safe. */
    void stop();

    /** Whether a thread is running this loop now. Thread-safe. */
    boolean isRunning();

    /** Whether {@link #close()} was called. Thread-safe. */
    boolean isClosed();

    /**
     * Closes the loop: no more callbacks, timers or tasks. Async generators still open are finalised first, as
     * {@link #shutdownAsyncGenerators()} does (running the loop on the calling thread until their cleanup is done).
     * Other unfinished tasks are abandoned (use {@link dev.spindle.Spindle#run} to cancel and wait for them); task
     * failures still unretrieved are reported. The default executor is shut down. Closing a closed loop does
     * nothing.
     *
     * @throws IllegalStateException if the loop is running
     */
    @Override
    void close();

    /**
     * Closes every {@link dev.spindle.gen.AsyncGenerator} of this loop that was started and is still open,
     * concurrently, and waits until all have finished (asyncio's {@code shutdown_asyncgens}): each body gets a
     * {@link dev.spindle.gen.GeneratorExit} at its {@code yield}, so its {@code finally} blocks run, and may await.
     * Exceptions raised by the cleanups go to the {@linkplain #exceptionHandler() exception handler}.
     * {@link dev.spindle.Spindle#run} calls this after cancelling the remaining tasks (which spares the generators'
     * own producer tasks), and {@link #close()} calls it too.
     *
     * <p>Called from a coroutine of this loop, it suspends that coroutine until the generators are closed; called
     * while the loop is not running, it runs the loop on the calling thread until then.
     *
     * @throws IllegalStateException if called while the loop runs, from outside its coroutines
     */
    void shutdownAsyncGenerators();

    // ---- blocking work ----------------------------------------------------------------------------------

    /**
     * The executor {@link dev.spindle.Spindle#toThread} uses: a pool of daemon platform threads, at most
     * {@code min(32, cores + 4)}, made on first use and shut down by {@link #close()}.
     */
    Executor defaultExecutor();

    /** Replaces the executor used by {@link dev.spindle.Spindle#toThread}. */
    void setDefaultExecutor(Executor executor);

    // ---- errors and debugging ---------------------------------------------------------------------------

    /** Replaces the handler of failures nobody could receive; {@code null} restores the default. */
    void setExceptionHandler(ExceptionHandler handler);

    /** The handler in force. */
    ExceptionHandler exceptionHandler();

    /** The handler that logs through {@link System.Logger}. */
    ExceptionHandler defaultExceptionHandler();

    /** Hands {@code context} to the exception handler. */
    void callExceptionHandler(ExceptionContext context);

    /**
     * Debug mode: report every coroutine step or callback that holds the loop longer than
     * {@link #slowCallbackDuration()}, with the stack where it was when the limit passed. Off by default, or on
     * with the system property {@code spindle.debug=true}.
     */
    void setDebug(boolean enabled);

    boolean isDebug();

    /** How long a step may hold the loop before debug mode reports it; 100 ms by default, as in asyncio. */
    Duration slowCallbackDuration();

    void setSlowCallbackDuration(Duration limit);
}
