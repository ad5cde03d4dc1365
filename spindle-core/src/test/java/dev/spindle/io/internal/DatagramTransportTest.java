package dev.spindle.io.internal;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DatagramTransport} on the backend this JVM uses (the JDK's here; spindle-netty reruns this class on Netty's
 * sockets): the line of receivers under every kind of cancellation, refusals reported by sends, datagrams too long for
 * UDP, and closing.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatagramTransportTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final InetSocketAddress LOCALHOST = new InetSocketAddress("127.0.0.1", 0);

    private static DatagramTransport bind() throws IOException {
        return DatagramTransport.open(EventLoop.current(), LOCALHOST, null, false, false, false);
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(UTF_8));
    }

    /** Receives one datagram and returns its payload as text. */
    private static String receiveText(DatagramTransport t) throws IOException {
        return t.receive((payload, from) -> UTF_8.decode(payload).toString());
    }

    /** A port nothing listens on (it was bound a moment ago, and closed). */
    private static int deadPort() throws IOException {
        try (DatagramChannel probe = DatagramChannel.open().bind(LOCALHOST)) {
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

    @Test
    void receiversCancelledParkedWokenOrByATimeoutLeaveTheLineAndLoseNoDatagram() {
        run(() -> {
            DatagramTransport a = bind();
            DatagramTransport b = bind();
            List<Task<String>> rs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                rs.add(spawn(() -> receiveText(b)));
            }
            sleep(Duration.ofMillis(5));
            assertEquals(3, b.waitingReceivers(), "one waits for readiness, two in line behind it");

            // (a) parked: the readiness waiter and one in the line
            rs.get(0).cancel();
            rs.get(1).cancel();
            assertThrows(Cancelled.class, rs.get(0)::await);
            assertThrows(Cancelled.class, rs.get(1)::await);
            sleep(Duration.ZERO); // the survivor, woken by the leaving waiter, takes its place
            assertEquals(1, b.waitingReceivers());

            // (b) woken but not yet run: on loopback the datagram is queued at b before send returns, and the next
            // pass's poll makes the survivor ready behind this coroutine, which cancels it before it runs. (If the
            // event came a pass later, this is case (a) again; either way nothing may be lost.)
            Task<String> survivor = rs.get(2);
            a.send(text("kept"), b.localAddress());
            sleep(Duration.ZERO);
            survivor.cancel();
            assertThrows(Cancelled.class, survivor::await);
            assertEquals(0, b.waitingReceivers());

            // (c) a timeout around a receive that finds the datagram is not even a wait; one around an empty socket is
            assertEquals("kept", withTimeout(BOUND, () -> receiveText(b)));
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(10), () -> receiveText(b)));
            assertEquals(0, b.waitingReceivers());

            a.send(text("after"), b.localAddress());
            assertEquals("after", withTimeout(BOUND, () -> receiveText(b)));
            a.close();
            b.close();
        });
    }

    @Test
    void aConnectedSocketHearsOfEachRefusalOnceWhetherItSendsOrReceives() {
        run(() -> {
            InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", deadPort());
            DatagramTransport c = DatagramTransport.open(EventLoop.current(), null, nobody, false, false, false);
            assertEquals(nobody, c.remoteAddress());
            assertTrue(c.localAddress().getPort() > 0);
            // On loopback the ICMP error is back before send returns: the next call reports it, once.
            c.send(text("one"), null);
            assertThrows(PortUnreachableException.class, () -> c.send(text("two"), null));
            c.send(text("three"), null);
            assertThrows(PortUnreachableException.class, () -> withTimeout(BOUND, () -> receiveText(c)));
            assertTrue(c.isOpen());
            assertNull(c.socket().tryReceive(ByteBuffer.allocate(8)), "reported once: nothing is left");
            c.close();
        });
    }

    @Test
    void aDatagramTooLongForUdpFailsAndTheSocketStaysUsable() {
        run(() -> {
            DatagramTransport a = bind();
            DatagramTransport b = bind();
            for (ByteBuffer huge : new ByteBuffer[] {ByteBuffer.allocate(70_000), ByteBuffer.allocateDirect(65_508)}) {
                SocketException e = assertThrows(SocketException.class, () -> a.send(huge, b.localAddress()));
                assertTrue(e.getMessage().contains("too long"), e.getMessage());
                assertEquals(0, huge.position(), "nothing was sent");
            }
            a.send(text("small"), b.localAddress());
            assertEquals("small", withTimeout(BOUND, () -> receiveText(b)));
            a.close();
            b.close();
        });
    }

    @Test
    void closingWakesEveryReceiverAndReleasesThePort() {
        run(() -> {
            DatagramTransport b = bind();
            InetSocketAddress address = b.localAddress();
            List<Task<String>> rs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                rs.add(spawn(() -> receiveText(b)));
            }
            sleep(Duration.ofMillis(5));
            b.close();
            b.close(); // idempotent
            assertFalse(b.isOpen());
            for (Task<String> r : rs) {
                assertInstanceOf(ClosedChannelException.class, assertThrows(Exception.class, r::await));
            }
            assertEquals(0, b.waitingReceivers());
            assertThrows(ClosedChannelException.class, () -> b.receive(ByteBuffer.allocate(8)));
            assertThrows(ClosedChannelException.class, () -> b.send(text("x"), address));
            // The descriptor goes back to the system within a few passes (a poller may hold it until its next look).
            for (int pass = 0; ; pass++) {
                try (DatagramChannel again = DatagramChannel.open().bind(address)) {
                    assertEquals(address, again.getLocalAddress());
                    break;
                } catch (java.net.BindException stillHeld) {
                    assertTrue(pass < 1000, "the port was never released");
                    sleep(Duration.ofMillis(1));
                }
            }
        });
    }
}
