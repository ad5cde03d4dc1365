package dev.spindle.bench.jdkpoller;

import static dev.spindle.Spindle.await;
import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.Connection;
import dev.spindle.io.ConnectionHandler;
import dev.spindle.io.Server;
import dev.spindle.io.Streams;
import dev.spindle.io.internal.NetBackend;
import dev.spindle.sync.LoopEvent;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The jdk-poller backend under Spindle's public streams API (Surefire sets {@code -Dspindle.io.backend=jdk-poller}):
 * the echo server of the benchmark, writes larger than the socket buffers, end of stream, closing a server, and the
 * documented cost of a cancelled read. Real sockets on 127.0.0.1.
 */
@Timeout(60)
class JdkPollerBackendTest {
    /** The echo benchmark's handler (SpindleEchoServer's default form): a direct buffer, write, drain. */
    private static final ConnectionHandler ECHO = (reader, writer) -> {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        while (reader.read(buf.clear()) > 0) {
            writer.write(buf.flip());
            writer.drain();
        }
    };

    @BeforeAll
    static void theBackendIsJdkPoller() {
        assertEquals(JdkPollerBackend.NAME, NetBackend.current().name(), "Surefire must select the backend");
    }

    private static int port(Server s) {
        return ((InetSocketAddress) s.addresses().get(0)).getPort();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void echoesMessagesOfEverySizeBackUnchanged() {
        run(() -> {
            Server server = Streams.startServer(ECHO, "127.0.0.1", 0);
            try (Connection c = Streams.openConnection("127.0.0.1", port(server))) {
                // 4 MiB is far more than both sockets' buffers: tryWrite takes part, the flusher blocks for the rest
                // while this coroutine reads the echo concurrently (tryWrite must then stand aside: it reports 0).
                for (int size : new int[] {1, 1024, 65536, 4 << 20}) {
                    byte[] sent = random(size, size);
                    Task<Void> writer = spawn(() -> {
                        c.writer().write(sent);
                        c.writer().drain();
                    });
                    byte[] got = c.reader().readExactly(size);
                    await(writer);
                    assertArrayEquals(sent, got, "echo of " + size + " bytes");
                }
            }
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void manyConnectionsEchoAtOnce() {
        int connections = 32;
        int rounds = 50;
        List<Integer> done = run(() -> {
            Server server = Streams.startServer(ECHO, "127.0.0.1", 0);
            List<Task<Integer>> clients = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                int id = i;
                clients.add(spawn(() -> {
                    try (Connection c = Streams.openConnection("127.0.0.1", port(server))) {
                        for (int r = 0; r < rounds; r++) {
                            byte[] msg = random(1024, id * 1000L + r);
                            c.writer().write(msg);
                            c.writer().drain();
                            assertArrayEquals(msg, c.reader().readExactly(msg.length));
                        }
                    }
                    return id;
                }));
            }
            List<Integer> ids = new ArrayList<>();
            for (Task<Integer> t : clients) {
                ids.add(await(t));
            }
            server.close();
            server.waitClosed();
            return ids;
        });
        assertEquals(connections, done.size());
    }

    @Test
    void atEofAnswersWithoutWaitingAndSeesTheEnd() {
        run(() -> {
            LoopEvent finish = new LoopEvent();
            Server server = Streams.startServer(
                    (r, w) -> {
                        w.write("bye".getBytes());
                        finish.await();
                        w.writeEof();
                        w.drain();
                    },
                    "127.0.0.1",
                    0);
            try (Connection c = Streams.openConnection("127.0.0.1", port(server))) {
                assertArrayEquals("bye".getBytes(), c.reader().readExactly(3));
                // nothing more has arrived and the peer is still open: tryRead must report 0, not wait for data
                assertFalse(c.reader().atEof());
                finish.set();
                for (int i = 0; i < 1000 && !c.reader().atEof(); i++) {
                    sleep(0.005);
                }
                assertTrue(c.reader().atEof(), "the FIN reaches atEof through tryRead");
            }
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void closingTheServerWakesItsAcceptLoopParkedInTheJdk() {
        run(() -> {
            Server server = Streams.startServer(ECHO, "127.0.0.1", 0);
            int port = port(server);
            sleep(0.01); // let the accept loop park in the JDK's accept
            server.close();
            withTimeout(Duration.ofSeconds(10), server::waitClosed);
            assertFalse(server.isServing());
            // The JDK releases the descriptor once the parked accept has woken and run (through the loop), so the
            // port refuses connections a moment later, not at once.
            boolean refused = false;
            for (int i = 0; i < 1000 && !refused; i++) {
                try {
                    Streams.openConnection("127.0.0.1", port).close();
                    sleep(0.005);
                } catch (RuntimeException e) {
                    refused = true;
                }
            }
            assertTrue(refused, "the listening socket was closed");
        });
    }

    /** Why this backend is not shipped: the interrupt that carries a cancel into a JDK blocking read closes the socket. */
    @Test
    void aCancelledReadCostsTheConnection() {
        run(() -> {
            Server server = Streams.startServer(ECHO, "127.0.0.1", 0);
            try (Connection c = Streams.openConnection("127.0.0.1", port(server))) {
                assertThrows(
                        TimedOut.class,
                        () -> withTimeout(
                                Duration.ofMillis(20), () -> c.reader().read(10)));
                assertFalse(c.writer().transport().isOpen(), "the interrupted read closed the channel");
                assertThrows(RuntimeException.class, () -> {
                    c.writer().write("x".getBytes());
                    c.writer().drain();
                });
            }
            server.close();
            server.waitClosed();
        });
    }

    @Test
    void closingTheTransportWakesAReadParkedInTheJdk() {
        run(() -> {
            Server server = Streams.startServer(ECHO, "127.0.0.1", 0);
            try (Connection c = Streams.openConnection("127.0.0.1", port(server))) {
                Task<byte[]> reader = spawn(() -> c.reader().read(10));
                sleep(0.01); // parked in the JDK's read: nothing was sent, so nothing can arrive
                assertFalse(reader.isDone());
                c.writer().transport().close();
                // the JDK fails the parked read with AsynchronousCloseException, which the reader takes for the end
                // of the stream, as after a local close on the nio backend
                assertArrayEquals(new byte[0], await(reader));
            }
            server.close();
            server.waitClosed();
        });
    }
}
