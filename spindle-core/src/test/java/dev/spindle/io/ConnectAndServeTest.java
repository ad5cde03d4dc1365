package dev.spindle.io;

import static dev.spindle.Spindle.await;
import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.io.StreamsFixture.bytes;
import static dev.spindle.io.StreamsFixture.eventually;
import static dev.spindle.io.StreamsFixture.openSockets;
import static dev.spindle.io.StreamsFixture.peer;
import static dev.spindle.io.StreamsFixture.port;
import static dev.spindle.io.StreamsFixture.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spindle.io.StreamsFixture.Blackhole;
import dev.spindle.io.internal.NetBackend;
import dev.spindle.loop.Loop;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Connecting (TCP, Unix, timeouts, happy eyeballs) and serving (round trips, many connections, large transfers). */
@Timeout(60)
class ConnectAndServeTest {
    /** Echoes everything until the peer closes: the benchmark's server. */
    static final ConnectionHandler ECHO = (r, w) -> {
        byte[] data;
        while ((data = r.read(65536)).length > 0) {
            w.write(data);
            w.drain();
        }
    };

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void aTcpRoundTripThroughAnEchoServer() {
        run(() -> {
            Server server = Streams.startServer(ECHO, "127.0.0.1", 0);
            assertTrue(server.isServing());
            InetSocketAddress bound = (InetSocketAddress) server.addresses().get(0);
            assertEquals("127.0.0.1", bound.getAddress().getHostAddress());
            assertTrue(bound.getPort() > 0);
            try (Connection c = Streams.openConnection("127.0.0.1", bound.getPort())) {
                c.writer().write(bytes("ping\n"));
                assertEquals("ping\n", text(c.reader().readLine()));
                assertEquals(bound, c.writer().remoteAddress());
                assertEquals(
                        "127.0.0.1",
                        ((InetSocketAddress) c.writer().localAddress())
                                .getAddress()
                                .getHostAddress());
                assertTrue(c.writer().tlsSession().isEmpty());
            }
            server.close();
            assertFalse(server.isServing());
            server.waitClosed();
        });
    }

