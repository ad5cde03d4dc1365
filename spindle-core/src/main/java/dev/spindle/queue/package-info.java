/**
 * Queues for handing items between coroutines: {@link dev.spindle.queue.LoopQueue} (asyncio's {@code Queue},
 * {@code LifoQueue} and {@code PriorityQueue}, with Python 3.13's {@code shutdown}) and its view for other threads
 * and loops, {@link dev.spindle.queue.ThreadsafeQueue}.
 *
 * {@snippet :
 * LoopQueue<Integer> q = LoopQueue.fifo(10);
 * spawn(() -> { for (int i = 0; i < 100; i++) q.put(i); q.shutdown(); });
 * try {
 *     while (true) System.out.println(q.get());
 * } catch (QueueShutDown end) {
 *     // all 100 printed
 * }
 * }
 *
 * <h2>Rules shared by every queue</h2>
 * <ul>
 *   <li><b>Confinement.</b> A queue belongs to one loop, the loop of its first use (it may be made anywhere, even
 *       before any loop runs). Its methods run on that loop's thread, so it needs no lock. Other threads and loops
 *       go through {@link dev.spindle.queue.LoopQueue#threadsafe()}, which carries each call over to the loop.
 *   <li><b>Order of items.</b> First in first out, last in first out, or smallest first; a priority queue hands out
 *       equal items in the order they were put.
 *   <li><b>Order of waiters.</b> Getters, putters and joiners wait in three separate first-come, first-served lines
 *       ({@code WaitQueue}). Each item put wakes one getter; each item taken wakes one putter.
 *   <li><b>Cancellation leaves nothing half done.</b> A {@code get} that throws {@code Cancelled} took no item; a
 *       {@code put} that throws it put none; a cancelled {@code join} changes nothing. This holds whenever the
 *       cancellation comes: while the coroutine waits, after it was woken but before it ran, or from a timeout. For
 *       the thread-safe view: a call that throws had no effect, a call that returns had its whole effect.
 *   <li><b>Shutdown.</b> After {@code shutdown}, puts throw {@code QueueShutDown}, and gets throw it once the queue
 *       is empty; everyone waiting to put, or to get from an empty queue, is woken and throws it.
 * </ul>
 *
 * <h2>Why a woken getter takes its own item</h2>
 * A queue could hand an item straight to the waiting getter when it is put (Go's channels, Trio's memory channels).
 * Spindle does as asyncio does instead: the put only wakes the getter, and the item stays in the queue until the
 * getter runs and takes it. With a hand-over, an item handed to a getter that is then cancelled before it runs must
 * be put back; when several such getters are cancelled in one pass, putting their items back in the order the getters
 * run turns them around (and "back" has no fixed place in a priority queue), and a putter whose item was already
 * taken in would throw {@code Cancelled} for a put that happened. Leaving every item in the queue until a running
 * getter removes it means no item is ever in transit, so no timing of a cancellation can lose, duplicate or reorder
 * one, and "a cancelled operation had no effect" holds without exceptions. The cost, as in asyncio: a coroutine that
 * calls {@code get} while a woken getter has not yet run may take the item first; the woken getter then waits
 * again, at the end of the line.
 */
package dev.spindle.queue;
