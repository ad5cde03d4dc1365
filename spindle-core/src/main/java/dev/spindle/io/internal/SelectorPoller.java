package dev.spindle.io.internal;

import dev.spindle.loop.internal.EventLoop;
import dev.spindle.loop.internal.IoPoller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Not API: a loop's own JDK {@link Selector}, polled on the loop's thread (asyncio's selector event loop). Channels
 * registered here are non-blocking; a coroutine that must wait for one parks in {@link Readiness#await}, and the
 * selection in {@link #poll} signals it on the loop's thread. Readiness therefore never crosses threads, and a
 * cancelled wait only withdraws its interest: unlike a blocking JDK call, nothing is interrupted or closed.
 */
public final class SelectorPoller implements IoPoller {
    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private final Selector selector;
    /** Coroutines parked in {@link Readiness#await} on this selector's channels. Loop-confined. */
    int waiters;

    private SelectorPoller(EventLoop loop) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a selector for " + loop.name(), e);
        }
    }

    /** The selector poller of {@code loop}, installed on first use. Loop thread only. */
    public static SelectorPoller of(EventLoop loop) {
        return loop.poller(SelectorPoller.class, SelectorPoller::new);
    }

    /**
     * Makes {@code channel} non-blocking and registers it here, with no interest yet; the returned
     * {@link Readiness} is how coroutines wait for it. Loop thread only.
     */
    public Readiness register(SelectableChannel channel) throws IOException {
        channel.configureBlocking(false);
        Readiness r = new Readiness(this);
        try {
            r.key = channel.register(selector, 0, r);
        } catch (ClosedChannelException e) {
            throw e;
        }
        return r;
    }

    @Override
    public void poll(long nanos) {
        try {
            if (nanos == 0) {
                selector.selectNow(SelectorPoller::dispatch);
            } else if (nanos < 0) {
                selector.select(SelectorPoller::dispatch);
            } else if (nanos < MILLI) {
                // The selector counts in milliseconds: a shorter wait is a look at the I/O, then a precise park (which
                // Inbox.wake also ends), so that timers keep their precision.
                if (selector.selectNow(SelectorPoller::dispatch) == 0) {
                    LockSupport.parkNanos(this, nanos);
                }
            } else {
                selector.select(SelectorPoller::dispatch, (nanos + MILLI - 1) / MILLI);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("selector failed", e);
        }
    }

    private static void dispatch(SelectionKey key) {
        ((Readiness) key.attachment()).fire(key);
    }

    @Override
    public boolean hasWaiters() {
        return waiters > 0;
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing is left to tell
        }
    }
}