    @Test
    void aHostNameIsResolvedOffTheLoopAndConnects() {
        run(() -> {
            Server server = Streams.startServer(ECHO, "127.0.0.1", 0);
            try (Connection c = Streams.openConnection("localhost", port(server))) {
                c.writer().write(bytes("by name\n"));
                assertEquals("by name\n", text(c.reader().readLine()));
            } catch (StreamError e) {
                // "localhost" may resolve to ::1 first where nothing listens; the v4 fallback must then win
                throw new AssertionError("localhost must reach 127.0.0.1", e);
            }
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void aUnixDomainRoundTripAndTheSocketFileIsRemovedOnClose(@TempDir Path dir) {
        Path path = dir.resolve("echo.sock");
        run(() -> {
            Server server = Streams.startUnixServer(ECHO, path);
            assertEquals(UnixDomainSocketAddress.of(path), server.addresses().get(0));
            assertTrue(Files.exists(path));
            try (Connection c = Streams.openUnixConnection(path)) {
                c.writer().write(bytes("over unix\n"));
                assertEquals("over unix\n", text(c.reader().readLine()));
            }
            server.close();
            server.waitClosed();
            assertFalse(Files.exists(path), "the socket file goes with the server");
        });
    }

    @Test
    void aStaleUnixSocketFileIsReplacedButALiveServerIsNot(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path)); // closing leaves the file behind
        }
        assertTrue(Files.exists(path));
        run(() -> {
            Server server = Streams.startUnixServer(ECHO, path);
            StreamError e = assertThrows(StreamError.class, () -> Streams.startUnixServer(ECHO, path));
            assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
            try (Connection c = Streams.openUnixConnection(path)) {
                c.writer().write(bytes("still the first\n"));
                assertEquals("still the first\n", text(c.reader().readLine()));
            }
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void aRefusedConnectIsAStreamErrorNamingTheTarget() throws Exception {
        int port = closedPort();
        run(() -> {
            StreamError e = assertThrows(StreamError.class, () -> Streams.openConnection("127.0.0.1", port));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
            assertInstanceOf(ConnectException.class, e.getCause());
            StreamError unix = assertThrows(
                    StreamError.class, () -> Streams.openUnixConnection(Path.of("/nonexistent/spindle.sock")));
            assertTrue(unix.getMessage().contains("spindle.sock"), unix.getMessage());
            StreamError unknown =
                    assertThrows(StreamError.class, () -> Streams.openConnection("no-such-host.invalid", 80));
            assertTrue(unknown.getMessage().contains("no-such-host.invalid"), unknown.getMessage());
        });
    }

    @Test
    void aConnectPastItsTimeoutThrowsTimedOutAndLeavesNoSocket() throws Exception {
        try (Blackhole hole = new Blackhole()) {
            assumeTrue(hole.full, "could not fill an accept queue on this host");
            long before = openSockets();
            run(() -> {
                ConnectOptions quick = ConnectOptions.builder()
                        .connectTimeout(Duration.ofMillis(50))
                        .build();
                for (int i = 0; i < 3; i++) {
                    assertThrows(
                            TimedOut.class, () -> Streams.openConnection("127.0.0.1", hole.address.getPort(), quick));
                }
            });
            assertEquals(before, openSockets(), "the timed-out connects closed their sockets");
        }
    }

    @Test
    void aConnectCancelledWhileItWaitsLeavesNoSocket() throws Exception {
        try (Blackhole hole = new Blackhole()) {
            assumeTrue(hole.full, "could not fill an accept queue on this host");
            long before = openSockets();
            run(() -> {
                Task<Connection> connecting = spawn(() -> Streams.openConnection("127.0.0.1", hole.address.getPort()));
                StreamsFixture.passes(5);
                assertFalse(connecting.isDone(), "the SYN goes unanswered");
                connecting.cancel();
                assertThrows(dev.spindle.task.Cancelled.class, connecting::await);
            });
            assertEquals(before, openSockets());
        }
    }

    @Test
    void happyEyeballsStartsTheNextAddressWhenTheFirstHangsAndCancelsTheLoser() throws Exception {
        try (Blackhole hole = new Blackhole()) {
            assumeTrue(hole.full, "could not fill an accept queue on this host");
            run(() -> {
                Server server = Streams.startServer((r, w) -> w.write(bytes("winner\n")), "127.0.0.1", 0);
                List<InetSocketAddress> addresses = List.of(
                        hole.address, (InetSocketAddress) server.addresses().get(0));
                var t = Dialer.race(
                        (EventLoop) Loop.current(), NetBackend.current(), "test", addresses, Duration.ofMillis(30));
                StreamReader r = new StreamReader(t, 100);
                assertEquals("winner\n", text(r.readLine()));
                t.close();
                eventually("the hanging attempt was cancelled", () -> Loop.current().allTasks().stream()
                        .noneMatch(x -> x.name().startsWith("connect-")));
                server.close();
                server.waitClosed();
            });
        }
    }

    @Test
    void happyEyeballsMovesOnAtOnceWhenAnAttemptFailsAndReportsEveryFailure() throws Exception {
        int refused1 = closedPort();
        int refused2 = closedPort();
        run(() -> {
            Server server = Streams.startServer((r, w) -> w.write(bytes("second\n")), "127.0.0.1", 0);
            EventLoop loop = (EventLoop) Loop.current();
            // A delay far longer than the test's timeout: only the failure can start the second attempt in time.
            var t = Dialer.race(
                    loop,
                    NetBackend.current(),
                    "test",
                    List.of(new InetSocketAddress("127.0.0.1", refused1), (InetSocketAddress)
                            server.addresses().get(0)),
                    Duration.ofHours(1));
            assertEquals("second\n", text(new StreamReader(t, 100).readLine()));
            t.close();
            StreamError all = assertThrows(
                    StreamError.class,
                    () -> Dialer.race(
                            loop,
                            NetBackend.current(),
                            "both",
                            List.of(
                                    new InetSocketAddress("127.0.0.1", refused1),
                                    new InetSocketAddress("127.0.0.1", refused2)),
                            Duration.ofHours(1)));
            assertTrue(all.getMessage().startsWith("could not connect to both"), all.getMessage());
            assertEquals(1, all.getSuppressed().length);
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void aLargeTransferArrivesIntactBothWays() {
        int size = 64 << 20;
        run(() -> {
            Server server = Streams.startServer(ECHO, "127.0.0.1", 0);
            try (Connection c = Streams.openConnection("127.0.0.1", port(server))) {
                CRC32 sent = new CRC32();
                Task<Void> writer = spawn(() -> {
                    Random rnd = new Random(9);
                    byte[] chunk = new byte[256 * 1024];
                    for (int n = 0; n < size; n += chunk.length) {
                        rnd.nextBytes(chunk);
                        sent.update(chunk);
                        c.writer().write(chunk);
                        c.writer().drain();
                    }
                    c.writer().writeEof(); // the echo handler sees the end and closes its side
                });
                CRC32 got = new CRC32();
                long n = 0;
                byte[] b;
                while ((b = c.reader().read(1 << 20)).length > 0) {
                    got.update(b);
                    n += b.length;
                }
                writer.await();
                assertEquals(size, n);
                assertEquals(sent.getValue(), got.getValue());
            }
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void twoHundredConcurrentConnectionsEchoWithoutMixingTheirBytes() {
        int clients = 200;
        int messages = 20;
        run(() -> {
            Server server = Streams.startServer(
                    ECHO, "127.0.0.1", 0, ServerOptions.builder().backlog(256).build());
            int port = port(server);
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int id = i;
                tasks.add(spawn(() -> {
                    Random rnd = new Random(id);
                    try (Connection c = Streams.openConnection("127.0.0.1", port)) {
                        int checked = 0;
                        for (int m = 0; m < messages; m++) {
                            byte[] msg = new byte[1 + rnd.nextInt(4096)];
                            rnd.nextBytes(msg);
                            msg[0] = (byte) id;
                            c.writer().write(msg);
                            c.writer().drain();
                            assertArrayEquals(msg, c.reader().readExactly(msg.length));
                            checked++;
                        }
                        return checked;
                    }
                }));
            }
            for (Task<Integer> t : tasks) {
                assertEquals(messages, t.await());
            }
            eventually("every handler ended", () -> server.activeConnections() == 0);
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void eachConnectionRunsInATaskNamedAfterItsPeer() {
        run(() -> {
            List<String> names = new ArrayList<>();
            Server server = Streams.startServer(
                    (r, w) -> {
                        names.add(Task.current().name() + " " + w.remoteAddress());
                    },
                    "127.0.0.1",
                    0);
            try (Connection c = Streams.openConnection("127.0.0.1", port(server))) {
                assertEquals(0, c.reader().read(10).length, "closed when the handler returned");
                int local = ((InetSocketAddress) c.writer().localAddress()).getPort();
                assertEquals(1, names.size());
                assertTrue(names.get(0).startsWith("conn-127.0.0.1:" + local + " "), names.get(0));
            }
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void aBlockingPeerOnAnotherThreadTalksToTheServer() {
        run(() -> {
            Server server = Streams.startServer(ECHO, "127.0.0.1", 0);
            int port = port(server);
            String got = await(peer(() -> {
                try (Socket s = StreamsFixture.rawClient(port)) {
                    s.getOutputStream().write(bytes("from a thread"));
                    s.shutdownOutput();
                    InputStream in = s.getInputStream();
                    return text(in.readAllBytes());
                }
            }));
            assertEquals("from a thread", got);
            server.close();
            server.waitClosed();
        });
    }
}
