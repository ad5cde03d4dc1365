/**
 * asyncio's synchronization primitives for the coroutines of one loop: {@link dev.spindle.sync.LoopLock},
 * {@link dev.spindle.sync.LoopEvent}, {@link dev.spindle.sync.LoopCondition}, {@link dev.spindle.sync.LoopSemaphore},
 * {@link dev.spindle.sync.LoopBoundedSemaphore} and {@link dev.spindle.sync.LoopBarrier}. The {@code Loop} prefix
 * keeps them apart from {@code java.util.concurrent}'s names, as {@code LoopFuture} does.
 *
 * {@snippet :
 * LoopLock lock = new LoopLock();            // may be made anywhere, even in a static field
 * try (var _ = lock.acquire()) {             // acquire() returns a Held; closing it releases
 *     update(shared);
 * }
 * }
 *
 * <h2>Rules shared by every primitive here</h2>
 * <ul>
 *   <li><b>One loop.</b> A primitive may be made anywhere and binds to the loop of its first use (as asyncio's
 *       since Python 3.10). From then on it must be used from that loop's coroutines and callbacks only; any other
 *       loop or thread gets an {@link IllegalStateException}. Waiting operations ({@code acquire}, {@code await})
 *       need a coroutine; the others ({@code release}, {@code tryAcquire}, {@code set}, {@code signal},
 *       {@code abort}...) may also be called from loop callbacks. Read-only queries ({@code locked()},
 *       {@code waiters()}...) do not check the thread, and a read from another thread may be stale.
 *   <li><b>Not thread-safe, and need not be.</b> Everything of a loop runs on its one thread, so the primitives take
 *       no locks and use no atomics. From another thread, go through the loop: {@code loop.callSoonThreadsafe(
 *       event::set)}, or {@code loop.submit(...)} a coroutine that acquires.
 *   <li><b>FIFO.</b> Waiters are served in the order they began to wait. A lock or permit freed while coroutines
 *       wait is handed directly to the longest waiter, so a newcomer that did not wait cannot take it first
 *       ({@code tryAcquire} fails while anyone waits).
 *   <li><b>Cancellation safety.</b> A waiter may be cancelled at any moment (directly, by a timeout such as
 *       {@code Spindle.withTimeout}, or by its task group), and nothing is lost: one cancelled while it waits
 *       leaves the line; one cancelled after a lock, permit or signal was handed to it but before it ran passes
 *       it on to the next waiter. It then throws {@link dev.spindle.task.Cancelled}, holding nothing it did not
 *       hold before ({@link dev.spindle.sync.LoopCondition#await()} is the exception by design: it always
 *       re-acquires its lock first). An operation that need not wait returns without suspending, so it is no
 *       cancellation point, as in asyncio.
 *   <li><b>Not owned.</b> As in asyncio, a lock or semaphore does not record who holds it: any coroutine or
 *       callback of the loop may release it. Nothing is reentrant.
 * </ul>
 *
 * <h2>{@code java.util.concurrent} inside coroutines</h2>
 * A coroutine is a virtual thread, so every JDK blocking primitive works in it too and parks only that coroutine,
 * never the loop: {@link java.util.concurrent.locks.ReentrantLock}, {@link java.util.concurrent.Semaphore},
 * {@link java.util.concurrent.CountDownLatch}, {@link java.util.concurrent.CyclicBarrier}, any
 * {@link java.util.concurrent.BlockingQueue}, {@link java.util.concurrent.CompletableFuture#get()}. Use them to
 * coordinate coroutines of <em>different</em> loops, or coroutines with plain threads, which the primitives here
 * cannot do. What they do not give:
 * <ul>
 *   <li><b>No loop-aware order or fairness.</b> A woken coroutine is put back on the loop's ready queue when the
 *       JDK unparks it, after whatever is already there, and the JDK's own queueing (even a fair
 *       {@code ReentrantLock}) knows nothing of Spindle's FIFO rules. Within one loop, prefer the primitives here.
 *   <li><b>Cancellation arrives as an interruption.</b> {@code Task.cancel} interrupts a task blocked in a JDK
 *       call: the call throws {@link InterruptedException}, and a task that ends by throwing it counts as
 *       cancelled (so does one that throws it out of a {@code withTimeout} body, which then times out). Let it
 *       propagate (a coroutine may throw checked exceptions), or throw {@link dev.spindle.task.Cancelled}
 *       instead. Wrapped in another exception ({@code new RuntimeException(e)}) it makes the task end
 *       <em>failed</em>, not cancelled.
 *   <li><b>Catching the interruption weakens the cancel.</b> The cancellation stays pending: the task's next
 *       Spindle wait throws {@code Cancelled}, and a task that returns normally still ends cancelled. But the
 *       interrupt status is gone, so the task's later JDK blocking calls are no longer interrupted and wait until
 *       they are done. Restore it with {@code Thread.currentThread().interrupt()} if the code goes on blocking.
 *   <li><b>{@code synchronized}</b> is fine since JDK 24 (JEP 491): a coroutine blocked entering a monitor, or in
 *       {@code Object.wait()}, parks only itself. But entering a monitor cannot be interrupted, so a task waiting
 *       for one cannot be cancelled until it gets in; do not hold a monitor across long waits.
 * </ul>
 */
package dev.spindle.sync;
