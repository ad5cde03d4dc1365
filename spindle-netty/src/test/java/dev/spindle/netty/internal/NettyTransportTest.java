package dev.spindle.netty.internal;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.io.internal.Listener;
import dev.spindle.io.internal.NetBackend;
import dev.spindle.io.internal.Transport;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** NettyTransport and NettyListener used directly: echo over TCP and Unix sockets, EOF, resets, big writes. */
@Timeout(60)
class NettyTransportTest {
    private static final InetSocketAddress LOCALHOST = new InetSocketAddress("127.0.0.1", 0);
    private static final NettyBackend BACKEND = new NettyBackend();

    /** Echoes until the peer ends its side, then ends ours. */
    static void echo(Transport t, boolean direct) throws IOException {
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(8192) : ByteBuffer.allocate(8192);
        try (t) {
            while (t.read(buf.clear()) >= 0) {
                t.write(buf.flip());
            }
            t.shutdownOutput();
        }
    }

    /** Serves every connection of {@code l} with {@link #echo} until cancelled. */
    static Task<Void> serve(Listener l, boolean direct) {
        return spawn(() -> {
            List<Task<Void>> handlers = new ArrayList<>();
            try {
                while (true) {
                    Transport t = l.accept();
                    handlers.add(spawn(() -> echo(t, direct)));
                }
            } finally {
                for (Task<Void> h : handlers) {
                    h.cancel();
                }
            }
        });
    }

