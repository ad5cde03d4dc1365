package dev.spindle.netty.internal;

import dev.spindle.Spindle;
import dev.spindle.loop.internal.Carrier;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.loop.internal.IoPoller;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.ManualIoEventLoop;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Not API: a loop's I/O driver made of Netty 4.2's {@link ManualIoEventLoop} and its native {@link IoHandler} (epoll,
 * or io_uring: see {@link IoDriver}), run by the loop's own thread whenever the loop polls for I/O. Sockets
 * ({@link FdHandle}s) are registered on the handler directly; their readiness arrives inside {@link #poll}, on the
 * loop's thread, and wakes the coroutines that wait for it. Nothing crosses threads but {@link #wakeup()}.
 *
 * <h2>Threads</h2>
 *
 * The Netty loop is owned by the loop's platform thread: only that thread may {@link #poll}. The handler's notion of
 * "its own thread" is widened to the loop's coroutines too (virtual threads carried by that thread), so that a
 * coroutine may register, re-arm and cancel registrations inline instead of handing them to a task queue, and so that
 * a coroutine's wake-up of its own loop costs nothing (the loop is running, not waiting). A loop with this poller must
 * therefore keep running on the thread that installed it; {@link #poll} on another thread fails.
 *
 * <h2>Wake-ups</h2>
 *
 * Netty's epoll handler only writes its eventfd when the loop is already inside {@code epoll_wait}; a wake-up that
 * arrives between the loop's last look at its inbox and that point would be lost. The loop closes that window with
 * Netty's own hook: {@link #wakeup()} first raises {@code wakeRequested}, and the handler, after announcing that it
 * is about to block, asks {@code canBlock()}, which reads the flag (both volatile, so one of the two sides sees the
 * other).
 */
public final class NettyPoller implements IoPoller {
    /** How much of a heap buffer one read or write moves through {@link #scratch}. */
    private static final int SCRATCH_BYTES = 128 * 1024;

    private final String loopName;
    private final Thread owner;
    private final IoDriver driver;
    private final OwnedLoop netty;
    private final IoHandler handler;
    /**
     * A direct buffer for reads into and writes from heap buffers (Netty's native calls need native memory). Loop
     * thread only; filled and emptied within one call, never across a park.
     */
    final ByteBuffer scratch = ByteBuffer.allocateDirect(SCRATCH_BYTES);

    private volatile boolean wakeRequested;
    /** Whether the Netty loop has run once (see {@link #awaitStarted}); loop thread only. */
    private boolean started;

    private boolean closed;

    private NettyPoller(EventLoop loop, IoDriver driver) {
        loop.checkThread("installing the Netty poller");
        this.loopName = loop.name();
        this.owner = Carrier.currentCarrier();
        this.driver = driver;
        HandlerCapture capture = new HandlerCapture(driver.factory(), owner);
        this.netty = new OwnedLoop(owner, capture, this);
        this.handler = capture.handler;
    }

    /**
     * The Netty poller of {@code loop}, installed on first use with the {@linkplain IoDriver#chosen() chosen driver}.
     * Loop thread only.
     *
     * @throws IllegalStateException if the loop already does I/O through another poller (the JDK selector)
     */
    public static NettyPoller of(EventLoop loop) {
        return of(loop, IoDriver.chosen());
    }

    /**
     * {@link #of} with an explicit driver; the driver only matters when this call installs the poller. A coroutine
     * that installs it waits one pass of the loop (see {@link #awaitStarted}), and may be cancelled there.
     */
    public static NettyPoller of(EventLoop loop, IoDriver driver) {
        NettyPoller p = loop.poller(NettyPoller.class, l -> new NettyPoller(l, driver));
        p.awaitStarted();
        return p;
    }

    /**
     * Netty initialises a handler in its loop's first run (io_uring enables its ring there, and binds it to the
     * thread that does), and only the owning platform thread may run it, not a coroutine it carries. So a coroutine
     * that installs the poller yields once: the loop's next pass polls, which starts the handler; sockets are
     * registered after that.
     */
    private void awaitStarted() {
        while (!started) {
            if (Thread.currentThread() == owner) {
                start();
            } else {
                Spindle.sleep(Duration.ZERO);
            }
        }
    }

    /** Runs the Netty loop once without waiting, which initialises its handler. Owner thread only. */
    private void start() {
        started = true;
        netty.runNow();
    }

    /** The native mechanism under this poller. */
    public IoDriver driver() {
        return driver;
    }

    /**
     * Registers {@code fd} on the handler and arms it for edge-triggered readiness. Loop thread (or one of its
     * coroutines) only. On failure the caller still owns the socket.
     */
    IoRegistration register(FdHandle fd) throws IOException {
        if (closed) {
            throw new IOException("the loop " + loopName + " is closed");
        }
        IoRegistration r;
        try {
            r = handler.register(fd);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("could not register " + fd + " on " + driver, e);
        }
        try {
            driver.arm(r, fd);
        } catch (UncheckedIOException e) {
            r.cancel();
            throw e.getCause();
        } catch (RuntimeException e) {
            r.cancel();
            throw e;
        }
        return r;
    }

    @Override
    public void poll(long nanos) {
        if (!started) {
            start();
        }
        if (nanos == 0) {
            netty.runNow();
        } else {
            // ManualIoEventLoop.run: 0 waits without limit, a positive count waits that long.
            netty.run(nanos < 0 ? 0 : Math.max(nanos, 1));
        }
        // Consumed: the wake-up either kept this poll from blocking or ended it. Anything the waker handed over is
        // already in the loop's inbox, which the loop drains right after this returns.
        wakeRequested = false;
    }

    @Override
    public void wakeup() {
        wakeRequested = true;
        netty.wakeup();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Closes what is still registered (FdHandle.close), then the handler's own descriptors.
        if (Thread.currentThread() == owner) {
            netty.shutdownGracefully(0, 0, TimeUnit.NANOSECONDS);
            while (!netty.isTerminated()) {
                netty.runNow();
            }
        } else {
            // Closed by a thread that never ran the loop: nothing runs it any more, so tear the handler down here.
            handler.prepareToDestroy();
            handler.destroy();
        }
    }

    @Override
    public String toString() {
        return "NettyPoller[" + driver + ", " + loopName + "]";
    }

    /** The Netty loop, refusing to block while a wake-up is pending (see the class comment). */
    private static final class OwnedLoop extends ManualIoEventLoop {
        private final NettyPoller poller;

        OwnedLoop(Thread owner, IoHandlerFactory factory, NettyPoller poller) {
            super(null, owner, factory);
            this.poller = poller;
        }

        @Override
        protected boolean canBlock() {
            return !poller.wakeRequested;
        }
    }

    /**
     * Creates the handler with an executor view that counts the loop's coroutines as its own thread, and keeps it:
     * {@link ManualIoEventLoop} does not expose its handler, and this poller registers on it directly.
     */
    private static final class HandlerCapture implements IoHandlerFactory {
        private final IoHandlerFactory delegate;
        private final Thread owner;
        IoHandler handler;

        HandlerCapture(IoHandlerFactory delegate, Thread owner) {
            this.delegate = delegate;
            this.owner = owner;
        }

        @Override
        public IoHandler newHandler(ThreadAwareExecutor nettyLoop) {
            handler = delegate.newHandler(new LoopThreads(nettyLoop, owner));
            return handler;
        }

        @Override
        public boolean isChangingThreadSupported() {
            return delegate.isChangingThreadSupported();
        }
    }

    /** The loop's platform thread and every coroutine it carries; work from elsewhere goes to the Netty loop. */
    private record LoopThreads(ThreadAwareExecutor nettyLoop, Thread owner) implements ThreadAwareExecutor {
        @Override
        public boolean isExecutorThread(Thread t) {
            if (t == owner) {
                return true;
            }
            return t.isVirtual() && t == Thread.currentThread() && Carrier.currentCarrier() == owner;
        }

        @Override
        public void execute(Runnable command) {
            nettyLoop.execute(command);
        }
    }
}
