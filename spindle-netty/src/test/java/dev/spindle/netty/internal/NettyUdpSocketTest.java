package dev.spindle.netty.internal;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spindle.io.internal.DatagramTransport;
import dev.spindle.io.internal.UdpSocket;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link NettyUdpSocket} on each driver (epoll, io_uring), used directly and through core's {@link DatagramTransport}:
 * heap and direct buffers, cut-short and empty datagrams, IPv6 and dual-stack addresses, refusals, cancelled waits
 * (parked, woken but not run, timed out), options, closing. The endpoint-level suite (core's udp tests) runs on the
 * default driver in the streams-suite-on-netty execution.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NettyUdpSocketTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final InetSocketAddress LOCALHOST = new InetSocketAddress("127.0.0.1", 0);
    private static final NettyBackend BACKEND = new NettyBackend();

    private static NettyUdpSocket open(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        return (NettyUdpSocket) BACKEND.openUdp(EventLoop.current(), local, remote, false, false, false);
    }

    private static DatagramTransport shared(UdpSocket s) {
        return new DatagramTransport(EventLoop.current(), s);
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(UTF_8));
    }

    /** What {@code b} received, as text. */
    private static String received(ByteBuffer b) {
        return UTF_8.decode(b.flip()).toString();
    }

    /** Takes what is queued, so that the socket's next receive must wait for a new event. */
    private static void drain(NettyUdpSocket s) throws IOException {
        ByteBuffer scrap = ByteBuffer.allocate(DatagramTransport.MAX_DATAGRAM);
        while (s.tryReceive(scrap.clear()) != null) {
            // an early datagram (none is expected)
        }
        assertFalse(s.handle().isReady(FdHandle.READ));
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void datagramsOfEverySizeEchoWholeThroughHeapAndDirectBuffers(IoDriver driver) {
        run(() -> {
            NettyPollerTest.install(driver);
            DatagramTransport server = shared(open(LOCALHOST, null));
            DatagramTransport client = shared(open(null, server.localAddress()));
            assertEquals(server.localAddress(), client.remoteAddress());
            assertEquals("127.0.0.1", client.localAddress().getAddress().getHostAddress(), "the route's address");
            Task<Integer> echo = spawn(() -> {
                int n = 0;
                ByteBuffer buf = ByteBuffer.allocate(DatagramTransport.MAX_DATAGRAM);
                try {
                    while (true) {
                        InetSocketAddress from = server.receive(buf.clear());
                        assertEquals(client.localAddress(), from);
                        assertInstanceOf(Inet4Address.class, from.getAddress());
                        server.send(buf.flip(), from);
                        n++;
                    }
                } catch (ClosedChannelException closed) {
                    return n;
                }
            });
            Random random = new Random(11);
            int[] sizes = {0, 1, 1000, 8192, 60_000, 65_507};
            for (boolean direct : new boolean[] {false, true}) {
                ByteBuffer in = direct
                        ? ByteBuffer.allocateDirect(DatagramTransport.MAX_DATAGRAM)
                        : ByteBuffer.allocate(DatagramTransport.MAX_DATAGRAM);
                for (int size : sizes) {
                    byte[] payload = new byte[size];
                    random.nextBytes(payload);
                    ByteBuffer out = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
                    out.put(payload).flip();
                    client.send(out, null);
                    assertFalse(out.hasRemaining(), "a datagram is sent whole");
                    InetSocketAddress from = withTimeout(BOUND, () -> client.receive(in.clear()));
                    assertEquals(server.localAddress(), from);
                    byte[] got = new byte[in.flip().remaining()];
                    in.get(got);
                    assertArrayEquals(payload, got, size + " bytes, direct=" + direct);
                }
            }
            server.close();
            assertEquals(2 * sizes.length, echo.await());
            client.close();
        });
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void aBufferWithLessRoomCutsTheDatagramShortAndTakesItAll(IoDriver driver) {
        run(() -> {
            NettyPollerTest.install(driver);
            NettyUdpSocket a = open(LOCALHOST, null);
            NettyUdpSocket b = open(LOCALHOST, null);
            for (boolean direct : new boolean[] {false, true}) {
                a.send(text("0123456789abcdef"), b.localAddress());
                a.send(text("next"), b.localAddress());
                ByteBuffer small = direct ? ByteBuffer.allocateDirect(10) : ByteBuffer.allocate(10);
                assertEquals(a.localAddress(), withTimeout(BOUND, () -> b.receive(small)));
                assertEquals("0123456789", received(small), "the rest of the datagram is dropped");
                ByteBuffer rest = ByteBuffer.allocate(64);
                withTimeout(BOUND, () -> b.receive(rest));
                assertEquals("next", received(rest), "and the next receive gets the next datagram");
            }
            a.close();
            b.close();
        });
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void aReceiveCancelledWhileParkedOrByATimeoutTakesNothingAndLeavesTheSocketUsable(IoDriver driver) {
        run(() -> {
            NettyPollerTest.install(driver);
            NettyUdpSocket a = open(LOCALHOST, null);
            NettyUdpSocket b = open(LOCALHOST, null);
            drain(b);
            ByteBuffer buf = ByteBuffer.allocate(64);
            Task<InetSocketAddress> r = spawn(() -> b.receive(buf));
            sleep(Duration.ofMillis(5));
            assertFalse(r.isDone(), "nothing was sent: the receiver must still wait");
            r.cancel();
            assertThrows(Cancelled.class, r::await);
            assertTrue(b.isOpen(), "a cancelled wait must not close the socket");
            // (c) a timeout: the same, as TimedOut
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(5), () -> b.receive(buf)));
            assertEquals(0, buf.position(), "cancelled receives took nothing");
            a.send(text("kept"), b.localAddress());
            // a new waiter is accepted: the cancelled ones left the socket's single waiting place
            assertEquals(a.localAddress(), withTimeout(BOUND, () -> b.receive(buf)));
            assertEquals("kept", received(buf));
            a.close();
            b.close();
        });
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void aReceiverCancelledAfterItsWakeUpButBeforeItRanLosesNoDatagram(IoDriver driver) {
        run(() -> {
            NettyPollerTest.install(driver);
            NettyUdpSocket a = open(LOCALHOST, null);
            NettyUdpSocket b = open(LOCALHOST, null);
            drain(b);
            ByteBuffer buf = ByteBuffer.allocate(64);
            Task<InetSocketAddress> r = spawn(() -> b.receive(buf));
            sleep(Duration.ZERO);
            a.send(text("woken"), b.localAddress());
            // The pass whose poll delivers the event queues the receiver behind this coroutine: cancel it there.
            int passes = 0;
            while (!b.handle().isReady(FdHandle.READ)) {
                sleep(Duration.ZERO);
                assertTrue(++passes < 10_000, "the event never came");
            }
            assertFalse(r.isDone());
            r.cancel();
            assertThrows(Cancelled.class, r::await);
            assertEquals(0, buf.position());
            assertTrue(b.handle().isReady(FdHandle.READ), "the event stays recorded for the next receiver");
            assertEquals(a.localAddress(), b.tryReceive(buf));
            assertEquals("woken", received(buf));
            a.close();
            b.close();
        });
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void manyReceiversShareOneSocketAndCancelledOnesLeaveTheLine(IoDriver driver) {
        run(() -> {
            NettyPollerTest.install(driver);
            NettyUdpSocket a = open(LOCALHOST, null);
            NettyUdpSocket raw = open(LOCALHOST, null);
            drain(raw);
            DatagramTransport b = shared(raw);
            List<Task<String>> rs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                rs.add(spawn(
                        () -> b.receive((payload, from) -> UTF_8.decode(payload).toString())));
            }
            sleep(Duration.ofMillis(5));
            assertEquals(4, b.waitingReceivers());
            rs.get(0).cancel(); // the one waiting for readiness: the line takes over
            rs.get(2).cancel(); // one in the line
            assertThrows(Cancelled.class, rs.get(0)::await);
            assertThrows(Cancelled.class, rs.get(2)::await);
            a.send(text("x"), b.localAddress());
            a.send(text("y"), b.localAddress());
            Set<String> got = new HashSet<>();
            withTimeout(BOUND, () -> {
                got.add(rs.get(1).await());
                got.add(rs.get(3).await());
            });
            assertEquals(Set.of("x", "y"), got);
            assertEquals(0, b.waitingReceivers());
            b.close();
            a.close();
        });
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void aConnectedSocketHearsOfRefusalsOnSendAndOnAWaitingReceive(IoDriver driver) {
        run(() -> {
            NettyPollerTest.install(driver);
            int port;
            try (DatagramChannel probe = DatagramChannel.open().bind(LOCALHOST)) {
                port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
            }
            NettyUdpSocket c = open(null, new InetSocketAddress("127.0.0.1", port));
            drain(c);
            // send(2) on a connected socket reports the refusal of the previous datagram (loopback answers at once)
            assertTrue(c.trySend(text("one"), null));
            PortUnreachableException onSend =
                    assertThrows(PortUnreachableException.class, () -> c.trySend(text("two"), null));
            assertTrue(onSend.getMessage().contains("127.0.0.1:" + port), onSend.getMessage());
            assertTrue(c.trySend(text("three"), null), "reported once: the socket stays usable");
            // A receiver waiting for readiness is woken by the error's event, and gets the error.
            Task<InetSocketAddress> waiting = spawn(() -> c.receive(ByteBuffer.allocate(8)));
            assertInstanceOf(
                    PortUnreachableException.class,
                    assertThrows(Exception.class, () -> withTimeout(BOUND, () -> waiting.await())));
            assertNull(c.tryReceive(ByteBuffer.allocate(8)));
            assertFalse(c.handle().isReady(FdHandle.READ), "an empty queue clears the error's readiness too");
            assertTrue(c.isOpen());
            c.close();
        });
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void closingWakesTheWaiterFailsEveryCallAndReleasesThePort(IoDriver driver) {
        run(() -> {
            NettyPollerTest.install(driver);
            NettyUdpSocket b = open(LOCALHOST, null);
            drain(b);
            InetSocketAddress address = b.localAddress();
            Task<InetSocketAddress> r = spawn(() -> b.receive(ByteBuffer.allocate(8)));
            sleep(Duration.ofMillis(5));
            b.close();
            b.close(); // idempotent
            assertInstanceOf(ClosedChannelException.class, assertThrows(Exception.class, r::await));
            assertThrows(ClosedChannelException.class, () -> b.tryReceive(ByteBuffer.allocate(8)));
            assertThrows(ClosedChannelException.class, () -> b.trySend(text("x"), address));
            assertThrows(ClosedChannelException.class, () -> b.awaitReceivable("receive"));
            // io_uring's poll holds the file until its removal completes, a pass or so later
            for (int pass = 0; ; pass++) {
                try (DatagramChannel again = DatagramChannel.open().bind(address)) {
                    break;
                } catch (BindException stillHeld) {
                    assertTrue(pass < 1000, "the port was never released");
                    sleep(Duration.ofMillis(1));
                }
            }
        });
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void socketsClosedInTheMiddleOfAWakeUpAreReleasedAndTheLoopStillCloses(IoDriver driver) throws Exception {
        // A send wakes both sockets (the receiver has data, the sender room again); closing them at once finds
        // io_uring's polls in the middle of those wake-ups, and its first removal fails (EALREADY). A poll left behind
        // would keep the port bound, and the handler's shutdown would wait for it forever.
        List<InetSocketAddress> closed = new ArrayList<>();
        run(() -> {
            NettyPollerTest.install(driver);
            for (int i = 0; i < 20; i++) {
                NettyUdpSocket x = open(LOCALHOST, null);
                NettyUdpSocket y = open(LOCALHOST, null);
                sleep(Duration.ZERO); // both registered with the kernel
                x.send(text("wake"), y.localAddress());
                x.close();
                y.close();
                closed.add(x.localAddress());
                closed.add(y.localAddress());
            }
            for (InetSocketAddress address : closed) {
                for (int pass = 0; ; pass++) {
                    try (DatagramChannel again = DatagramChannel.open().bind(address)) {
                        break;
                    } catch (BindException stillHeld) {
                        assertTrue(pass < 1000, address + " was never released");
                        sleep(Duration.ofMillis(1));
                    }
                }
            }
            // and two more, closed just before the loop, which must still close
            NettyUdpSocket x = open(LOCALHOST, null);
            NettyUdpSocket y = open(LOCALHOST, null);
            sleep(Duration.ZERO);
            x.send(text("wake"), y.localAddress());
            x.close();
            y.close();
        });
    }

    @Test
    void ipv6AndDualStackSocketsReportPlainJdkAddresses() {
        boolean ipv6;
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress("::1", 0));
            ipv6 = true;
        } catch (IOException | UnsupportedOperationException e) {
            ipv6 = false;
        }
        assumeTrue(ipv6, "no IPv6 loopback here");
        run(() -> {
            NettyPollerTest.install(IoDriver.EPOLL);
            NettyUdpSocket six = open(new InetSocketAddress("::1", 0), null);
            NettyUdpSocket any = open(new InetSocketAddress(0), null);
            NettyUdpSocket four = open(LOCALHOST, null);
            assertInstanceOf(Inet6Address.class, six.localAddress().getAddress());
            assertTrue(any.localAddress().getAddress().isAnyLocalAddress());
            int anyPort = any.localAddress().getPort();

            six.send(text("from six"), new InetSocketAddress("::1", anyPort));
            four.send(text("from four"), new InetSocketAddress("127.0.0.1", anyPort));
            ByteBuffer buf = ByteBuffer.allocate(64);
            InetSocketAddress s6 = withTimeout(BOUND, () -> any.receive(buf.clear()));
            assertEquals("from six", received(buf));
            InetSocketAddress s4 = withTimeout(BOUND, () -> any.receive(buf.clear()));
            assertEquals("from four", received(buf));
            assertEquals(six.localAddress(), s6);
            assertEquals(four.localAddress(), s4);
            assertInstanceOf(Inet4Address.class, s4.getAddress(), "an IPv4-mapped sender is unmapped");
            // plain JDK addresses, not Netty's subclass
            assertSame(InetSocketAddress.class, s6.getClass());

            any.send(text("back"), s4); // an IPv4 target from a dual-stack socket
            InetSocketAddress from = withTimeout(BOUND, () -> four.receive(buf.clear()));
            assertEquals("back", received(buf));
            assertEquals(new InetSocketAddress("127.0.0.1", anyPort), from);
            six.close();
            any.close();
            four.close();
        });
    }

    @Test
    void optionsReachTheSocketAndATakenAddressIsABindException() {
        run(() -> {
            NettyPollerTest.install(IoDriver.EPOLL);
            NettyUdpSocket plain = open(LOCALHOST, null);
            assertFalse(plain.handle().socket.isBroadcast());
            assertFalse(plain.handle().socket.isReusePort());
            BindException taken = assertThrows(BindException.class, () -> open(plain.localAddress(), null));
            assertTrue(taken.getMessage().contains("in use"), taken.getMessage());

            UdpSocket first = BACKEND.openUdp(EventLoop.current(), LOCALHOST, null, true, true, true);
            NettyUdpSocket n = (NettyUdpSocket) first;
            assertTrue(n.handle().socket.isBroadcast());
            assertTrue(n.handle().socket.isReuseAddress());
            assertTrue(n.handle().socket.isReusePort());
            // SO_REUSEPORT: a second socket binds the same address and port
            UdpSocket second = BACKEND.openUdp(EventLoop.current(), first.localAddress(), null, false, true, false);
            assertEquals(first.localAddress(), second.localAddress());
            plain.close();
            first.close();
            second.close();
        });
    }

    @Test
    void aDatagramTooLongForUdpIsRefusedBeforeAnythingIsSent() {
        run(() -> {
            NettyPollerTest.install(IoDriver.EPOLL);
            NettyUdpSocket a = open(LOCALHOST, null);
            ByteBuffer huge = ByteBuffer.allocate(200_000); // larger than the poller's scratch buffer
            SocketException e = assertThrows(SocketException.class, () -> a.trySend(huge, a.localAddress()));
            assertEquals("Message too long", e.getMessage());
            assertEquals(0, huge.position());
            a.close();
        });
    }

    @Test
    void socketsLeftOpenAreClosedWithTheLoop() {
        UdpSocket[] left = new UdpSocket[1];
        run(() -> {
            NettyPollerTest.install(IoDriver.EPOLL);
            left[0] = open(LOCALHOST, null);
        });
        assertFalse(left[0].isOpen(), "the poller closes what is still registered when the loop closes");
        assertThrows(ClosedChannelException.class, () -> left[0].tryReceive(ByteBuffer.allocate(1)));
    }
}
