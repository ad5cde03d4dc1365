package dev.spindle.queue;

import dev.spindle.loop.Loop;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link LoopQueue} seen from other threads and other loops: every method may be called from anywhere. Made by
 * {@link LoopQueue#threadsafe()}. The typical use is a producer that is not a coroutine, a plain thread reading a
 * device or a library callback, feeding coroutines through a bounded queue.
 *
 * {@snippet :
 * run(() -> {
 *     LoopQueue<String> lines = LoopQueue.fifo(64);
 *     ThreadsafeQueue<String> in = lines.threadsafe();   // binds the queue to this loop
 *     Thread.ofPlatform().start(() -> {
 *         try (var reader = Files.newBufferedReader(path)) {
 *             reader.lines().forEach(in::put);           // blocks this thread while 64 lines wait
 *         } catch (IOException e) {
 *             throw new UncheckedIOException(e);
 *         } finally {
 *             in.shutdown();
 *         }
 *     });
 *     try {
 *         while (true) {
 *             System.out.println(lines.get());           // coroutines use the queue directly
 *         }
 *     } catch (QueueShutDown end) {
 *         // the reader is done
 *     }
 * });
 * }
 *
 * <h2>How calls run</h2>
 * Every operation is carried out on the queue's loop, in the order the calls reach it, so the queue's own rules
 * (order, waiting lines, shutdown) hold unchanged. Where the call is made decides how the caller waits:
 * <ul>
 *   <li>On the queue's own loop (its coroutines and callbacks), the view calls the queue directly.
 *   <li>A coroutine of another loop is suspended until the operation is done; its loop runs other coroutines
 *       meanwhile. A {@code put} or {@code get} that must wait holds a place in the queue's line, so it waits in turn
 *       with the queue's own coroutines.
 *   <li>A plain thread (or a virtual thread that is not a coroutine) is blocked until the operation is done.
 *   <li>A callback on another loop's thread may not wait, so every method but {@link #size()}, {@link #isEmpty()},
 *       {@link #isFull()} and {@link #maxSize()} fails there with an {@link IllegalStateException}.
 * </ul>
 * Even the {@code Nowait} methods wait for the queue's loop to run them: if that loop is busy they wait for it, and
 * if it is not running they wait until it runs again.
 *
 * <h2>Cancellation</h2>
 * A coroutine waiting here can be cancelled (directly or by a timeout), and a plain thread interrupted. The call
 * then either had no effect and throws {@link Cancelled} (a plain thread's interrupt flag stays set), or, if the
 * queue's loop had already carried it out, returns its result as if nothing happened: the item taken is returned,
 * never dropped. In the second case the cancellation stays pending and is delivered at the coroutine's next wait, and
 * the thread's interrupt flag is set again. An item is never taken and then put back, so the queue's order holds.
 *
 * <h2>Errors</h2>
 * Operations fail as the queue's own do ({@link QueueFull}, {@link QueueEmpty}, {@link QueueShutDown},
 * {@link IllegalStateException} for an extra {@code taskDone}), with the same exception object. If the queue's loop
 * is closed, they throw {@link IllegalStateException}; a plain thread already waiting notices within a tenth of a
 * second.
 *
 * <h2>Pitfalls</h2>
 * A coroutine of another loop waiting here when the queue's loop is closed without {@code Spindle.run}'s shutdown
 * (which cancels the loop's tasks, including those waiting here for other threads) stays suspended until it is
 * cancelled. Calling a waiting method from the thread that is meant to run the queue's loop, before it runs, blocks
 * that thread forever.
 *
 * @param <E> the type of the items
 */
public final class ThreadsafeQueue<E> {
    private final LoopQueue<E> queue;
    private final EventLoop loop;

    ThreadsafeQueue(LoopQueue<E> queue, EventLoop loop) {
        this.queue = queue;
        this.loop = loop;
    }

    /** The queue this is a view of; it may be used directly only on {@link #loop()}. */
    public LoopQueue<E> queue() {
        return queue;
    }

    /** The loop that owns the queue. */
    public Loop loop() {
        return loop;
    }

    // ---- state: snapshots, never waiting ----------------------------------------------------------------

    /**
     * How many items the queue holds. Off the queue's loop this is a recent value, possibly already out of date, and
     * reading it does not wait for the loop.
     */
    public int size() {
        return onOwnLoop() ? queue.size() : queue.sizeSnapshot();
    }

    /** The most items the queue holds, or 0 if unbounded. */
    public int maxSize() {
        return queue.maxSize();
    }

    /** Whether the queue holds no item; a recent value off the queue's loop, as for {@link #size()}. */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** Whether a bounded queue is full; a recent value off the queue's loop, as for {@link #size()}. */
    public boolean isFull() {
        int max = queue.maxSize();
        return max > 0 && size() >= max;
    }

    // ---- operations -------------------------------------------------------------------------------------

    /**
     * {@link LoopQueue#put}: puts {@code item}, first waiting while the queue is full.
     *
     * @throws QueueShutDown if the queue is shut down, before or while this waits
     * @throws Cancelled if the caller is cancelled or interrupted while this waits; the item was not put
     */
    public void put(E item) {
        Objects.requireNonNull(item, "item");
        if (onOwnLoop()) {
            queue.put(item);
            return;
        }
        this.<Void>forward("ThreadsafeQueue.put", req -> {
            if (queue.isShutDown()) {
                req.fail(new QueueShutDown());
            } else if (!queue.full()) {
                if (req.claim()) {
                    queue.addItem(item);
                    req.finish(null);
                }
            } else {
                req.spawnAgent(self -> {
                    if (queue.putWaiting(self, item, req)) {
                        req.finish(null);
                    }
                });
            }
        });
    }

    /**
     * {@link LoopQueue#putNowait}: puts {@code item} if there is room.
     *
     * @throws QueueFull if the queue is full
     * @throws QueueShutDown if the queue is shut down
     */
    public void putNowait(E item) {
        Objects.requireNonNull(item, "item");
        if (onOwnLoop()) {
            queue.putNowait(item);
            return;
        }
        this.<Void>forward("ThreadsafeQueue.putNowait", req -> {
            if (req.claim()) {
                queue.putNowait(item);
                req.finish(null);
            }
        });
    }

    /**
     * {@link LoopQueue#get}: removes and returns the next item, first waiting while the queue is empty.
     *
     * @throws QueueShutDown if the queue is shut down and empty, before or while this waits
     * @throws Cancelled if the caller is cancelled or interrupted while this waits; no item was taken
     */
    public E get() {
        if (onOwnLoop()) {
            return queue.get();
        }
        return this.<E>forward("ThreadsafeQueue.get", req -> {
            if (queue.hasItems()) {
                if (req.claim()) {
                    req.finish(queue.removeItem());
                }
            } else if (queue.isShutDown()) {
                req.fail(new QueueShutDown());
            } else {
                req.spawnAgent(self -> {
                    E item = queue.takeWaiting(self, req);
                    if (item != null) {
                        req.finish(item);
                    }
                });
            }
        });
    }

    /**
     * {@link LoopQueue#getNowait}: removes and returns the next item if there is one.
     *
     * @throws QueueEmpty if the queue is empty
     * @throws QueueShutDown if the queue is empty and shut down
     */
    public E getNowait() {
        if (onOwnLoop()) {
            return queue.getNowait();
        }
        return this.<E>forward("ThreadsafeQueue.getNowait", req -> {
            if (req.claim()) {
                req.finish(queue.getNowait());
            }
        });
    }

    /**
     * {@link LoopQueue#taskDone}: marks one item taken from the queue as handled.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        if (onOwnLoop()) {
            queue.taskDone();
            return;
        }
        this.<Void>forward("ThreadsafeQueue.taskDone", req -> {
            if (req.claim()) {
                queue.taskDone();
                req.finish(null);
            }
        });
    }

    /** {@link LoopQueue#join}: waits until every item put has been marked done. */
    public void join() {
        if (onOwnLoop()) {
            queue.join();
            return;
        }
        this.<Void>forward("ThreadsafeQueue.join", req -> {
            if (queue.unfinished() == 0) {
                if (req.claim()) {
                    req.finish(null);
                }
            } else {
                req.spawnAgent(self -> {
                    queue.joinWaiting(self);
                    if (req.claim()) {
                        req.finish(null);
                    }
                });
            }
        });
    }

    /** {@link LoopQueue#shutdown()}; returns once the queue is shut down. */
    public void shutdown() {
        shutdown(false);
    }

    /** {@link LoopQueue#shutdown(boolean)}; returns once the queue is shut down. */
    public void shutdown(boolean immediate) {
        if (onOwnLoop()) {
            queue.shutdown(immediate);
            return;
        }
        this.<Void>forward("ThreadsafeQueue.shutdown", req -> {
            if (req.claim()) {
                queue.shutdown(immediate);
                req.finish(null);
            }
        });
    }

    @Override
    public String toString() {
        return "ThreadsafeQueue[" + queue + " on " + loop.name() + "]";
    }

    // ---- forwarding -------------------------------------------------------------------------------------

    /** Whether the caller runs on the queue's loop (a coroutine or a callback of it), where no forwarding is needed. */
    private boolean onOwnLoop() {
        return EventLoop.currentOrNull() == loop;
    }

    private <R> R forward(String what, Consumer<Forwarded<R>> onLoop) {
        Task<?> self = Task.currentOrNull();
        if (self != null) {
            Suspension.checkCancel(self); // the call suspends, so it is a cancellation point
        } else if (EventLoop.onAnyLoopThread()) {
            throw new IllegalStateException(
                    what + " would block the thread of " + EventLoop.current().name()
                            + " while waiting for the queue's loop " + loop.name() + ": call it from a coroutine");
        } else if (Thread.currentThread().isInterrupted()) {
            throw new Cancelled("interrupted before " + what); // as a JDK blocking call would; the flag stays set
        }
        return new Forwarded<R>(what, loop, self).run(onLoop);
    }
}
