package dev.spindle.task;

import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.internal.Sneaky;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * How the current code waits for a future: a coroutine parks its task ({@link Task#park}); a plain thread blocks;
 * a loop's own thread outside any coroutine may not wait at all, since that would stop the loop.
 */
final class Awaiting {
    private Awaiting() {}

    static <R> R await(LoopFuture<R> f) {
        if (f.isDone()) { // awaiting a done future does not suspend, so it is no cancellation point (asyncio)
            return resultOf(f);
        }
        Task<?> self = Task.currentOrNull();
        if (self == null) {
            return awaitBlocking(f);
        }
        if (self == f) {
            throw new IllegalStateException(f.describe() + " cannot await itself");
        }
        return await(self, f, () -> false);
    }

    /**
     * Parks {@code self} until {@code f} is done. If {@code self} is cancelled meanwhile, {@code f} is cancelled
     * too, and {@code self} waits, deaf to further cancels, until {@code f} has finished; then it throws the
     * {@link Cancelled}, unless {@code f} ignored the cancellation and {@code keepOutcome} says that its outcome
     * should win (as {@code waitFor} does for a timeout's own cancellation).
     */
    static <R> R await(Task<?> self, LoopFuture<R> f, java.util.function.BooleanSupplier keepOutcome) {
        if (f.isDone()) {
            return resultOf(f);
        }
        Object registration = f.addListener(self);
        try {
            while (true) {
                if (self.cancelPending()) {
                    Cancelled c = self.takeCancel();
                    if (!f.isDone()) {
                        f.cancelThreadsafe(c.getMessage());
                        while (!f.isDone()) {
                            self.park(false, f);
                        }
                        if (!f.isCancelled() && keepOutcome.getAsBoolean()) {
                            return resultOf(f); // it ignored the cancellation: its outcome is the answer
                        }
                    }
                    f.markRetrieved(); // a failure is superseded by the cancellation
                    throw c;
                }
                if (f.isDone()) {
                    break;
                }
                self.park(true, f);
            }
        } finally {
            f.removeListener(registration);
        }
        return resultOf(f);
    }

    static <R> R resultOf(LoopFuture<R> f) {
        return f.result();
    }

    private static <R> R awaitBlocking(LoopFuture<R> f) {
        checkMayBlock();
        Thread me = Thread.currentThread();
        Runnable wake = () -> LockSupport.unpark(me);
        Object registration = f.addListener(wake);
        if (registration != null) {
            try {
                while (!f.isDone()) {
                    LockSupport.park(f);
                    if (Thread.interrupted()) {
                        me.interrupt();
                        throw new Cancelled("interrupted while awaiting " + f.describe());
                    }
                }
            } finally {
                f.removeListener(registration);
            }
        }
        return resultOf(f);
    }

    static void checkMayBlock() {
        if (EventLoop.onAnyLoopThread()) {
            throw new IllegalStateException("cannot wait on a loop's thread outside a coroutine: that would stop the"
                    + " loop; spawn a coroutine, or use addDoneCallback");
        }
    }

    /** Awaits any {@link CompletionStage}, for instance a {@link CompletableFuture} from a thread pool. */
    static <R> R await(CompletionStage<R> stage) {
        return await(stage, null);
    }

    /** {@link #await(CompletionStage)}; a task parks with {@code blocker} (or the future) as its park blocker. */
    static <R> R await(CompletionStage<R> stage, Object blocker) {
        if (stage instanceof LoopFuture<?>) {
            @SuppressWarnings("unchecked")
            LoopFuture<R> f = (LoopFuture<R>) stage;
            return await(f);
        }
        CompletableFuture<R> cf = stage.toCompletableFuture();
        if (!cf.isDone()) {
            Task<?> self = Task.currentOrNull();
            if (self == null) {
                checkMayBlock();
                try {
                    return cf.get();
                } catch (ExecutionException e) {
                    throw Sneaky.rethrow(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Cancelled("interrupted while awaiting a CompletableFuture");
                } catch (CancellationException e) {
                    throw new Cancelled(e.getMessage(), e);
                }
            }
            cf.whenComplete((v, e) -> self.signal());
            EventLoop loop = (EventLoop) self.loop();
            loop.foreignWait(1); // another thread completes it: on virtual time, not a reason to jump at once
            try {
                while (true) {
                    if (self.cancelPending()) {
                        Cancelled c = self.takeCancel();
                        cf.cancel(false); // as asyncio's wrap_future does
                        throw c;
                    }
                    if (cf.isDone()) {
                        break;
                    }
                    self.park(true, blocker != null ? blocker : cf);
                }
            } finally {
                loop.foreignWait(-1);
            }
        }
        try {
            return cf.join();
        } catch (CompletionException e) {
            throw Sneaky.rethrow(e.getCause() != null ? e.getCause() : e);
        } catch (CancellationException e) {
            throw e instanceof Cancelled c ? c : new Cancelled(e.getMessage(), e);
        }
    }
}
