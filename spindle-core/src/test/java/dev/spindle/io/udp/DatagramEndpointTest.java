package dev.spindle.io.udp;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spindle.io.Datagram;
import dev.spindle.io.DatagramEndpoint;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * UDP endpoints on loopback addresses, on whatever backend this JVM uses: the JDK selector here, Netty's sockets when
 * spindle-netty reruns this class with {@code -Dspindle.io.backend=netty}.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatagramEndpointTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    /** A server that echoes every datagram until it is closed; returns how many it echoed. */
    private static Task<Integer> echo(DatagramEndpoint server) {
        return spawn(() -> {
            int n = 0;
            for (Datagram d : server) {
                server.send(d.data(), d.sender());
                n++;
            }
            return n;
        });
    }

    @Test
    void echoBetweenABoundAndAConnectedEndpoint() {
        run(() -> {
            DatagramEndpoint server = DatagramEndpoint.bind("127.0.0.1", 0);
            Task<Integer> echoer = echo(server);
            InetSocketAddress addr = server.localAddress();
            assertTrue(addr.getPort() > 0);
            try (DatagramEndpoint client = DatagramEndpoint.connect("127.0.0.1", addr.getPort())) {
                assertEquals(addr, client.remoteAddress().orElseThrow());
                client.send(bytes("hello"));
                Datagram reply = withTimeout(BOUND, () -> client.receive());
                assertEquals("hello", reply.text());
                assertEquals(addr, reply.sender());
            }
            // an unconnected endpoint names its target on each send, and sees who answered
            try (DatagramEndpoint other = DatagramEndpoint.bind("127.0.0.1", 0)) {
                assertTrue(other.remoteAddress().isEmpty());
                other.send(bytes("again"), addr);
                Datagram reply = withTimeout(BOUND, () -> other.receive());
                assertEquals(new Datagram(bytes("again"), addr), reply);
            }
            server.close();
            assertEquals(2, echoer.await(), "closing the server ends its for-each loop");
        });
    }

    @Test
    void aThousandDatagramsPingPongExactlyAndABurstOfAHundredArrivesWhole() {
        run(() -> {
            try (DatagramEndpoint server = DatagramEndpoint.bind("127.0.0.1", 0);
                    DatagramEndpoint client = DatagramEndpoint.connect(
                            "127.0.0.1", server.localAddress().getPort())) {
                Task<Integer> echoer = echo(server);
                withTimeout(BOUND, () -> {
                    for (int i = 0; i < 1000; i++) {
                        client.send(bytes("n" + i));
                        assertEquals("n" + i, client.receive().text());
                    }
                });
                // a burst: 100 small datagrams fit the receive buffer many times over, so none may be lost
                withTimeout(BOUND, () -> {
                    for (int i = 0; i < 100; i++) {
                        client.send(bytes("b" + i));
                    }
                    Set<String> got = new HashSet<>();
                    for (int i = 0; i < 100; i++) {
                        got.add(client.receive().text());
                    }
                    assertEquals(100, got.size());
                    assertTrue(got.contains("b0") && got.contains("b99"));
                });
                server.close();
                assertEquals(1100, echoer.await());
            }
        });
    }

    @Test
    void aLargeDatagramArrivesWholeAndASmallBufferCutsItShort() {
        run(() -> {
            try (DatagramEndpoint a = DatagramEndpoint.bind("127.0.0.1", 0);
                    DatagramEndpoint b = DatagramEndpoint.bind("127.0.0.1", 0)) {
                byte[] big = new byte[60_000];
                new Random(7).nextBytes(big);
                a.send(big, b.localAddress());
                Datagram d = withTimeout(BOUND, () -> b.receive());
                assertArrayEquals(big, d.data());
                assertEquals(a.localAddress(), d.sender());

                a.send(bytes("0123456789abcdef"), b.localAddress());
                ByteBuffer small = ByteBuffer.allocate(10);
                InetSocketAddress from = withTimeout(BOUND, () -> b.receive(small));
                assertEquals(a.localAddress(), from);
                assertEquals(10, small.position(), "the rest of the datagram is dropped");
                assertEquals("0123456789", new String(small.array(), UTF_8));

                a.send(new byte[0], b.localAddress()); // an empty datagram is a datagram
                assertEquals(0, withTimeout(BOUND, () -> b.receive()).length());
            }
        });
    }

    @Test
    void aReceiveCancelledWhileParkedTakesNothingAndTheEndpointStaysUsable() {
        run(() -> {
            try (DatagramEndpoint a = DatagramEndpoint.bind("127.0.0.1", 0);
                    DatagramEndpoint b = DatagramEndpoint.bind("127.0.0.1", 0)) {
                Task<Datagram> r = spawn(() -> b.receive());
                sleep(Duration.ofMillis(5));
                assertFalse(r.isDone());
                r.cancel();
                assertThrows(Cancelled.class, r::await);
                assertTrue(b.isOpen());
                a.send(bytes("kept"), b.localAddress());
                assertEquals("kept", withTimeout(BOUND, () -> b.receive()).text());
            }
        });
    }

    @Test
    void aReceiveWokenByADatagramButCancelledBeforeItRanLeavesTheDatagramQueued() {
        run(() -> {
            try (DatagramEndpoint a = DatagramEndpoint.bind("127.0.0.1", 0);
                    DatagramEndpoint b = DatagramEndpoint.bind("127.0.0.1", 0)) {
                Task<Datagram> r = spawn(() -> b.receive());
                sleep(Duration.ofMillis(5)); // r waits for readiness
                a.send(bytes("woken"), b.localAddress()); // on loopback it is queued at b before send returns
                // Next pass: the selector finds b readable and makes r ready, behind this coroutine, which was
                // ready first; so this runs before r does and cancels it after its wake-up.
                sleep(Duration.ZERO);
                r.cancel();
                assertThrows(Cancelled.class, r::await);
                assertEquals("woken", withTimeout(BOUND, () -> b.receive()).text());
            }
        });
    }

    @Test
    void aReceiveUnderATimeoutTimesOutAndTheEndpointStaysUsable() {
        run(() -> {
            try (DatagramEndpoint a = DatagramEndpoint.bind("127.0.0.1", 0);
                    DatagramEndpoint b = DatagramEndpoint.bind("127.0.0.1", 0)) {
                assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(10), () -> b.receive()));
                a.send(bytes("after"), b.localAddress());
                assertEquals("after", withTimeout(BOUND, () -> b.receive()).text());
            }
        });
    }

    @Test
    void severalReceiversEachGetOneDatagramAndACancelledOneLeavesTheLine() {
        run(() -> {
            try (DatagramEndpoint a = DatagramEndpoint.bind("127.0.0.1", 0);
                    DatagramEndpoint b = DatagramEndpoint.bind("127.0.0.1", 0)) {
                List<Task<String>> rs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    rs.add(spawn(() -> b.receive().text()));
                }
                sleep(Duration.ofMillis(5)); // one waits for readiness, three in line behind it
                rs.get(0).cancel(); // the one waiting for readiness: the line takes over
                rs.get(2).cancel(); // one in the line
                assertThrows(Cancelled.class, rs.get(0)::await);
                assertThrows(Cancelled.class, rs.get(2)::await);
                a.send(bytes("x"), b.localAddress());
                a.send(bytes("y"), b.localAddress());
                Set<String> got = new HashSet<>();
                withTimeout(BOUND, () -> {
                    got.add(rs.get(1).await());
                    got.add(rs.get(3).await());
                });
                assertEquals(Set.of("x", "y"), got);
                // and nobody is left behind: another datagram goes to a new receiver
                a.send(bytes("z"), b.localAddress());
                assertEquals("z", withTimeout(BOUND, () -> b.receive()).text());
            }
        });
    }

    @Test
    void aClosedEndpointFailsClearlyAndWakesItsWaiters() {
        run(() -> {
            DatagramEndpoint b = DatagramEndpoint.bind("127.0.0.1", 0);
            String local = b.localAddress().toString();
            Task<Datagram> waiting = spawn(() -> b.receive());
            Task<Integer> iterating = spawn(() -> {
                int n = 0;
                for (Datagram ignored : b) {
                    n++;
                }
                return n;
            });
            sleep(Duration.ofMillis(5));
            b.close();
            b.close(); // idempotent
            assertFalse(b.isOpen());
            UncheckedIOException e = assertThrows(UncheckedIOException.class, waiting::await);
            assertInstanceOf(ClosedChannelException.class, e.getCause());
            assertTrue(e.getMessage().contains(local), e.getMessage());
            assertEquals(0, iterating.await(), "iteration ends quietly when the endpoint closes");

            UncheckedIOException r = assertThrows(UncheckedIOException.class, b::receive);
            assertInstanceOf(ClosedChannelException.class, r.getCause());
            UncheckedIOException s = assertThrows(
                    UncheckedIOException.class, () -> b.send(bytes("x"), new InetSocketAddress("127.0.0.1", 9)));
            assertInstanceOf(ClosedChannelException.class, s.getCause());
            assertFalse(b.iterator().hasNext());
        });
    }

    @Test
    void aConnectedEndpointHearsThatNothingListensAtItsPeer() throws Exception {
        int port;
        try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        } // closed: nothing listens on port now
        run(() -> {
            try (DatagramEndpoint c = DatagramEndpoint.connect("127.0.0.1", port)) {
                c.send(bytes("anyone?"));
                UncheckedIOException e =
                        assertThrows(UncheckedIOException.class, () -> withTimeout(BOUND, () -> c.receive()));
                assertInstanceOf(PortUnreachableException.class, e.getCause());
                assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
                assertTrue(c.isOpen(), "the error is reported once; the endpoint stays open");
            }
        });
    }

    @Test
    void hostNamesResolveOffTheLoopAndOptionsApply() {
        run(() -> {
            DatagramEndpoint.Options opts =
                    DatagramEndpoint.Options.defaults().reuseAddress(true).broadcast(true);
            assertTrue(opts.reuseAddress() && opts.broadcast() && !opts.reusePort());
            try (DatagramEndpoint a = DatagramEndpoint.bind("localhost", 0, opts);
                    DatagramEndpoint c = DatagramEndpoint.connect(
                            "localhost",
                            a.localAddress().getPort(),
                            DatagramEndpoint.Options.defaults().localAddress("127.0.0.1", 0))) {
                assertTrue(a.localAddress().getAddress().isLoopbackAddress());
                c.send(bytes("via name"));
                Datagram d = withTimeout(BOUND, () -> a.receive());
                assertEquals("via name", d.text());
                assertEquals(c.localAddress(), d.sender());
                // an unresolved target is resolved before sending
                a.send(
                        bytes("back"),
                        InetSocketAddress.createUnresolved(
                                "localhost", c.localAddress().getPort()));
                assertEquals("back", withTimeout(BOUND, () -> c.receive()).text());
                assertThrows(IllegalStateException.class, () -> a.send(bytes("no peer")));
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DatagramEndpoint.bind(
                                "127.0.0.1",
                                0,
                                DatagramEndpoint.Options.defaults().localAddress("127.0.0.1", 0)));
            }
        });
    }

    @Test
    void aCoroutineReceivingFromASocketThatNeverRunsDryStillLetsOthersRun() {
        run(() -> {
            try (DatagramEndpoint a = DatagramEndpoint.bind("127.0.0.1", 0);
                    DatagramEndpoint b = DatagramEndpoint.bind("127.0.0.1", 0)) {
                for (int i = 0; i < 100; i++) {
                    a.send(bytes("q" + i), b.localAddress());
                }
                int[] ticks = {0};
                Task<Void> ticker = spawn(() -> {
                    ticks[0]++;
                });
                // 100 datagrams are queued, so none of these receives has to wait: the budget makes it yield
                for (int i = 0; i < 100; i++) {
                    assertEquals("q" + i, b.receive().text());
                }
                assertTrue(ticker.isDone(), "the ticker ran while 100 queued datagrams were received");
                assertEquals(1, ticks[0]);
            }
        });
    }

    @Test
    void endpointsAreForCoroutinesOnly() {
        assertThrows(IllegalStateException.class, () -> DatagramEndpoint.bind("127.0.0.1", 0));
        DatagramEndpoint ep = run(() -> DatagramEndpoint.bind("127.0.0.1", 0));
        try {
            assertThrows(IllegalStateException.class, ep::receive);
        } finally {
            ep.close();
        }
    }

    @Test
    void aConnectedEndpointSendsOnlyToItsPeer() {
        run(() -> {
            try (DatagramEndpoint server = DatagramEndpoint.bind("127.0.0.1", 0);
                    DatagramEndpoint c = DatagramEndpoint.connect(
                            "127.0.0.1", server.localAddress().getPort())) {
                c.send(bytes("named"), server.localAddress()); // naming the peer itself is fine
                assertEquals("named", withTimeout(BOUND, () -> server.receive()).text());
                assertThrows(
                        AlreadyConnectedException.class,
                        () -> c.send(bytes("elsewhere"), new InetSocketAddress("127.0.0.1", 9)));
                c.send(bytes("still"));
                assertEquals("still", withTimeout(BOUND, () -> server.receive()).text());
            }
        });
    }

    /** Whether this host can bind the IPv6 loopback address. */
    private static boolean hasIpv6Loopback() {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Test
    void ipv6EndpointsTalkAndReportIpv6Addresses() {
        assumeTrue(hasIpv6Loopback(), "no IPv6 loopback here");
        run(() -> {
            try (DatagramEndpoint server = DatagramEndpoint.bind("::1", 0);
                    DatagramEndpoint c = DatagramEndpoint.connect(
                            "[::1]", server.localAddress().getPort())) {
                assertInstanceOf(Inet6Address.class, server.localAddress().getAddress());
                assertInstanceOf(Inet6Address.class, c.localAddress().getAddress());
                c.send(bytes("six"));
                Datagram d = withTimeout(BOUND, () -> server.receive());
                assertEquals(new Datagram(bytes("six"), c.localAddress()), d);
                server.send(bytes("back"), d.sender());
                assertEquals(new Datagram(bytes("back"), server.localAddress()), withTimeout(BOUND, () -> c.receive()));
            }
        });
    }

    @Test
    void anEndpointOnEveryAddressSeesAnIpv4PeerAsIpv4AndAnswersIt() {
        run(() -> {
            try (DatagramEndpoint any = DatagramEndpoint.bind(null, 0);
                    DatagramEndpoint v4 = DatagramEndpoint.connect(
                            "127.0.0.1", any.localAddress().getPort())) {
                assertTrue(
                        any.localAddress().getAddress().isAnyLocalAddress(),
                        any.localAddress().toString());
                v4.send(bytes("four"));
                Datagram d = withTimeout(BOUND, () -> any.receive());
                // a dual-stack socket hears IPv4 peers as IPv4-mapped IPv6 addresses; both backends unmap them
                assertInstanceOf(Inet4Address.class, d.sender().getAddress());
                assertEquals(v4.localAddress(), d.sender());
                any.send(bytes("reply"), d.sender());
                Datagram r = withTimeout(BOUND, () -> v4.receive());
                assertEquals("reply", r.text());
                assertEquals(
                        new InetSocketAddress("127.0.0.1", any.localAddress().getPort()), r.sender());
            }
        });
    }

    @Test
    void broadcastingNeedsTheBroadcastOption() {
        // Linux gives the loopback network a broadcast route (127.255.255.255); other systems may not.
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        run(() -> {
            try (DatagramEndpoint rx = DatagramEndpoint.bind("0.0.0.0", 0);
                    DatagramEndpoint plain = DatagramEndpoint.bind("127.0.0.1", 0);
                    DatagramEndpoint caster = DatagramEndpoint.bind(
                            "127.0.0.1", 0, DatagramEndpoint.Options.defaults().broadcast(true))) {
                InetSocketAddress everyone = new InetSocketAddress(
                        "127.255.255.255", rx.localAddress().getPort());
                UncheckedIOException refused =
                        assertThrows(UncheckedIOException.class, () -> plain.send(bytes("no"), everyone));
                assertTrue(refused.getMessage().contains("Permission denied"), refused.getMessage());
                assertTrue(plain.isOpen());
                caster.send(bytes("all"), everyone);
                assertEquals(new Datagram(bytes("all"), caster.localAddress()), withTimeout(BOUND, () -> rx.receive()));
            }
        });
    }
}
