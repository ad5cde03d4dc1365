package dev.spindle.queue;

import dev.spindle.gen.AsyncIterator;
import dev.spindle.loop.Loop;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.sync.internal.LoopBinding;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Comparator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A queue for handing items between the coroutines of one loop (asyncio's {@code Queue}, {@code LifoQueue} and
 * {@code PriorityQueue}, with Python 3.13's {@code shutdown}). Named so as not to clash with
 * {@link java.util.Queue}. A bounded queue makes producers wait while it is full; {@link #taskDone()} and
 * {@link #join()} let a producer wait until every item it put has been handled.
 *
 * {@snippet :
 * LoopQueue<String> jobs = LoopQueue.fifo(100);
 * Task<Void> worker = spawn(() -> {
 *     while (true) {
 *         String job = jobs.get();   // waits while the queue is empty
 *         try {
 *             handle(job);
 *         } finally {
 *             jobs.taskDone();
 *         }
 *     }
 * });
 * for (String j : List.of("a", "b", "c")) {
 *     jobs.put(j);                   // waits while 100 items are queued
 * }
 * jobs.join();                       // every job handled
 * worker.cancel();
 * }
 *
 * <h2>Kinds</h2>
 * {@link #fifo()} hands items out in the order they were put, {@link #lifo()} newest first, {@link #priority()}
 * smallest first; a priority queue hands out items that compare equal in the order they were put (it is stable,
 * unlike {@link java.util.PriorityQueue} and asyncio's heap). A {@code maxSize} of zero or less means unbounded, as
 * in asyncio. {@code null} is not an item: putting it throws {@link NullPointerException}.
 *
 * <h2>Threads</h2>
 * A queue may be made anywhere; it belongs to the loop where it is first used, and from then on must be used on
 * that loop's thread: {@link #put}, {@link #get} and {@link #join} from its coroutines (they may suspend), the
 * other methods from its coroutines or callbacks. Anything else fails with an {@link IllegalStateException}.
 * Threads and other loops use the {@link #threadsafe()} view.
 *
 * <h2>Waiting</h2>
 * Coroutines waiting to get, to put, and to join wait in three separate lines and are woken first come, first
 * served: each item put wakes the longest-waiting getter, each item taken wakes the longest-waiting putter. As in
 * asyncio, a woken coroutine takes its item (or free slot) when it next runs; the item stays in the queue until
 * then. So a coroutine that runs in between and calls {@code get} finds the item and may take it first; the woken
 * getter then waits again at the end of the line.
 *
 * <h2>Cancellation</h2>
 * Cancelling a waiting coroutine (directly, or by a timeout around the call) never loses or duplicates an item:
 * <ul>
 *   <li>A {@code get} that throws {@link Cancelled} took nothing, whether it was cancelled while waiting or after an
 *       item arrived for it but before it ran: the item stays in the queue, in its place, and the next waiting
 *       getter is woken for it.
 *   <li>A {@code put} that throws {@link Cancelled} inserted nothing; a slot freed for it passes to the next
 *       waiting putter.
 *   <li>A {@code join} that throws {@link Cancelled} changes nothing.
 * </ul>
 * This is why a woken getter takes its item itself instead of being handed one (see the package overview).
 *
 * <h2>Shutdown</h2>
 * {@link #shutdown(boolean)} ends the queue: afterwards every put throws {@link QueueShutDown}, and a get throws it
 * once the queue is empty. An immediate shutdown also discards the items left, counting each as done for
 * {@link #join()}. Coroutines waiting in {@code put}, or in {@code get} on an empty queue, are woken and throw
 * {@link QueueShutDown}.
 *
 * <h2>Pitfalls</h2>
 * {@link #get()} and {@link #put} do not suspend when they need not (an item is there, a slot is free), so they are
 * cancellation points only when they wait, as in asyncio: a consumer that always finds an item does not see its
 * cancellation until it waits somewhere ({@code sleep(Duration.ZERO)} now and then gives it the chance). Every put
 * adds one to the count {@link #join()} waits on; a consumer that does not call {@link #taskDone()} for each item it
 * took leaves {@code join} waiting forever.
 *
 * @param <E> the type of the items
 */
public final class LoopQueue<E> {
    /** The value a wait line hands a woken coroutine: only a wake-up, the item stays in the store. */
    private static final Object WAKE = Boolean.TRUE;

    private static final VarHandle PUBLISHED_SIZE;

    static {
        try {
            PUBLISHED_SIZE = MethodHandles.lookup().findVarHandle(LoopQueue.class, "publishedSize", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // All fields but the final ones and publishedSize are confined to the bound loop's thread.
    private final Store<E> store;
    private final int maxSize;
    private final LoopBinding binding = new LoopBinding("LoopQueue");
    private final WaitQueue getters = new WaitQueue();
    private final WaitQueue putters = new WaitQueue();
    private final WaitQueue joiners = new WaitQueue();
    /** A getter cancelled after it was woken passes its wake-up on, so the item it was woken for is not stranded. */
    private final Consumer<Object> passGetterWake = ignored -> wakeGetter();

    private final Consumer<Object> passPutterWake = ignored -> wakePutter();
    /** Items put and not yet matched by {@link #taskDone()}. */
    private int unfinished;

    private boolean shutDown;
    /** The store's size for readers on other threads ({@link ThreadsafeQueue#size()}); written with release. */
    @SuppressWarnings("unused")
    private int publishedSize;

    private LoopQueue(Store<E> store, int maxSize) {
        this.store = store;
        this.maxSize = Math.max(0, maxSize);
    }

    // ---- making one -------------------------------------------------------------------------------------

    /** An unbounded first-in, first-out queue (asyncio's {@code Queue()}). */
    public static <E> LoopQueue<E> fifo() {
        return new LoopQueue<>(new Store.Ends<>(false), 0);
    }

    /** A first-in, first-out queue holding at most {@code maxSize} items; zero or less means unbounded. */
    public static <E> LoopQueue<E> fifo(int maxSize) {
        return new LoopQueue<>(new Store.Ends<>(false), maxSize);
    }

    /** An unbounded last-in, first-out queue, a stack (asyncio's {@code LifoQueue()}). */
    public static <E> LoopQueue<E> lifo() {
        return new LoopQueue<>(new Store.Ends<>(true), 0);
    }

    /** A last-in, first-out queue holding at most {@code maxSize} items; zero or less means unbounded. */
    public static <E> LoopQueue<E> lifo(int maxSize) {
        return new LoopQueue<>(new Store.Ends<>(true), maxSize);
    }

    /**
     * An unbounded queue that hands out the smallest item first by natural order (asyncio's
     * {@code PriorityQueue()}); equal items come out in the order they were put.
     */
    public static <E extends Comparable<? super E>> LoopQueue<E> priority() {
        return new LoopQueue<>(new Store.Priority<E>(Comparator.naturalOrder()), 0);
    }

    /**
     * A queue that hands out the smallest item first by {@code order}, holding at most {@code maxSize} items (zero
     * or less means unbounded). Items that {@code order} finds equal come out in the order they were put. If
     * {@code order} throws, the put throws the same exception and the item is not added.
     */
    public static <E> LoopQueue<E> priority(int maxSize, Comparator<? super E> order) {
        return new LoopQueue<>(new Store.Priority<E>(Objects.requireNonNull(order, "order")), maxSize);
    }

    // ---- state ------------------------------------------------------------------------------------------

    /** How many items the queue holds (asyncio's {@code qsize}). */
    public int size() {
        binding.check();
        return store.size();
    }

    /** The most items the queue holds, or 0 if unbounded. Thread-safe. */
    public int maxSize() {
        return maxSize;
    }

    /** Whether the queue holds no item. */
    public boolean isEmpty() {
        binding.check();
        return store.isEmpty();
    }

    /** Whether a bounded queue holds {@link #maxSize()} items; never for an unbounded one. */
    public boolean isFull() {
        binding.check();
        return full();
    }

    // ---- putting ----------------------------------------------------------------------------------------

    /**
     * Puts {@code item} in the queue, first waiting while it is full. Must be called from a coroutine of the
     * queue's loop.
     *
     * @throws QueueShutDown if the queue is shut down, before or while this waits
     * @throws Cancelled if the calling task is cancelled while this waits; the item was not put
     * @throws NullPointerException if {@code item} is null
     */
    public void put(E item) {
        Objects.requireNonNull(item, "item");
        binding.check();
        putWaiting(Suspension.currentTask("LoopQueue.put"), item, null);
    }

    /**
     * Puts {@code item} in the queue if there is room, without waiting.
     *
     * @throws QueueFull if the queue is full
     * @throws QueueShutDown if the queue is shut down
     * @throws NullPointerException if {@code item} is null
     */
    public void putNowait(E item) {
        Objects.requireNonNull(item, "item");
        binding.check();
        if (shutDown) {
            throw new QueueShutDown();
        }
        if (full()) {
            throw new QueueFull(maxSize);
        }
        addItem(item);
    }

    // ---- getting ----------------------------------------------------------------------------------------

    /**
     * Removes and returns the next item, first waiting while the queue is empty. Must be called from a coroutine of
     * the queue's loop.
     *
     * @throws QueueShutDown if the queue is shut down and empty, before or while this waits
     * @throws Cancelled if the calling task is cancelled while this waits; no item was taken
     */
    public E get() {
        binding.check();
        return takeWaiting(Suspension.currentTask("LoopQueue.get"), null);
    }

    /**
     * Removes and returns the next item if there is one, without waiting.
     *
     * @throws QueueEmpty if the queue is empty
     * @throws QueueShutDown if the queue is empty and shut down
     */
    public E getNowait() {
        binding.check();
        if (store.isEmpty()) {
            if (shutDown) {
                throw new QueueShutDown();
            }
            throw new QueueEmpty();
        }
        return removeItem();
    }

    /**
     * The items of this queue as they arrive, for a for-each loop in a coroutine (the consuming loop of Trio's
     * {@code async for item in receive_channel}): each step is a {@link #get()}, and the iteration ends when the queue
     * is shut down and empty. Several coroutines may each iterate, sharing the items. Taking an item does not mark
     * it done: call {@link #taskDone()} when {@link #join()} is used.
     *
     * {@snippet :
     * for (Job job : jobs.items()) { // until jobs.shutdown() and the last job is taken
     *     handle(job);
     *     jobs.taskDone();
     * }
     * }
     *
     * <p>{@code hasNext()} takes the next item ahead (it must wait for one to know the answer); if the iterator is
     * closed before {@code next()} returns that item, the item goes back to the head of the queue, so nothing is lost
     * (it may briefly make a bounded queue hold one item more than its maximum). A cancelled {@code hasNext()} took
     * nothing.
     */
    public AsyncIterator<E> items() {
        return new Items();
    }

    private final class Items implements AsyncIterator<E> {
        private E ahead;
        private boolean ended;

        @Override
        public boolean hasNext() {
            if (ahead != null) {
                return true;
            }
            if (ended) {
                return false;
            }
            try {
                ahead = get();
                return true;
            } catch (QueueShutDown e) {
                ended = true;
                return false;
            }
        }

        @Override
        public E next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the queue is shut down and empty");
            }
            E item = ahead;
            ahead = null;
            return item;
        }

        @Override
        public void close() {
            ended = true;
            E item = ahead;
            if (item != null) {
                ahead = null;
                binding.check();
                restoreItem(item);
            }
        }
    }

    // ---- tracking work ----------------------------------------------------------------------------------

    /**
     * Says that an item taken from the queue has been handled. Each {@link #put} or {@link #putNowait} adds one to
     * the count of unfinished items and each call of this method takes one away; {@link #join()} waits until the
     * count is zero.
     *
     * @throws IllegalStateException if called more times than items were put (asyncio's {@code ValueError})
     */
    public void taskDone() {
        binding.check();
        if (unfinished <= 0) {
            throw new IllegalStateException("taskDone() called more times than there were items put in the queue");
        }
        if (--unfinished == 0) {
            joiners.wakeAll(WAKE);
        }
    }

    /**
     * Waits until every item put in the queue has been marked done with {@link #taskDone()}; returns at once if
     * none is unfinished. Must be called from a coroutine of the queue's loop. As in asyncio, a coroutine woken
     * because the count reached zero returns even if items were put again before it ran.
     *
     * @throws Cancelled if the calling task is cancelled while this waits
     */
    public void join() {
        binding.check();
        joinWaiting(Suspension.currentTask("LoopQueue.join"));
    }

    // ---- shutting down ----------------------------------------------------------------------------------

    /** {@link #shutdown(boolean) shutdown(false)}: puts fail from now on; gets take what is left, then fail. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down (Python 3.13's {@code shutdown}). From now on every put throws {@link QueueShutDown}; a
     * get takes the items left and throws {@link QueueShutDown} once the queue is empty. With {@code immediate}, the
     * items left are discarded at once and each counts as done, so {@link #join()} returns unless items already
     * taken are still being handled. Coroutines waiting in {@code put}, or in {@code get} on an empty queue, are
     * woken and throw {@link QueueShutDown}. Calling it again does no harm (and may make the shutdown immediate).
     */
    public void shutdown(boolean immediate) {
        binding.check();
        shutDown = true;
        if (immediate && !store.isEmpty()) {
            unfinished = Math.max(0, unfinished - store.size());
            store.clear();
            publishSize();
            if (unfinished == 0) {
                joiners.wakeAll(WAKE);
            }
        }
        getters.wakeAll(WAKE);
        putters.wakeAll(WAKE);
    }

    // ---- other threads ----------------------------------------------------------------------------------

    /**
     * A view of this queue usable from any thread and from other loops, bound to the queue's loop. Called from a
     * coroutine or callback of a loop, it binds a queue not yet used to that loop; from elsewhere the queue must
     * already be bound (use {@link #threadsafe(Loop)} otherwise).
     *
     * @throws IllegalStateException if the queue belongs to no loop yet and this is not called on a loop's thread
     */
    public ThreadsafeQueue<E> threadsafe() {
        EventLoop owner = binding.loopOrNull();
        if (owner == null) {
            EventLoop here = EventLoop.currentOrNull();
            if (here == null || !here.inLoopThread()) {
                throw new IllegalStateException("this LoopQueue belongs to no loop yet: call threadsafe() from a"
                        + " coroutine of the loop that should own it, or threadsafe(loop)");
            }
            owner = binding.check();
        }
        return new ThreadsafeQueue<>(this, owner);
    }

    /**
     * A view of this queue usable from any thread and from other loops, binding the queue to {@code loop} if it
     * belongs to no loop yet. Meant for setting up a loop and its queues from the thread that will run it.
     *
     * @throws IllegalStateException if the queue belongs to another loop, or {@code loop} is closed
     */
    public ThreadsafeQueue<E> threadsafe(Loop loop) {
        EventLoop l = (EventLoop) Objects.requireNonNull(loop, "loop");
        if (l.isClosed()) {
            throw new IllegalStateException("the loop " + l.name() + " is closed");
        }
        binding.bind(l);
        return new ThreadsafeQueue<>(this, l);
    }

    /** A description for logs: kind, size, bound, waiting coroutines; read racily off the loop. */
    @Override
    public String toString() {
        return "LoopQueue[" + store.kind() + ", size=" + (int) PUBLISHED_SIZE.getAcquire(this)
                + (maxSize > 0 ? "/" + maxSize : "") + ", getters=" + getters.size() + ", putters="
                + putters.size() + ", unfinished=" + unfinished + (shutDown ? ", shut down]" : "]");
    }

    // ---- the implementation, shared with ThreadsafeQueue (loop thread only) ------------------------------

    /** {@link #size()} for other threads: a recent value, not necessarily the current one. */
    int sizeSnapshot() {
        return (int) PUBLISHED_SIZE.getAcquire(this);
    }

    boolean full() {
        return maxSize > 0 && store.size() >= maxSize;
    }

    boolean isShutDown() {
        return shutDown;
    }

    boolean hasItems() {
        return !store.isEmpty();
    }

    int unfinished() {
        return unfinished;
    }

    /**
     * {@link #put}'s body. With a {@code claim} (a forwarded put of the thread-safe view), the item goes in only if
     * the claim succeeds when there is room, that is only if the caller has not given up; otherwise the slot passes
     * to the next putter and this returns {@code false}.
     */
    boolean putWaiting(Task<?> self, E item, Forwarded<?> claim) {
        while (full()) {
            if (shutDown) {
                throw new QueueShutDown();
            }
            putters.park(self, passPutterWake);
        }
        if (shutDown) {
            throw new QueueShutDown();
        }
        if (claim != null && !claim.claim()) {
            wakePutter();
            return false;
        }
        try {
            addItem(item);
        } catch (RuntimeException | Error e) { // a priority queue's comparator threw: the slot is still free
            wakePutter();
            throw e;
        }
        return true;
    }

    /**
     * {@link #get}'s body. With a {@code claim}, the item is taken only if the claim succeeds once there is one;
     * otherwise it stays for the next getter and this returns {@code null}.
     */
    E takeWaiting(Task<?> self, Forwarded<?> claim) {
        while (store.isEmpty()) {
            if (shutDown) {
                throw new QueueShutDown();
            }
            getters.park(self, passGetterWake);
        }
        if (claim != null && !claim.claim()) {
            wakeGetter();
            return null;
        }
        return removeItem();
    }

    void joinWaiting(Task<?> self) {
        if (unfinished > 0) {
            joiners.park(self, null);
        }
    }

    /** Adds an item; the caller checked that there is room and that the queue is not shut down. */
    void addItem(E item) {
        store.add(item);
        unfinished++;
        publishSize();
        getters.wakeFirst(WAKE);
    }

    /** Puts back an item an iterator fetched ahead and never returned; it comes out next again. */
    void restoreItem(E item) {
        store.restore(item);
        publishSize();
        getters.wakeFirst(WAKE);
    }

    /** Removes the next item; the caller checked that there is one. */
    E removeItem() {
        E item = store.remove();
        publishSize();
        putters.wakeFirst(WAKE);
        return item;
    }

    private void wakeGetter() {
        if (!store.isEmpty()) {
            getters.wakeFirst(WAKE);
        }
    }

    private void wakePutter() {
        if (!full()) {
            putters.wakeFirst(WAKE);
        }
    }

    private void publishSize() {
        PUBLISHED_SIZE.setRelease(this, store.size());
    }

    // For tests: how many coroutines wait in each line.
    int waitingGetters() {
        return getters.size();
    }

    int waitingPutters() {
        return putters.size();
    }

    int waitingJoiners() {
        return joiners.size();
    }
}
