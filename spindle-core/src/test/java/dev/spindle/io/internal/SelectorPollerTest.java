package dev.spindle.io.internal;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.loop.Loop;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop's own selector: readiness wakes coroutines on the loop; a cancelled wait leaves the socket open. */
@Timeout(20)
class SelectorPollerTest {
    @Test
    void acceptReadAndWriteWaitOnTheLoopsSelectorWhileTimersKeepRunning() throws Exception {
        String echoed = run(() -> {
            EventLoop loop = (EventLoop) Loop.current();
            SelectorPoller poller = SelectorPoller.of(loop);
            ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            Readiness acceptReady = poller.register(server);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            CompletableFuture<String> client = CompletableFuture.supplyAsync(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    OutputStream out = s.getOutputStream();
                    out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = s.getInputStream();
                    return new String(in.readNBytes(6), StandardCharsets.US_ASCII);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            int[] ticks = {0};
            Task<Void> ticker = spawn(() -> {
                for (int i = 0; i < 5; i++) {
                    sleep(Duration.ofMillis(2));
                    ticks[0]++;
                }
            });
            SocketChannel conn;
            while ((conn = server.accept()) == null) {
                acceptReady.await(SelectionKey.OP_ACCEPT, "accept");
            }
            Readiness r = poller.register(conn);
            ByteBuffer buf = ByteBuffer.allocate(64);
            while (buf.position() < 6) {
                if (conn.read(buf) == 0) {
                    r.await(SelectionKey.OP_READ, "read");
                }
            }
            buf.flip();
            while (buf.hasRemaining()) {
                if (conn.write(buf) == 0) {
                    r.await(SelectionKey.OP_WRITE, "write");
                }
            }
            ticker.await();
            assertEquals(5, ticks[0]);
            String got = dev.spindle.Spindle.await(client);
            conn.close();
            server.close();
            return got;
        });
        assertEquals("hello\n", echoed);
    }

    @Test
    void aCancelledReadWithdrawsItsInterestAndTheConnectionStillWorks() {
        run(() -> {
            EventLoop loop = (EventLoop) Loop.current();
            SelectorPoller poller = SelectorPoller.of(loop);
            ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel client = SocketChannel.open(server.getLocalAddress());
            SocketChannel conn = server.accept();
            Readiness r = poller.register(conn);
            Task<Void> reader = spawn(() -> r.await(SelectionKey.OP_READ, "read"));
            sleep(Duration.ofMillis(5));
            reader.cancel();
            assertThrows(Cancelled.class, reader::await);
            assertTrue(conn.isOpen(), "a cancelled wait must not close the socket");
            assertThrows(
                    TimedOut.class,
                    () -> withTimeout(Duration.ofMillis(5), () -> {
                        r.await(SelectionKey.OP_READ, "read");
                    }));
            assertTrue(conn.isOpen());
            client.write(ByteBuffer.wrap(new byte[] {42}));
            r.await(SelectionKey.OP_READ, "read");
            ByteBuffer one = ByteBuffer.allocate(1);
            assertEquals(1, conn.read(one));
            assertEquals(42, one.get(0));
            client.close();
            conn.close();
            server.close();
        });
    }

    @Test
    void interestStaysSetForAWaiterThatComesBackAndGoesOnceNobodyWaitsNorConnects() throws Exception {
        run(() -> {
            EventLoop loop = (EventLoop) Loop.current();
            ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            try (server;
                    Transport client = NioBackend.INSTANCE.connect(loop, server.getLocalAddress());
                    SocketChannel peer = server.accept()) {
                SelectionKey key = ((NioTransport) client).readinessForTests().key;
                // Left set after the connect, OP_CONNECT would wake every selection once the socket is writable.
                assertEquals(0, key.interestOps() & SelectionKey.OP_CONNECT, "no OP_CONNECT after connecting");

                ByteBuffer buf = ByteBuffer.allocate(16);
                Task<Integer> reader = spawn(() -> client.read(buf));
                sleep(Duration.ZERO);
                assertEquals(SelectionKey.OP_READ, key.interestOps() & SelectionKey.OP_READ, "a waiting reader");
                peer.write(ByteBuffer.wrap(new byte[] {1}));
                assertEquals(1, withTimeout(Duration.ofSeconds(5), reader::await));
                assertEquals(
                        SelectionKey.OP_READ,
                        key.interestOps() & SelectionKey.OP_READ,
                        "the woken reader's interest stays for its next read: no update queued with the selector");

                // Data arrives while nobody waits: the first selection to see it takes the interest away, so a
                // level-triggered selector does not report it again and again.
                peer.write(ByteBuffer.wrap(new byte[] {2}));
                for (int i = 0; i < 200 && (key.interestOps() & SelectionKey.OP_READ) != 0; i++) {
                    sleep(Duration.ofMillis(1));
                }
                assertEquals(0, key.interestOps() & SelectionKey.OP_READ, "no reader, no interest");
                assertEquals(1, client.read(buf.clear()), "and the byte is still there for the next read");
                assertEquals(2, buf.get(0));
            }
        });
    }
}
