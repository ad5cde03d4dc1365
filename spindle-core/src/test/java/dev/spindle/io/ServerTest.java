package dev.spindle.io;

import static dev.spindle.Spindle.await;
import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.io.StreamsFixture.bytes;
import static dev.spindle.io.StreamsFixture.eventually;
import static dev.spindle.io.StreamsFixture.openSockets;
import static dev.spindle.io.StreamsFixture.passes;
import static dev.spindle.io.StreamsFixture.peer;
import static dev.spindle.io.StreamsFixture.port;
import static dev.spindle.io.StreamsFixture.rawClient;
import static dev.spindle.io.StreamsFixture.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.loop.ExceptionContext;
import dev.spindle.loop.Loop;
import dev.spindle.sync.LoopEvent;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Server}: a task per connection, errors reported per peer, closing, shutdown, and peers that misbehave. */
@Timeout(60)
class ServerTest {
    // ---- bad peers -----------------------------------------------------------------------------------------

    /**
     * A line protocol: greets with "hi", echoes lines, and answers "BIG" with far more than a socket buffer holds.
     * Reads and drains are bounded by timeouts, as a server facing the internet would bound them.
     */
    private static final ConnectionHandler LINES = (r, w) -> {
        w.write(bytes("hi\n"));
        while (true) {
            byte[] line;
            try {
                line = withTimeout(Duration.ofMillis(300), () -> r.readUntil(bytes("\n")));
            } catch (IncompleteRead e) {
                if (e.partial().length == 0) {
                    return; // a clean close between lines
                }
                throw e; // closed mid-message
            }
            if (text(line).equals("BIG\n")) {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 16_384; i++) {
                    w.write(chunk);
                    withTimeout(Duration.ofMillis(300), w::drain);
                }
            } else {
                w.write(line);
                w.drain();
            }
        }
    };

    private static String readAll(Socket s) throws Exception {
        try (InputStream in = s.getInputStream()) {
            return text(in.readAllBytes());
        } catch (java.net.SocketException reset) {
            return "(reset)";
        }
    }

    private static String readGreeting(Socket s) throws Exception {
        byte[] hi = s.getInputStream().readNBytes(3);
        return text(hi);
    }

    @Test
    void badPeersGetAClearErrorOnTheirConnectionOnlyAndNothingLeaks() throws Exception {
        warmUp();
        long socketsBefore = openSockets();
        List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
        run(() -> {
            Loop.current().setExceptionHandler((loop, ctx) -> reports.add(ctx));
            Server server = Streams.startServer(
                    LINES, "127.0.0.1", 0, ServerOptions.builder().limit(1024).build());
            int port = port(server);
            int baselineTasks = Loop.current().allTasks().size();
            CountDownLatch release = new CountDownLatch(1);

            // 1. closes mid-message
            CompletableFuture<Integer> midMessage = peer(() -> {
                try (Socket s = rawClient(port)) {
                    readGreeting(s);
                    s.getOutputStream().write(bytes("half a mess"));
                    return s.getLocalPort();
                }
            });
            // 2. asks for a lot and never reads
            CompletableFuture<Integer> neverReads = peer(() -> {
                try (Socket s = rawClient(port)) {
                    s.getOutputStream().write(bytes("BIG\n"));
                    int p = s.getLocalPort();
                    release.await(30, TimeUnit.SECONDS);
                    return p;
                }
            });
            // 3. sends a line longer than the limit
            CompletableFuture<Integer> tooLong = peer(() -> {
                try (Socket s = rawClient(port)) {
                    byte[] junk = new byte[8192];
                    Arrays.fill(junk, (byte) 'x');
                    s.getOutputStream().write(junk);
                    readAll(s); // until the server gives up on us
                    return s.getLocalPort();
                }
            });
            // 4. connects and says nothing
            CompletableFuture<Integer> silent = peer(() -> {
                try (Socket s = rawClient(port)) {
                    readAll(s);
                    return s.getLocalPort();
                }
            });
            // 5. resets the connection mid-message (SO_LINGER 0)
            CompletableFuture<Integer> resets = peer(() -> {
                Socket s = rawClient(port);
                readGreeting(s);
                s.getOutputStream().write(bytes("abc"));
                int p = s.getLocalPort();
                s.setSoLinger(true, 0);
                s.close();
                return p;
            });

            // Meanwhile good clients are served as usual.
            List<Task<Void>> good = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int id = i;
                good.add(spawn(() -> {
                    try (Connection c = Streams.openConnection("127.0.0.1", port)) {
                        assertEquals("hi\n", text(c.reader().readLine()));
                        for (int m = 0; m < 20; m++) {
                            String line = "client " + id + " message " + m + "\n";
                            c.writer().write(bytes(line));
                            assertEquals(line, text(c.reader().readLine()));
                        }
                    }
                }));
            }
            for (Task<Void> t : good) {
                t.await();
            }

            int mid = await(midMessage);
            int tooLongPort = await(tooLong);
            int silentPort = await(silent);
            int resetPort = await(resets);
            eventually("five bad peers reported", () -> reports.size() >= 5);
            release.countDown();
            int neverReadsPort = await(neverReads);

            assertEquals(5, reports.size(), () -> "one report per bad peer, none for the good ones: " + reports);
            assertReported(reports, mid, IncompleteRead.class);
            assertReported(reports, neverReadsPort, TimedOut.class);
            assertReported(reports, tooLongPort, LimitOverrun.class);
            assertReported(reports, silentPort, TimedOut.class);
            assertReported(reports, resetPort, ConnectionLost.class);

            // the server still serves, and every connection task is gone
            try (Connection c = Streams.openConnection("127.0.0.1", port)) {
                assertEquals("hi\n", text(c.reader().readLine()));
                c.writer().write(bytes("after\n"));
                assertEquals("after\n", text(c.reader().readLine()));
            }
            eventually("no connection task left", () -> server.activeConnections() == 0);
            eventually(
                    "tasks back to the baseline",
                    () -> Loop.current().allTasks().size() == baselineTasks);
            server.close();
            server.waitClosed();
        });
        assertEquals(socketsBefore, openSockets(), "no socket leaked");
    }

    private static void assertReported(List<ExceptionContext> reports, int peerPort, Class<?> type) {
        String peer = "127.0.0.1:" + peerPort;
        List<ExceptionContext> mine =
                reports.stream().filter(r -> r.message().contains(peer)).toList();
        assertEquals(1, mine.size(), () -> "one report for " + peer + " in " + reports);
        assertInstanceOf(type, mine.get(0).exception(), mine.get(0).message());
        assertTrue(mine.get(0).message().startsWith("connection handler failed for peer " + peer));
    }

    /** Loads the classes and the JDK's lazily made sockets once, so that counting sockets afterwards is exact. */
    private static void warmUp() {
        run(() -> {
            Server s = Streams.startServer(LINES, "127.0.0.1", 0);
            try (Connection c = Streams.openConnection("127.0.0.1", port(s))) {
                c.reader().readLine();
            }
            s.close();
            s.waitClosed();
        });
    }

    // ---- handlers ------------------------------------------------------------------------------------------

    @Test
    void aHandlerThatThrowsClosesItsConnectionAtOnceAndIsReportedWithThePeer() {
        List<ExceptionContext> reports = new ArrayList<>();
        run(() -> {
            Loop.current().setExceptionHandler((loop, ctx) -> reports.add(ctx));
            Server server = Streams.startServer(
                    (r, w) -> {
                        w.write(new byte[8 << 20]); // more than the socket takes: buffered
                        throw new IllegalStateException("boom");
                    },
                    "127.0.0.1",
                    0);
            try (Connection c = Streams.openConnection("127.0.0.1", port(server))) {
                long got = 0;
                try {
                    byte[] b;
                    while ((b = c.reader().read(1 << 20)).length > 0) {
                        got += b.length;
                    }
                } catch (ConnectionLost reset) {
                    // closing with unread data may reset: either way the connection ended early
                }
                assertTrue(got < 8 << 20, "the buffered bytes were dropped, not sent: " + got);
                int local = ((InetSocketAddress) c.writer().localAddress()).getPort();
                assertEquals(1, reports.size());
                assertTrue(
                        reports.get(0).message().contains("127.0.0.1:" + local),
                        reports.get(0).message());
                assertEquals("boom", reports.get(0).exception().getMessage());
                assertTrue(
                        reports.get(0).source() instanceof Task<?> t && t.name().startsWith("conn-"));
            }
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void aHandlerThatReturnsClosesItsConnectionAfterSendingWhatIsBuffered() {
        byte[] data = new byte[8 << 20];
        new Random(11).nextBytes(data);
        run(() -> {
            Server server = Streams.startServer((r, w) -> w.write(data), "127.0.0.1", 0);
            try (Connection c = Streams.openConnection("127.0.0.1", port(server))) {
                passes(10); // the handler has long returned with most bytes still buffered
                assertArrayEquals(data, c.reader().readExactly(data.length));
                assertEquals(0, c.reader().read(1).length);
            }
            server.close();
            server.waitClosed();
        });
    }

    // ---- closing -------------------------------------------------------------------------------------------

    @Test
    void closeStopsAcceptingAndWaitClosedWaitsForTheRunningHandlers() {
        run(() -> {
            LoopEvent finish = new LoopEvent();
            Server server = Streams.startServer(
                    (r, w) -> {
                        finish.await();
                        w.write(bytes("bye\n"));
                    },
                    "127.0.0.1",
                    0);
            int port = port(server);
            Connection c = Streams.openConnection("127.0.0.1", port);
            eventually("the handler runs", () -> server.activeConnections() == 1);
            server.close();
            assertFalse(server.isServing());
            assertThrows(StreamError.class, () -> Streams.openConnection("127.0.0.1", port));
            Task<Void> waiter = spawn(server::waitClosed);
            passes(5);
            assertFalse(waiter.isDone(), "a handler still runs");
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(10), server::waitClosed));
            finish.set();
            assertEquals("bye\n", text(c.reader().readLine()), "the open connection was served to its end");
            waiter.await();
            assertEquals(0, server.activeConnections());
            c.close();
        });
    }

    @Test
    void serveForeverReturnsOnCloseAndACancelledOneClosesTheServer() {
        run(() -> {
            Server a = Streams.startServer((r, w) -> {}, "127.0.0.1", 0);
            Task<Void> serving = spawn(a::serveForever);
            passes(2);
            assertThrows(IllegalStateException.class, a::serveForever, "one serveForever at a time");
            a.close();
            serving.await();
            assertThrows(IllegalStateException.class, a::serveForever, "a closed server");

            Server b = Streams.startServer((r, w) -> {}, "127.0.0.1", 0);
            Task<Void> servingB = spawn(b::serveForever);
            passes(2);
            servingB.cancel();
            assertThrows(Cancelled.class, servingB::await);
            assertFalse(b.isServing());
            b.waitClosed();

            Server c = Streams.startServer((r, w) -> {}, "127.0.0.1", 0);
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(10), c::serveForever));
            assertFalse(c.isServing(), "a serveForever ended by a timeout closes the server too");
            c.waitClosed();
        });
    }

    @Test
    void runEndingWithAServerAndAHandlerStillOpenDoesNotHangAndClosesTheirSockets() throws Exception {
        warmUp();
        long before = openSockets();
        CountDownLatch connected = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        boolean[] handlerCleanedUp = {false};
        CompletableFuture<String> client = new CompletableFuture<>();
        run(() -> {
            Server server = Streams.startServer(
                    (r, w) -> {
                        try {
                            r.readLine(); // the client never sends a line
                        } finally {
                            handlerCleanedUp[0] = true;
                        }
                    },
                    "127.0.0.1",
                    0);
            int port = port(server);
            peer(() -> {
                try (Socket s = rawClient(port)) {
                    connected.countDown();
                    client.complete(readAll(s)); // until the server side goes away
                    done.await(30, TimeUnit.SECONDS);
                }
                return null;
            });
            await(CompletableFuture.runAsync(() -> {
                try {
                    connected.await();
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            }));
            eventually("the handler runs", () -> server.activeConnections() == 1);
            // main returns here: run cancels the accept loop and the handler
        });
        assertTrue(handlerCleanedUp[0], "the handler was cancelled and its finally ran");
        assertEquals("", client.get(10, TimeUnit.SECONDS), "the peer saw its connection closed");
        done.countDown();
        waitOnThisThread(() -> openSockets() == before);
    }

    private static void waitOnThisThread(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), "sockets back to the count before the run");
    }

    // ---- listening -----------------------------------------------------------------------------------------

    @Test
    void aServerOnEveryInterfaceTakesConnectionsTo127001() {
        run(() -> {
            Server server = Streams.startServer(ConnectAndServeTest.ECHO, null, 0);
            try (Connection c = Streams.openConnection("127.0.0.1", port(server))) {
                c.writer().write(bytes("any\n"));
                assertEquals("any\n", text(c.reader().readLine()));
            }
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void aSecondServerOnTheSamePortFailsUnlessBothReusePort() {
        run(() -> {
            Server first = Streams.startServer(ConnectAndServeTest.ECHO, "127.0.0.1", 0);
            StreamError e = assertThrows(
                    StreamError.class, () -> Streams.startServer(ConnectAndServeTest.ECHO, "127.0.0.1", port(first)));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port(first)), e.getMessage());
            first.close();
            first.waitClosed();

            ServerOptions shared = ServerOptions.builder().reusePort(true).build();
            Server a = Streams.startServer(ConnectAndServeTest.ECHO, "127.0.0.1", 0, shared);
            Server b = Streams.startServer(ConnectAndServeTest.ECHO, "127.0.0.1", port(a), shared); // SO_REUSEPORT
            assertEquals(port(a), port(b));
            for (int i = 0; i < 4; i++) {
                try (Connection c = Streams.openConnection("127.0.0.1", port(a))) {
                    c.writer().write(bytes("shared\n"));
                    assertEquals("shared\n", text(c.reader().readLine()));
                }
            }
            a.close();
            b.close();
            a.waitClosed();
            b.waitClosed();
        });
    }

    @Test
    void aBlockingClientSeesEchoesAndTheEndWhenItShutsDownItsOutput() {
        run(() -> {
            Server server = Streams.startServer(ConnectAndServeTest.ECHO, "127.0.0.1", 0);
            int port = port(server);
            String got = await(peer(() -> {
                try (Socket s = rawClient(port)) {
                    OutputStream out = s.getOutputStream();
                    for (int i = 0; i < 100; i++) {
                        out.write(bytes(i + ","));
                    }
                    s.shutdownOutput();
                    return readAll(s);
                }
            }));
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                expected.append(i).append(',');
            }
            assertEquals(expected.toString(), got);
            server.close();
            server.waitClosed();
        });
    }
}
