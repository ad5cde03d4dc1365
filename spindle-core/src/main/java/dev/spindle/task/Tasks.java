package dev.spindle.task;

import dev.spindle.loop.Loop;
import dev.spindle.loop.internal.CallbackHandle;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.internal.WaitOn;
import dev.spindle.time.TimedOut;
import dev.spindle.time.TimeoutScope;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Waiting on many tasks, bounding waits in time, and handing blocking work to threads: asyncio's module-level
 * functions. {@link dev.spindle.Spindle} re-exports all of them; most code static-imports that.
 *
 * {@snippet :
 * List<Integer> sizes = gather(spawn(() -> download("a")), spawn(() -> download("b")));
 * String fast = waitFor(Duration.ofSeconds(1), spawn(() -> lookup("c")));
 * }
 *
 * <p>Every method here must be called from a coroutine (they park the current task), except {@link #shield}.
 */
public final class Tasks {
    private Tasks() {}

    static Task<?> currentTask(String what) {
        Task<?> t = Task.currentOrNull();
        if (t == null) {
            throw new IllegalStateException(what + " must be called from a coroutine (inside Spindle.run or a task)");
        }
        return t;
    }

    // ---- sleeping ---------------------------------------------------------------------------------------

    /**
     * Suspends the current coroutine for {@code duration} on its loop's clock. Zero or negative yields once to the
     * other ready coroutines. On a plain thread, sleeps the thread.
     *
     * @throws Cancelled if the task is cancelled meanwhile
     */
    public static void sleep(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        Task<?> t = Task.currentOrNull();
        if (t != null) {
            t.sleep(saturatedNanos(duration));
            return;
        }
        Awaiting.checkMayBlock();
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancelled("interrupted while sleeping");
        }
    }

    /**
     * The loop-clock instant {@code timeout} from now, saturated: the clock's readings may lie anywhere in the
     * {@code long} range, so a plain sum could wrap around into the past.
     */
    private static long deadlineAfter(EventLoop loop, Duration timeout) {
        long delay = saturatedNanos(timeout);
        try {
            return Math.addExact(loop.nanoTime(), delay);
        } catch (ArithmeticException wrapped) {
            return delay > 0 ? Long.MAX_VALUE : Long.MIN_VALUE + 1;
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? 0 : Long.MAX_VALUE / 4;
        }
    }

    // ---- awaiting ---------------------------------------------------------------------------------------

    /**
     * Awaits any {@link java.util.concurrent.CompletionStage}, parking only the current coroutine (a plain thread
     * blocks); rethrows its failure unwrapped from {@link java.util.concurrent.CompletionException}. Cancelling the
     * awaiting task cancels the future, as asyncio does for wrapped concurrent futures.
     */
    public static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        return Awaiting.await(stage);
    }

    // ---- gather -----------------------------------------------------------------------------------------

    /**
     * Waits for all {@code futures} and returns their results in the given order (asyncio's {@code gather}). If one
     * fails (or is cancelled), the first failure to happen is rethrown unchanged at once; the others keep running,
     * and failures they end with later count as retrieved, so they are not reported as unretrieved. If the caller
     * is cancelled, all of them are cancelled, and the caller waits for them to finish before it receives
     * {@link Cancelled}.
     */
    public static <T> List<T> gather(List<? extends LoopFuture<? extends T>> futures) {
        Task<?> self = currentTask("gather");
        CompletionQueue q = new CompletionQueue(futures, self);
        try {
            int remaining = futures.size();
            while (remaining > 0) {
                LoopFuture<?> f;
                while ((f = q.poll()) != null) {
                    remaining--;
                    if (f.isFailed() || f.isCancelled()) {
                        q.abandon(); // the others keep running; their failures count as retrieved
                        f.result(); // rethrows, unchanged
                    }
                }
                if (remaining == 0) {
                    break;
                }
                if (self.cancelPending()) {
                    Cancelled c = self.takeCancel();
                    cancelAllAndWait(self, futures, q, c.getMessage());
                    throw c;
                }
                self.park(true, q);
            }
        } finally {
            q.detach();
        }
        List<T> results = new ArrayList<>(futures.size());
        for (LoopFuture<? extends T> f : futures) {
            results.add(f.result());
        }
        return results;
    }

    /** {@link #gather(List)} over arguments. */
    @SafeVarargs
    public static <T> List<T> gather(LoopFuture<? extends T>... futures) {
        return gather(List.of(futures));
    }

    /**
     * Waits for all {@code futures} and returns how each ended, in the given order (asyncio's {@code gather(...,
     * return_exceptions=True)}). Never throws for a failed future. Cancellation of the caller works as in
     * {@link #gather(List)}.
     */
    public static <T> List<Outcome<T>> gatherOutcomes(List<? extends LoopFuture<? extends T>> futures) {
        Task<?> self = currentTask("gatherOutcomes");
        CompletionQueue q = new CompletionQueue(futures, self);
        try {
            int remaining = futures.size();
            while (true) {
                while (q.poll() != null) {
                    remaining--;
                }
                if (remaining == 0) {
                    break;
                }
                if (self.cancelPending()) {
                    Cancelled c = self.takeCancel();
                    cancelAllAndWait(self, futures, q, c.getMessage());
                    throw c;
                }
                self.park(true, q);
            }
        } finally {
            q.detach();
        }
        List<Outcome<T>> out = new ArrayList<>(futures.size());
        for (LoopFuture<? extends T> f : futures) {
            @SuppressWarnings("unchecked")
            Outcome<T> o = (Outcome<T>) f.outcome();
            out.add(o);
        }
        return out;
    }

    /** {@link #gatherOutcomes(List)} over arguments. */
    @SafeVarargs
    public static <T> List<Outcome<T>> gatherOutcomes(LoopFuture<? extends T>... futures) {
        return gatherOutcomes(List.of(futures));
    }

    private static void cancelAllAndWait(
            Task<?> self, List<? extends LoopFuture<?>> futures, CompletionQueue q, String message) {
        for (LoopFuture<?> f : futures) {
            if (!f.isDone()) {
                f.cancelThreadsafe(message);
            }
        }
        q.retrieveLater();
        for (LoopFuture<?> f : futures) {
            while (!f.isDone()) {
                self.park(false, f);
            }
            if (f.isFailed()) {
                f.markRetrieved();
            }
        }
    }

    // ---- wait -------------------------------------------------------------------------------------------

    /**
     * Waits until {@code when} is met or {@code timeout} passes (asyncio's {@code wait}), and returns which futures
     * are done and which pending. Nothing is cancelled on timeout; a cancelled caller leaves the futures running.
     */
    public static <F extends LoopFuture<?>> WaitResult<F> waitTasks(
            Collection<? extends F> futures, ReturnWhen when, Duration timeout) {
        Objects.requireNonNull(when, "when");
        if (futures.isEmpty()) {
            throw new IllegalArgumentException("waitTasks needs at least one future");
        }
        Task<?> self = currentTask("waitTasks");
        EventLoop loop = (EventLoop) self.loop();
        CompletionQueue q = new CompletionQueue(futures, self);
        CallbackHandle timer = timeout == null ? null : loop.scheduleTimer(deadlineAfter(loop, timeout), self::signal);
        try {
            int remaining = futures.size();
            boolean satisfied = false;
            while (!satisfied) {
                LoopFuture<?> f;
                while ((f = q.poll()) != null) {
                    remaining--;
                    if (when == ReturnWhen.FIRST_COMPLETED || (when == ReturnWhen.FIRST_EXCEPTION && f.isFailed())) {
                        satisfied = true;
                    }
                }
                if (remaining == 0 || satisfied || (timer != null && timer.fired())) {
                    break;
                }
                self.checkCancel();
                self.park(true, q);
            }
        } finally {
            q.detach();
            if (timer != null) {
                timer.cancel();
            }
        }
        Set<F> done = new LinkedHashSet<>();
        Set<F> pending = new LinkedHashSet<>();
        for (F f : futures) {
            (f.isDone() ? done : pending).add(f);
        }
        return new WaitResult<>(done, pending);
    }

    /** {@link #waitTasks(Collection, ReturnWhen, Duration)} with no timeout. */
    public static <F extends LoopFuture<?>> WaitResult<F> waitTasks(Collection<? extends F> futures, ReturnWhen when) {
        return waitTasks(futures, when, null);
    }

    // ---- waitFor, asCompleted, shield -------------------------------------------------------------------

    /**
     * Awaits {@code future} for at most {@code timeout} (asyncio's {@code wait_for}). On timeout the future is
     * cancelled, the caller waits until it has finished, and {@link TimedOut} is thrown. If the future ignores that
     * cancellation and finishes anyway, its value is returned or its exception thrown instead, as asyncio does. A
     * cancellation of the caller from elsewhere cancels the future too and ends in {@link Cancelled}.
     */
    public static <T> T waitFor(Duration timeout, LoopFuture<T> future) {
        Objects.requireNonNull(future, "future");
        Task<?> self = currentTask("waitFor");
        if (self == future) {
            throw new IllegalStateException(future.describe() + " cannot await itself");
        }
        int cancellingBefore = self.cancelling();
        TimeoutScope scope = TimeoutScope.after(timeout);
        return scope.run(() -> awaitWithin(self, future, scope, cancellingBefore));
    }

    /**
     * {@link LoopFuture#await()} for {@link #waitFor}: the same, except when the future ignores the cancellation
     * that the timeout caused and finishes otherwise; then that outcome wins (asyncio's {@code wait_for}).
     */
    private static <T> T awaitWithin(Task<?> self, LoopFuture<T> f, TimeoutScope scope, int cancellingBefore) {
        return Awaiting.await(self, f, () -> scope.expired() && self.cancelling() <= cancellingBefore + 1);
    }

    /** Spawns {@code coroutine} and awaits it for at most {@code timeout}, cancelling it on timeout. */
    public static <T> T waitFor(Duration timeout, Coroutine<T> coroutine) {
        return waitFor(timeout, Loop.current().spawn(coroutine));
    }

    /**
     * The futures in the order they finish (asyncio's {@code as_completed}). Each {@code next()} parks the current
     * coroutine until another future is done and returns it, so {@code f.result()} does not wait.
     *
     * {@snippet :
     * for (Task<String> t : asCompleted(tasks, Duration.ofSeconds(5))) {
     *     System.out.println("finished: " + t.result());
     * }
     * }
     *
     * @param timeout how long the whole iteration may take, or {@code null}; when it passes, {@code next()} throws
     *     {@link TimedOut} (the futures keep running)
     */
    public static <F extends LoopFuture<?>> Iterable<F> asCompleted(Collection<? extends F> futures, Duration timeout) {
        List<F> copy = List.copyOf(futures);
        return () -> new AsCompleted<>(copy, timeout);
    }

    /** {@link #asCompleted(Collection, Duration)} with no timeout. */
    public static <F extends LoopFuture<?>> Iterable<F> asCompleted(Collection<? extends F> futures) {
        return asCompleted(futures, null);
    }

    /**
     * Protects {@code inner} from cancellation (asyncio's {@code shield}): returns a future that completes like
     * {@code inner}, but cancelling it, or a task awaiting it, leaves {@code inner} running.
     *
     * {@snippet :
     * Task<Void> save = spawn(() -> writeToDatabase());
     * shield(save).await(); // if this task is cancelled here, the write still completes
     * }
     */
    public static <T> LoopFuture<T> shield(LoopFuture<T> inner) {
        Objects.requireNonNull(inner, "inner");
        if (inner.isDone()) {
            return inner;
        }
        LoopFuture<T> outer = new LoopFuture<>(inner.loop());
        inner.addListener((Runnable) () -> {
            if (outer.isDone()) {
                if (inner.isFailed()) {
                    inner.markRetrieved(); // nobody is left to see it, as in asyncio
                }
                return;
            }
            if (inner.isCancelled()) {
                outer.complete(LoopFuture.CANCELLED, inner.cancelMessage());
            } else if (inner.isFailed()) {
                Throwable e = inner.exception();
                outer.complete(LoopFuture.FAILED, e);
            } else {
                outer.complete(LoopFuture.RESULT, inner.result());
            }
        });
        return outer;
    }

    // ---- threads ----------------------------------------------------------------------------------------

    /**
     * Runs {@code work} on the loop's default executor (a pool of platform threads) and awaits its result, so
     * blocking work that would hold the loop's thread (file I/O, JNI, long computations) does not stall other
     * coroutines (asyncio's {@code to_thread}). The work sees the caller's context variables.
     *
     * <p>If the caller is cancelled, the job is cancelled if it has not started; a running job is not interrupted
     * and finishes unobserved.
     */
    public static <T> T toThread(Callable<T> work) {
        return runInExecutor(Loop.current().defaultExecutor(), work);
    }

    /** {@link #toThread} on a given executor (asyncio's {@code run_in_executor}). */
    public static <T> T runInExecutor(Executor executor, Callable<T> work) {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(work, "work");
        Context context = Context.current();
        CompletableFuture<T> cf = new CompletableFuture<>();
        // On virtual time the loop must not jump its clock while the job runs: it counts the job until the job's
        // result has gone into the loop's inbox (completing cf wakes the awaiting coroutine through it).
        EventLoop loop = EventLoop.currentOrNull();
        boolean counted = loop != null && loop.jobStarted();
        Runnable job = () -> {
            try {
                if (cf.isDone()) {
                    return; // cancelled before it started
                }
                try {
                    cf.complete(context.call(work));
                } catch (Throwable e) {
                    // Always wrapped, so that awaiting unwraps exactly this layer: a CompletionException or
                    // CancellationException thrown by the work itself then comes out unchanged too.
                    cf.completeExceptionally(new CompletionException(e));
                }
            } finally {
                if (counted) {
                    loop.jobEnded();
                }
            }
        };
        try {
            executor.execute(job);
        } catch (RuntimeException | Error e) {
            if (counted) {
                loop.jobEnded();
            }
            throw e;
        }
        return Awaiting.await(cf, new WaitOn("toThread", work));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /**
     * Futures in the order they complete: a listener on each appends it here and wakes the waiting task. O(1) per
     * completion, so gathering a million tasks stays linear. Thread-safe, since futures of other loops complete on
     * their own threads.
     */
    private static final class CompletionQueue {
        private final ArrayDeque<LoopFuture<?>> completed = new ArrayDeque<>();
        private final List<Entry> entries = new ArrayList<>();
        private final Task<?> waiter;
        private boolean retrieveLater;
        private boolean abandoned;

        CompletionQueue(Collection<? extends LoopFuture<?>> futures, Task<?> waiter) {
            this.waiter = waiter;
            for (LoopFuture<?> f : futures) {
                Entry e = new Entry(f);
                e.registration = f.addListener(e);
                if (e.registration != null) {
                    entries.add(e);
                } else {
                    completed.add(f);
                }
            }
        }

        /** What task dumps show of a task waiting here. */
        @Override
        public synchronized String toString() {
            return entries.size() + " futures";
        }

        synchronized LoopFuture<?> poll() {
            return completed.poll();
        }

        /** Failures arriving after the caller stopped looking are marked retrieved (asyncio's gather does this). */
        synchronized void retrieveLater() {
            retrieveLater = true;
        }

        /**
         * The caller stops looking for good (gather has thrown): failures queued or still to come are marked
         * retrieved, as asyncio's gather does, and nobody is signalled any more. The listeners stay on the futures
         * until each completes, so {@link #detach()} does nothing afterwards.
         */
        synchronized void abandon() {
            abandoned = true;
            retrieveLater = true;
            for (LoopFuture<?> f : completed) {
                if (f.isFailed()) {
                    f.markRetrieved();
                }
            }
            completed.clear();
        }

        void detach() {
            synchronized (this) {
                if (abandoned) {
                    return;
                }
            }
            for (Entry e : entries) {
                e.future.removeListener(e.registration);
            }
        }

        private final class Entry implements Runnable {
            final LoopFuture<?> future;
            Object registration;

            Entry(LoopFuture<?> future) {
                this.future = future;
            }

            @Override
            public void run() {
                boolean retrieve;
                boolean gone;
                synchronized (CompletionQueue.this) {
                    gone = abandoned;
                    if (!gone) {
                        completed.add(future);
                    }
                    retrieve = retrieveLater;
                }
                if (retrieve && future.isFailed()) {
                    future.markRetrieved();
                }
                if (!gone) {
                    waiter.signal();
                }
            }
        }
    }

    private static final class AsCompleted<F extends LoopFuture<?>> implements Iterator<F> {
        private final List<F> futures;
        private final Duration timeout;
        private CompletionQueue queue;
        private CallbackHandle timer;
        private Task<?> self;
        private int remaining;

        AsCompleted(List<F> futures, Duration timeout) {
            this.futures = futures;
            this.timeout = timeout;
            this.remaining = futures.size();
        }

        @Override
        public boolean hasNext() {
            return remaining > 0;
        }

        @Override
        @SuppressWarnings("unchecked")
        public F next() {
            if (remaining == 0) {
                throw new NoSuchElementException();
            }
            if (queue == null) {
                self = currentTask("asCompleted");
                queue = new CompletionQueue(futures, self);
                if (timeout != null) {
                    EventLoop loop = (EventLoop) self.loop();
                    timer = loop.scheduleTimer(deadlineAfter(loop, timeout), self::signal);
                }
            }
            while (true) {
                LoopFuture<?> f = queue.poll();
                if (f != null) {
                    if (--remaining == 0) {
                        finish();
                    }
                    return (F) f;
                }
                if (timer != null && timer.fired()) {
                    finish();
                    throw new TimedOut("asCompleted: " + remaining + " of " + futures.size()
                            + " futures were not done after " + timeout);
                }
                try {
                    self.checkCancel();
                } catch (Cancelled c) {
                    finish();
                    throw c;
                }
                self.park(true, queue);
            }
        }

        private void finish() {
            queue.detach();
            if (timer != null) {
                timer.cancel();
            }
        }
    }
}
