package dev.spindle.netty.internal;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spindle.Spindle;
import dev.spindle.io.internal.Listener;
import dev.spindle.io.internal.SelectorPoller;
import dev.spindle.io.internal.Transport;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The loop waiting in Netty's handler: timers keep their order and never fire early, other threads can wake it, and
 * a socket wait can be cancelled (parked, woken-but-not-run, by a timeout) without closing the socket.
 */
@Timeout(30)
class NettyPollerTest {
    private static final InetSocketAddress LOCALHOST = new InetSocketAddress("127.0.0.1", 0);
    private static final NettyBackend BACKEND = new NettyBackend();

    static NettyPoller install(IoDriver driver) {
        assumeTrue(driver.isAvailable(), driver + " is not available here");
        NettyPoller p = NettyPoller.of(EventLoop.current(), driver);
        assertSame(driver, p.driver());
        return p;
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void timersFireInDeadlineOrderAndNeverEarlyWhileTheLoopWaitsInNetty(IoDriver driver) {
        List<Integer> order = run(() -> {
            install(driver);
            List<Integer> fired = new ArrayList<>();
            EventLoop loop = EventLoop.current();
            // Deadlines in microseconds, scheduled out of order; sub-millisecond ones too (epoll_pwait2, io_uring
            // timeouts and the timerfd all count in nanoseconds).
            int[] micros = {3000, 200, 1500, 50, 700, 2200};
            // Absolute deadlines from one base, so that the order cannot depend on how fast each was scheduled.
            long base = loop.nanoTime();
            for (int us : micros) {
                long deadline = base + us * 1000L;
                loop.callAt(deadline, () -> {
                    long now = loop.nanoTime();
                    assertTrue(now >= deadline, "fired " + (deadline - now) + " ns before its deadline");
                    fired.add(us);
                });
            }
            // A later deadline still: by the heap's order every timer above has fired when this sleep ends.
            sleep(Duration.ofMillis(10));
            assertInstanceOf(NettyPoller.class, loop.pollerOrNull());
            return fired;
        });
        assertEquals(List.of(50, 200, 700, 1500, 2200, 3000), order);
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void anotherThreadWakesALoopThatWaitsInNettyWithoutADeadline(IoDriver driver) {
        int rounds = 2000;
        int done = run(() -> {
            install(driver);
            // Each round the loop has nothing to do but wait (no timer), so only the other thread's wake-up ends the
            // wait; a wake-up lost in the window before epoll_wait would hang the test.
            int n = 0;
            for (int i = 0; i < rounds; i++) {
                CompletableFuture<Integer> f = new CompletableFuture<>();
                int v = i;
                Thread.ofPlatform().start(() -> f.complete(v));
                n += Spindle.await(f) == v ? 1 : 0;
            }
            return n;
        });
        assertEquals(rounds, done);
    }

    @Test
    void aLoopKeepsOnePollerForItsLife() {
        run(() -> {
            NettyPoller p = install(IoDriver.EPOLL);
            assertSame(p, NettyPoller.of(EventLoop.current(), IoDriver.IO_URING));
            assertThrows(IllegalStateException.class, () -> SelectorPoller.of(EventLoop.current()));
        });
    }

    /** A connected pair on the current loop: [server side, client side]. */
    static Transport[] pair(Listener listener) throws Exception {
        Task<Transport> accepted = spawn(listener::accept);
        Transport client = BACKEND.connect(EventLoop.current(), listener.localAddress());
        return new Transport[] {accepted.await(), client};
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void aReadCancelledWhileParkedLeavesTheSocketOpenAndUsable(IoDriver driver) {
        run(() -> {
            install(driver);
            try (Listener l = BACKEND.listen(EventLoop.current(), LOCALHOST, 16, false)) {
                Transport[] p = pair(l);
                Transport server = p[0];
                Transport client = p[1];
                ByteBuffer buf = ByteBuffer.allocate(16);
                Task<Integer> reader = spawn(() -> server.read(buf));
                sleep(Duration.ofMillis(5));
                assertFalse(reader.isDone(), "nothing was sent: the reader must still wait");
                reader.cancel();
                assertThrows(Cancelled.class, reader::await);
                assertTrue(server.isOpen(), "a cancelled wait must not close the socket");
                assertEquals(0, buf.position(), "a cancelled read reads nothing");

                // (c) bounded by a timeout: the same, as TimedOut
                assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(5), () -> server.read(buf)));
                assertTrue(server.isOpen());

                client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                assertEquals(3, server.read(buf));
                assertEquals(3, buf.get(2));
                server.close();
                client.close();
            }
        });
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void aReaderCancelledAfterItsWakeUpButBeforeItRanLosesNoData(IoDriver driver) {
        run(() -> {
            install(driver);
            try (Listener l = BACKEND.listen(EventLoop.current(), LOCALHOST, 16, false)) {
                Transport[] p = pair(l);
                NettyTransport server = (NettyTransport) p[0];
                Transport client = p[1];
                ByteBuffer buf = ByteBuffer.allocate(16);
                // Drain the optimistic readiness of a fresh connection, so that the reader has to park.
                assertEquals(0, server.tryRead(buf));
                assertFalse(server.handle().isReady(FdHandle.READ));
                Task<Integer> reader = spawn(() -> server.read(buf));
                sleep(Duration.ZERO);
                client.write(ByteBuffer.wrap(new byte[] {7}));
                // The pass whose poll delivers the event queues the reader behind this coroutine: cancel it there.
                int passes = 0;
                while (!server.handle().isReady(FdHandle.READ)) {
                    sleep(Duration.ZERO);
                    assertTrue(++passes < 10_000, "the event never came");
                }
                assertFalse(reader.isDone());
                reader.cancel();
                assertThrows(Cancelled.class, reader::await);
                assertTrue(server.isOpen());
                assertEquals(0, buf.position());
                assertTrue(server.handle().isReady(FdHandle.READ), "the event stays recorded for the next reader");
                assertEquals(1, server.read(buf));
                assertEquals(7, buf.get(0));
                server.close();
                client.close();
            }
        });
    }

    @Test
    void closingWakesBothWaitersWithClosedChannelException() {
        run(() -> {
            install(IoDriver.EPOLL);
            try (Listener l = BACKEND.listen(EventLoop.current(), LOCALHOST, 16, false)) {
                Transport[] p = pair(l);
                Transport server = p[0];
                // Fill the peer's receive buffer and our send buffer, so that a writer parks too.
                ByteBuffer big = ByteBuffer.allocate(1 << 20);
                while (server.tryWrite(big.clear()) > 0) {
                    // until the kernel takes nothing more
                }
                Task<Integer> reader = spawn(() -> server.read(ByteBuffer.allocate(8)));
                Task<Void> writer = spawn(() -> server.write(big.clear()));
                sleep(Duration.ofMillis(5));
                assertFalse(reader.isDone());
                assertFalse(writer.isDone());
                server.close();
                assertInstanceOf(ClosedChannelException.class, assertThrows(Exception.class, reader::await));
                assertInstanceOf(ClosedChannelException.class, assertThrows(Exception.class, writer::await));
                assertThrows(ClosedChannelException.class, () -> server.tryRead(ByteBuffer.allocate(1)));
                p[1].close();
            }
        });
    }

    @Test
    void anAcceptCancelledWhileParkedLeavesTheListenerOpen() {
        run(() -> {
            install(IoDriver.EPOLL);
            try (Listener l = BACKEND.listen(EventLoop.current(), LOCALHOST, 16, false)) {
                Task<Transport> acceptor = spawn(l::accept);
                sleep(Duration.ofMillis(5));
                acceptor.cancel();
                assertThrows(Cancelled.class, acceptor::await);
                assertTrue(l.isOpen());
                Transport[] p = pair(l);
                assertEquals(p[1].localAddress(), p[0].remoteAddress());
                p[0].close();
                p[1].close();
                Task<Transport> late = spawn(l::accept);
                sleep(Duration.ZERO);
                l.close();
                assertInstanceOf(ClosedChannelException.class, assertThrows(Exception.class, late::await));
            }
        });
    }

    @Test
    void socketsLeftOpenAreClosedWithTheLoop() throws Exception {
        Transport[] left = new Transport[1];
        run(() -> {
            install(IoDriver.EPOLL);
            Listener l = BACKEND.listen(EventLoop.current(), LOCALHOST, 16, false);
            left[0] = pair(l)[0];
        });
        assertFalse(left[0].isOpen(), "the poller closes what is still registered when the loop closes");
    }
}
