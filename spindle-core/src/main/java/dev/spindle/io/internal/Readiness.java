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
 * <p>{@link #await} adds the operation to the key's interest; a selection that finds it ready signals the waiter.
 * Reading interest then stays set until a selection finds the channel readable with nobody waiting, so an idle
 * connection costs the selector nothing and a request-response one changes no interest at all; writing and
 * connecting interest is removed by the selection that reports it (a socket is nearly always writable again).
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
                Suspension.park(self, this);
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

    /**
     * Called by the selection: wakes who waits for what is ready. Inbound interest that a woken reader will ask for
     * again (it reads, answers, and waits to read again before the next selection) stays set, so the usual
     * request-response round queues no interest change with the selector; inbound interest nobody waits for, and
     * outbound interest always, are removed.
     */
    void fire(SelectionKey k) {
        int ready;
        try {
            ready = k.readyOps();
        } catch (CancelledKeyException e) {
            closed();
            return;
        }
        int unwanted = 0;
        if ((ready & INBOUND) != 0) {
            if (inbound == null) {
                unwanted |= ready & INBOUND;
            } else if (!inboundReady) {
                inboundReady = true;
                Suspension.signal(inbound);
            }
        }
        if ((ready & OUTBOUND) != 0) {
            // Outbound interest goes at once: a socket is writable again as soon as the kernel has sent a little, so
            // left set it would be reported while the woken writer is still busy; and once connected, OP_CONNECT no
            // longer translates into a ready operation, so the socket's writability would wake every selection.
            unwanted |= ready & OUTBOUND;
            if (outbound != null && !outboundReady) {
                outboundReady = true;
                Suspension.signal(outbound);
            }
        }
        if (unwanted != 0) {
            // level-triggered: left set, it would be reported again at every selection
            try {
                k.interestOpsAnd(~unwanted);
            } catch (CancelledKeyException e) {
                closed();
            }
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

    /** Whether {@code task} is the coroutine waiting to read (or accept); else it waits to write or connect. */
    public boolean isInboundWaiter(Task<?> task) {
        return inbound == task;
    }

    /** Whether the channel is a listening socket (its inbound waiter waits to accept). */
    public boolean isListener() {
        SelectionKey k = key;
        return k != null && k.channel() instanceof java.nio.channels.ServerSocketChannel;
    }

    /** The channel, as task dumps show what a coroutine waits on: its addresses, for a socket. */
    @Override
    public String toString() {
        SelectionKey k = key;
        if (k == null) {
            return "an unregistered channel";
        }
        if (k.channel() instanceof java.nio.channels.ServerSocketChannel s) {
            try {
                return "listening socket " + s.getLocalAddress();
            } catch (java.io.IOException | RuntimeException e) {
                return "closed listening socket";
            }
        }
        return String.valueOf(k.channel());
    }

    /** Whether a coroutine waits to read (or accept) from the channel. */
    public boolean hasInboundWaiter() {
        return inbound != null;
    }
}
