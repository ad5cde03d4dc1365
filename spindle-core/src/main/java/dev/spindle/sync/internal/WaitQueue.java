package dev.spindle.sync.internal;

import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;
import java.util.function.Consumer;

/**
 * Not API: a FIFO line of parked coroutines, aware of cancellation (Trio's "parking lot"). Every Spindle primitive
 * that makes coroutines wait (locks, events, semaphores, queues, barriers) parks them here, so that fairness and
 * cancellation are handled once.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Confined to one loop's thread, like the primitives built on it; no field needs a fence.
 *   <li>{@link #wakeFirst} takes the longest-waiting coroutine out of the line and hands it a value (a permit, an
 *       item, or just {@code true}); the coroutine returns it from {@link #park} when it next runs.
 *   <li>Cancellation wins, as in asyncio: a waiter cancelled while parked leaves the line and throws
 *       {@link Cancelled}; a waiter cancelled after it was handed a value but before it ran throws too, and first
 *       gives the value back through the {@code giveBack} callback of {@link #park}, so that no permit, lock or item
 *       is lost (the callback typically hands it to the next waiter).
 *   <li>{@link #parkUncancellable} is the exception, for waits that must not be abandoned (a condition variable
 *       re-acquiring its lock): it returns only when woken, and leaves a cancellation requested meanwhile pending
 *       for the caller to deliver.
 * </ul>
 */
public final class WaitQueue {
    /** One parked coroutine. Nodes are intrusive: {@code prev}/{@code next} link the line. */
    private static final class Waiter {
        final Task<?> task;
        Waiter prev;
        Waiter next;
        /** Set by the waker: the waiter left the line and holds {@link #value}. */
        boolean woken;

        Object value;

        Waiter(Task<?> task) {
            this.task = task;
        }
    }

    private Waiter head;
    private Waiter tail;
    private int size;

    /** What task dumps show of a coroutine parked here (the primitive is named by the frame that parked). */
    @Override
    public String toString() {
        return "a line of " + size + (size == 1 ? " waiter" : " waiters");
    }

    /** How many coroutines wait. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Parks {@code self} at the end of the line until {@link #wakeFirst} or {@link #wakeAll} hands it a value, and
     * returns that value.
     *
     * @param giveBack called with the value if the waiter was handed one but was cancelled before it could use it
     *     (may be {@code null} when the value is only a wake-up and nothing needs to be passed on)
     * @throws Cancelled if the task is cancelled first (or at the same time)
     */
    public Object park(Task<?> self, Consumer<Object> giveBack) {
        Suspension.checkCancel(self);
        Waiter w = new Waiter(self);
        link(w);
        while (true) {
            Suspension.park(self, this);
            if (Suspension.cancelPending(self)) {
                Cancelled c = Suspension.takeCancel(self);
                if (w.woken) {
                    if (giveBack != null) {
                        giveBack.accept(w.value);
                    }
                } else {
                    unlink(w);
                }
                throw c;
            }
            if (w.woken) {
                return w.value;
            }
        }
    }

    /**
     * Parks {@code self} at the end of the line until {@link #wakeFirst} or {@link #wakeAll} hands it a value, and
     * returns that value, deaf to cancellation: a cancellation requested meanwhile stays pending (the caller checks
     * {@link Suspension#cancelPending} afterwards). Since the waiter cannot leave the line, nothing handed to it is
     * ever lost.
     */
    public Object parkUncancellable(Task<?> self) {
        Waiter w = new Waiter(self);
        link(w);
        while (!w.woken) {
            Suspension.parkUncancellable(self, this);
        }
        return w.value;
    }

    /**
     * Takes the first waiter out of the line, hands it {@code value} and makes it ready. Returns {@code false} if
     * nobody waits.
     */
    public boolean wakeFirst(Object value) {
        Waiter w = head;
        if (w == null) {
            return false;
        }
        unlink(w);
        w.woken = true;
        w.value = value;
        Suspension.signal(w.task);
        return true;
    }

    /** Wakes every waiter with {@code value}, in FIFO order; returns how many. */
    public int wakeAll(Object value) {
        int n = 0;
        while (wakeFirst(value)) {
            n++;
        }
        return n;
    }

    private void link(Waiter w) {
        Waiter t = tail;
        w.prev = t;
        if (t == null) {
            head = w;
        } else {
            t.next = w;
        }
        tail = w;
        size++;
    }

    private void unlink(Waiter w) {
        Waiter p = w.prev;
        Waiter n = w.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        w.prev = null;
        w.next = null;
        size--;
    }
}
