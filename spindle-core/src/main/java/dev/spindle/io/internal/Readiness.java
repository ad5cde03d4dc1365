package dev.spindle.io.internal;

import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;

/**
 * Not API: the readiness of one channel registered with a {@link SelectorPoller}, and the (at most) two coroutines
 * waiting for it: one to read or accept, one to write or finish connecting. Loop-confined.
 *
 * <p>Interest is one-shot: {@link #await} adds the operation to the key's interest, and the selection that finds it
 * ready removes it again and signals the waiter, so an idle connection costs the selector nothing.
 */
public final class Readiness {
    private static final int INBOUND = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
    private static final int OUTBOUND = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

    private final SelectorPoller poller;
    SelectionKey key;
    private Task<?> inbound;
    private Task<?> outbound;
    private boolean inboundReady;
    private boolean outboundReady;

    Readiness(SelectorPoller poller) {
        this.poller = poller;
    }

    /**
     * Parks the current coroutine until the channel is ready for {@code op} (one {@link SelectionKey} operation),
     * or the channel is closed.
     *
     * @throws dev.spindle.task.Cancelled if the task is cancelled first; the interest is withdrawn and the channel is
     *     left as it was
     * @throws ClosedChannelException if the channel is closed before or while this waits
     * @throws IllegalStateException if another coroutine already waits for the same direction (two readers of one
     *     stream, for instance)
     */
    public void await(int op, String what) throws ClosedChannelException {
        Task<?> self = Suspension.currentTask(what);
        boolean in = (op & INBOUND) != 0;
        if (in ? inbound != null : outbound != null) {
            throw new IllegalStateException(what + ": another coroutine is already waiting to "
                    + (in ? "read from" : "write to") + " this channel; only one may at a time");
        }
        Suspension.checkCancel(self);
        try {
            key.interestOpsOr(op);
        } catch (CancelledKeyException e) {
            throw new ClosedChannelException();
        }
        if (in) {
            inbound = self;
            inboundReady = false;
        } else {
            outbound = self;
            outboundReady = false;
        }
        poller.waiters++;
        try {
            while (!(in ? inboundReady : outboundReady)) {
                Suspension.park(self);
                if (Suspension.cancelPending(self)) {
                    withdraw(op);
                    throw Suspension.takeCancel(self);
                }
            }
            if (!key.isValid()) {
                throw new ClosedChannelException();
            }
        } finally {
            poller.waiters--;
            if (in) {
                inbound = null;
            } else {
                outbound = null;
            }
        }
    }

    private void withdraw(int op) {
        if (key.isValid()) {
            key.interestOpsAnd(~op);
        }
    }

    /** Called by the selection: removes what is ready from the interest and wakes who waits for it. */
    void fire(SelectionKey k) {
        int ready;
        try {
            ready = k.readyOps();
            k.interestOpsAnd(~ready);
        } catch (CancelledKeyException e) {
            closed();
            return;
        }
        if ((ready & INBOUND) != 0 && inbound != null) {
            inboundReady = true;
            Suspension.signal(inbound);
        }
        if ((ready & OUTBOUND) != 0 && outbound != null) {
            outboundReady = true;
            Suspension.signal(outbound);
        }
    }

    /** The channel was closed (by another coroutine, for instance): wakes both waiters, which then fail. */
    public void closed() {
        if (inbound != null) {
            inboundReady = true;
            Suspension.signal(inbound);
        }
        if (outbound != null) {
            outboundReady = true;
            Suspension.signal(outbound);
        }
    }

    /** Whether a coroutine waits to read (or accept) from the channel. */
    public boolean hasInboundWaiter() {
        return inbound != null;
    }
}