    /** Sends {@code payload} in one write while reading the echo back, then half-closes; returns what came back. */
    static byte[] roundTrip(Transport c, byte[] payload) throws Exception {
        Task<Void> sender = spawn(() -> {
            c.write(ByteBuffer.wrap(payload));
            c.shutdownOutput();
        });
        ByteBuffer got = ByteBuffer.allocate(payload.length + 1);
        int n;
        while ((n = c.read(got)) > 0 && got.hasRemaining()) {
            // the echo arrives in pieces
        }
        assertEquals(-1, n == 0 ? c.read(ByteBuffer.allocate(1)) : n, "the server ends its side after the echo");
        sender.await();
        return java.util.Arrays.copyOf(got.array(), got.position());
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void manyConnectionsEchoOverOneLoopInHeapAndDirectBuffers(IoDriver driver) {
        run(() -> {
            NettyPollerTest.install(driver);
            Random random = new Random(42);
            for (boolean direct : new boolean[] {false, true}) {
                try (Listener l = BACKEND.listen(EventLoop.current(), LOCALHOST, 128, false)) {
                    Task<Void> server = serve(l, direct);
                    List<Task<Void>> clients = new ArrayList<>();
                    for (int i = 0; i < 16; i++) {
                        // sizes from one byte to 1 MiB: the big ones outgrow both socket buffers, so writers park
                        byte[] payload = new byte[i == 0 ? 1 : 1 << (i + 4 > 20 ? 20 : i + 4)];
                        random.nextBytes(payload);
                        clients.add(spawn(() -> {
                            Transport c = BACKEND.connect(EventLoop.current(), l.localAddress());
                            try (c) {
                                assertArrayEquals(payload, roundTrip(c, payload));
                            }
                        }));
                    }
                    for (Task<Void> c : clients) {
                        c.await();
                    }
                    server.cancel();
                }
            }
        });
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void unixDomainSocketsEchoAndTheListenerRemovesItsFile(IoDriver driver, @TempDir Path dir) {
        Path file = dir.resolve("echo.sock");
        run(() -> {
            NettyPollerTest.install(driver);
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(file);
            try (Listener l = BACKEND.listen(EventLoop.current(), address, 16, false)) {
                assertEquals(address, l.localAddress());
                Task<Void> server = serve(l, false);
                Transport c = BACKEND.connect(EventLoop.current(), address);
                assertEquals(address, c.remoteAddress());
                byte[] payload = new byte[300_000];
                new Random(7).nextBytes(payload);
                assertArrayEquals(payload, roundTrip(c, payload));
                c.close();
                server.cancel();
            }
            assertFalse(Files.exists(file), "a closed listener removes its socket file");
        });
    }

    @Test
    void aStaleSocketFileIsReplacedButALiveOneIsNot(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.sock");
        // A server that died without cleaning up: its file stays, nobody listens.
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(file));
        }
        assertTrue(Files.exists(file));
        run(() -> {
            NettyPollerTest.install(IoDriver.EPOLL);
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(file);
            try (Listener l = BACKEND.listen(EventLoop.current(), address, 16, false)) {
                assertTrue(l.isOpen());
                IOException inUse =
                        assertThrows(IOException.class, () -> BACKEND.listen(EventLoop.current(), address, 16, false));
                assertTrue(inUse.getMessage().toLowerCase().contains("in use"), inUse.getMessage());
                assertTrue(Files.exists(file), "a failed listener leaves the live server's file alone");
            }
        });
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void dataAndTheEndArrivingUnderOneEventAreBothSeen(IoDriver driver) {
        // Regression: the short read that takes the data must not make the reader wait for another edge, because
        // the FIN that came with the data raises none.
        run(() -> {
            NettyPollerTest.install(driver);
            try (Listener l = BACKEND.listen(EventLoop.current(), LOCALHOST, 16, false)) {
                for (int i = 0; i < 20; i++) {
                    Transport[] p = NettyPollerTest.pair(l);
                    Transport server = p[0];
                    ByteBuffer buf = ByteBuffer.allocate(64);
                    Task<Integer> first = spawn(() -> server.read(buf)); // parked before anything arrives
                    sleep(Duration.ZERO);
                    p[1].write(ByteBuffer.wrap("abc".getBytes()));
                    p[1].shutdownOutput();
                    assertEquals(3, first.await());
                    assertEquals(-1, server.read(buf));
                    server.close();
                    p[1].close();
                }
            }
        });
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void readsIntoHeapBuffersLargerThanTheScratchBufferDoNotStall(IoDriver driver) {
        // Regression: a heap read goes through the poller's 128 KiB scratch buffer; a full scratch read into a bigger
        // buffer is not a short read, or the reader would wait for an edge that never comes while the writer waits
        // for it to read.
        run(() -> {
            NettyPollerTest.install(driver);
            try (Listener l = BACKEND.listen(EventLoop.current(), LOCALHOST, 16, false)) {
                Transport[] p = NettyPollerTest.pair(l);
                byte[] data = new byte[8 << 20];
                new Random(5).nextBytes(data);
                Task<Void> writer = spawn(() -> {
                    p[0].write(ByteBuffer.wrap(data));
                    p[0].shutdownOutput();
                });
                ByteBuffer got = ByteBuffer.allocate(data.length + 1);
                ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
                int n;
                while ((n = p[1].read(chunk.clear())) > 0) {
                    got.put(chunk.flip());
                }
                assertEquals(-1, n);
                writer.await();
                assertArrayEquals(data, java.util.Arrays.copyOf(got.array(), got.position()));
                p[0].close();
                p[1].close();
            }
        });
    }

    @Test
    void addressesAndTheEndOfTheStreamInBothDirections() {
        run(() -> {
            NettyPollerTest.install(IoDriver.EPOLL);
            try (Listener l = BACKEND.listen(EventLoop.current(), LOCALHOST, 16, false)) {
                Transport[] p = NettyPollerTest.pair(l);
                Transport server = p[0];
                Transport client = p[1];
                InetSocketAddress la = (InetSocketAddress) l.localAddress();
                assertEquals("127.0.0.1", la.getAddress().getHostAddress());
                assertEquals(la, client.remoteAddress());
                assertEquals(client.localAddress(), server.remoteAddress());
                assertEquals(server.localAddress(), client.remoteAddress());

                client.write(ByteBuffer.wrap("ping".getBytes()));
                client.shutdownOutput();
                ByteBuffer buf = ByteBuffer.allocate(16);
                while (buf.position() < 4) {
                    assertTrue(server.read(buf) > 0);
                }
                assertEquals(-1, server.read(buf), "the client's FIN ends the server's stream");
                assertEquals(-1, server.tryRead(buf));
                server.write(ByteBuffer.wrap("pong".getBytes())); // the other direction still works
                ByteBuffer back = ByteBuffer.allocate(4);
                while (back.hasRemaining()) {
                    assertTrue(client.read(back) > 0);
                }
                assertEquals("pong", new String(back.array()));
                server.close();
                assertEquals(-1, client.read(ByteBuffer.allocate(1)), "close sends a FIN to the peer");
                client.close();
            }
        });
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void closingReleasesTheDescriptorSoThePeerSeesTheEnd(IoDriver driver) throws Exception {
        // A plain JDK client on another thread: it sees the FIN only once the descriptor is really released (io_uring's
        // poll holds a reference to the file until it is removed).
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(LOCALHOST);
        }
        CompletableFuture<SocketAddress> bound = new CompletableFuture<>();
        CompletableFuture<Integer> clientSaw = new CompletableFuture<>();
        Thread client = Thread.ofPlatform().start(() -> {
            try (Socket s = new Socket()) {
                s.connect(bound.get());
                InputStream in = s.getInputStream();
                clientSaw.complete(in.read());
            } catch (Exception e) {
                clientSaw.completeExceptionally(e);
            }
        });
        run(() -> {
            NettyPollerTest.install(driver);
            try (Listener l = BACKEND.listen(EventLoop.current(), LOCALHOST, 16, false)) {
                bound.complete(l.localAddress());
                Transport t = l.accept();
                t.close();
                assertEquals(-1, Spindle.await(clientSaw));
            }
        });
        client.join();
    }

    @Test
    void aResetSurfacesAsSocketExceptionAndAWriteToAGonePeerFails() throws Exception {
        CompletableFuture<SocketAddress> bound = new CompletableFuture<>();
        CompletableFuture<Void> resetDone = new CompletableFuture<>();
        Thread peer = Thread.ofPlatform().start(() -> {
            try (Socket s = new Socket()) {
                s.connect(bound.get());
                OutputStream out = s.getOutputStream();
                out.write(1);
                out.flush();
                s.setSoLinger(true, 0); // close with RST
            } catch (Exception e) {
                resetDone.completeExceptionally(e);
                return;
            }
            resetDone.complete(null);
        });
        run(() -> {
            NettyPollerTest.install(IoDriver.EPOLL);
            try (Listener l = BACKEND.listen(EventLoop.current(), LOCALHOST, 16, false)) {
                bound.complete(l.localAddress());
                Transport t = l.accept();
                Spindle.await(resetDone);
                sleep(Duration.ofMillis(5));
                IOException e = assertThrows(IOException.class, () -> {
                    ByteBuffer buf = ByteBuffer.allocate(64);
                    while (true) {
                        if (t.read(buf.clear()) < 0) {
                            t.write(ByteBuffer.wrap(new byte[1024])); // a reset peer refuses this at the latest
                        }
                    }
                });
                assertInstanceOf(SocketException.class, e);
                assertTrue(t.isOpen(), "an error does not close the transport; its owner does");
                t.close();
            }
        });
        peer.join();
    }

    @Test
    void connectingToAClosedPortIsRefusedAndLeaksNothing() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", port);
        run(() -> {
            NettyPollerTest.install(IoDriver.EPOLL);
            for (int i = 0; i < 50; i++) {
                ConnectException e =
                        assertThrows(ConnectException.class, () -> BACKEND.connect(EventLoop.current(), nobody));
                assertTrue(e.getMessage().contains("refused"), e.getMessage());
            }
        });
    }

    @Test
    void theNettyBackendIsFoundByName() {
        List<String> names = new ArrayList<>();
        for (NetBackend b : ServiceLoader.load(NetBackend.class)) {
            names.add(b.name());
        }
        assertTrue(names.contains("netty"), names.toString());
    }

    @Test
    void loopsOnTwoThreadsEachDriveTheirOwnPoller() throws Exception {
        // One loop serves, another connects from its own thread: two Netty loops, each run by its own Spindle loop.
        CompletableFuture<SocketAddress> bound = new CompletableFuture<>();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        Thread serverThread = Thread.ofPlatform()
                .start(() -> run(() -> {
                    NettyPollerTest.install(IoDriver.EPOLL);
                    try (Listener l = BACKEND.listen(EventLoop.current(), LOCALHOST, 64, false)) {
                        Task<Void> server = serve(l, false);
                        bound.complete(l.localAddress());
                        Spindle.await(stop);
                        server.cancel();
                    }
                }));
        try {
            int echoed = run(() -> {
                NettyPollerTest.install(IoDriver.EPOLL);
                SocketAddress address = Spindle.await(bound);
                return Spindle.taskGroup(g -> {
                    List<Task<Integer>> tasks = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        tasks.add(g.spawn(() -> {
                            try (Transport c = BACKEND.connect(EventLoop.current(), address)) {
                                byte[] payload = new byte[4096];
                                new Random(1).nextBytes(payload);
                                assertArrayEquals(payload, roundTrip(c, payload));
                                return 1;
                            }
                        }));
                    }
                    int sum = 0;
                    for (Task<Integer> t : tasks) {
                        sum += t.await();
                    }
                    return sum;
                });
            });
            assertEquals(8, echoed);
        } finally {
            stop.complete(null);
            serverThread.join();
        }
    }
}
