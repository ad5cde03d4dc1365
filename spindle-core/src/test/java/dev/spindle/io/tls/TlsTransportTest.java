package dev.spindle.io.tls;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.io.tls.TlsIo.readExactly;
import static dev.spindle.io.tls.TlsIo.readLine;
import static dev.spindle.io.tls.TlsIo.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.TlsOptions;
import dev.spindle.io.internal.TlsTransport;
import dev.spindle.io.internal.Transport;
import dev.spindle.loop.Loop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spindle TLS on both ends, over real sockets and over in-memory connections (deterministic: bounded buffers, a
 * peer that moves one byte at a time, ciphertext held back and released by the test).
 */
@Timeout(60)
class TlsTransportTest {
    private static final int MIB = 1024 * 1024;

    /** Handshakes a Spindle client and server over two connected ends; returns {client, server}. */
    static TlsTransport[] handshake(Transport clientEnd, Transport serverEnd, TlsOptions client, TlsOptions server)
            throws IOException {
        Task<TlsTransport> s = spawn(() -> TlsTransport.server(serverEnd, server));
        TlsTransport c = TlsTransport.client(clientEnd, client, "localhost", 443);
        return new TlsTransport[] {c, s.await()};
    }

    static TlsTransport[] memoryPair(int capacity, int chop) throws IOException {
        MemoryTransport[] ends = MemoryTransport.pair(capacity, chop);
        return handshake(ends[0], ends[1], TestCerts.client(), TestCerts.server());
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Every task but the caller's has ended: nothing (a flusher, a handshake) was left behind. */
    static void assertNoTasksLeft() {
        sleep(Duration.ZERO);
        sleep(Duration.ZERO);
        assertEquals(
                1,
                Loop.current().allTasks().size(),
                () -> "tasks left: " + Loop.current().allTasks());
    }

    // ---- data ---------------------------------------------------------------------------------------------

    @Test
    void spindleToSpindleOverSocketsCarriesEightMebibytesEachWayAtOnce() {
        run(() -> {
            try (ChannelTransport.Listener listener = new ChannelTransport.Listener()) {
                Task<TlsTransport> accepted = spawn(() -> TlsTransport.server(listener.accept(), TestCerts.server()));
                TlsTransport client = TlsTransport.client(
                        ChannelTransport.connect(listener.port()), TestCerts.client(), "localhost", listener.port());
                TlsTransport server = accepted.await();
                long size = 8L * MIB;
                Task<Long> clientSends = spawn(() -> TlsIo.writeRandom(client, size, 11));
                Task<Long> serverSends = spawn(() -> TlsIo.writeRandom(server, size, 12));
                Task<Long> serverGets = spawn(() -> TlsIo.readCrc(server, size));
                long clientGot = TlsIo.readCrc(client, size);
                assertEquals(clientSends.await(), serverGets.await());
                assertEquals(serverSends.await(), clientGot);
                client.close();
                server.close();
                assertNoTasksLeft();
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 1000})
    void aPeerThatMovesAFewBytesAtATimeStillGetsEveryRecordThrough(int chop) {
        run(() -> {
            int size = chop == 1 ? 20_000 : 300_000;
            TlsTransport[] ends = memoryPair(4096, chop);
            byte[] up = random(size, 1);
            byte[] down = random(size, 2);
            Task<byte[]> serverGets = spawn(() -> readExactly(ends[1], size));
            Task<Void> serverSends = spawn(() -> ends[1].write(ByteBuffer.wrap(down)));
            Task<Void> clientSends = spawn(() -> ends[0].write(ByteBuffer.wrap(up)));
            assertArrayEquals(down, readExactly(ends[0], size));
            assertArrayEquals(up, serverGets.await());
            serverSends.await();
            clientSends.await();
            ends[0].close();
            ends[1].close();
            assertNoTasksLeft();
        });
    }

    @Test
    void tryReadReturnsWhatIsAlreadyDecryptedOrDecryptableWithoutWaiting() {
        run(() -> {
            TlsTransport[] ends = memoryPair(64 * 1024, Integer.MAX_VALUE);
            TlsTransport client = ends[0];
            ByteBuffer buf = ByteBuffer.allocate(100);
            assertEquals(0, client.tryRead(buf), "nothing sent yet");
            write(ends[1], "abc");
            ByteBuffer one = ByteBuffer.allocate(1);
            assertEquals(1, client.read(one)); // decrypts the whole record, returns one byte
            assertEquals('a', one.get(0));
            assertEquals(2, client.tryRead(buf.clear()), "the rest of the record, already decrypted");
            assertEquals("bc", new String(buf.array(), 0, 2, StandardCharsets.US_ASCII));
            assertEquals(0, client.tryRead(buf.clear()));
            write(ends[1], "de"); // ciphertext now waits in the inner transport
            assertEquals(2, client.tryRead(buf.clear()), "decrypts what the inner transport holds, no waiting");
            ends[1].shutdownOutput();
            assertEquals(-1, client.tryRead(buf.clear()));
            assertTrue(client.closeNotifyReceived());
            client.close();
            ends[1].close();
        });
    }

    @Test
    void bytesTryWriteTookAreDeliveredEvenIfTheWriterNeverWritesAgain() {
        run(() -> {
            // the inner connection holds only 1000 bytes: one record of 3000 cannot go out at once
            TlsTransport[] ends = memoryPair(1000, Integer.MAX_VALUE);
            byte[] msg = random(3000, 3);
            int took = ends[0].tryWrite(ByteBuffer.wrap(msg));
            assertEquals(3000, took, "one record's worth is taken: the rest of its ciphertext goes out later");
            assertEquals(0, ends[0].tryWrite(ByteBuffer.wrap(msg)), "nothing more while ciphertext is pending");
            // the client now only reads; the server gets all 3000 bytes (a background flush sends the rest)
            Task<Void> server = spawn(() -> {
                assertArrayEquals(msg, readExactly(ends[1], 3000));
                write(ends[1], "ok\n");
            });
            assertEquals("ok\n", readLine(ends[0]));
            server.await();
            ends[0].close();
            ends[1].close();
            assertNoTasksLeft();
        });
    }

    @Test
    void tryWriteThenWriteKeepsTheOrder() {
        run(() -> {
            TlsTransport[] ends = memoryPair(4096, Integer.MAX_VALUE);
            byte[] data = random(500_000, 4);
            ByteBuffer src = ByteBuffer.wrap(data);
            int took = ends[0].tryWrite(src);
            assertTrue(took > 0 && took < data.length, "took " + took);
            Task<byte[]> server = spawn(() -> readExactly(ends[1], data.length));
            ends[0].write(src);
            assertArrayEquals(data, server.await());
            ends[0].close();
            ends[1].close();
        });
    }

    // ---- cancellation -------------------------------------------------------------------------------------

    /** How a wait is abandoned. */
    enum Abandon {
        CANCEL_WHILE_PARKED,
        CANCEL_RIGHT_AFTER_THE_WAKE,
        TIMEOUT
    }

    @ParameterizedTest
    @ValueSource(strings = {"CANCEL_WHILE_PARKED", "CANCEL_RIGHT_AFTER_THE_WAKE", "TIMEOUT"})
    void aReadAbandonedMidRecordLosesNothing(String how) {
        Abandon abandon = Abandon.valueOf(how);
        run(() -> {
            MemoryTransport[] raw = MemoryTransport.pair();
            Held held = new Held(raw[1]);
            TlsTransport[] ends = handshake(raw[0], held, TestCerts.client(), TestCerts.server());
            TlsTransport client = ends[0];
            held.holding = true;
            write(ends[1], "hello, world\n"); // one record, held back by the test
            held.release(10); // the client gets only the start of the record
            ByteBuffer buf = ByteBuffer.allocate(64);
            switch (abandon) {
                case CANCEL_WHILE_PARKED -> {
                    Task<Integer> reader = spawn(() -> client.read(buf));
                    sleep(Duration.ZERO);
                    sleep(Duration.ZERO); // the reader took the 10 bytes and waits for the rest
                    reader.cancel();
                    assertThrows(Cancelled.class, reader::await);
                }
                case CANCEL_RIGHT_AFTER_THE_WAKE -> {
                    Task<Integer> reader = spawn(() -> client.read(buf));
                    sleep(Duration.ZERO);
                    sleep(Duration.ZERO);
                    held.release(5); // wakes the reader...
                    reader.cancel(); // ...which is cancelled before it runs
                    assertThrows(Cancelled.class, reader::await);
                }
                case TIMEOUT ->
                    assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(5), () -> client.read(buf)));
            }
            assertEquals(0, buf.position(), "the abandoned read returned nothing");
            assertTrue(client.isOpen(), "an abandoned read leaves the connection open");
            held.release(Integer.MAX_VALUE);
            assertEquals("hello, world\n", readLine(client), "the second read gets every byte");
            write(client, "still works\n");
            assertEquals("still works\n", readLine(ends[1]));
            client.close();
            ends[1].close();
            assertNoTasksLeft();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"CANCEL_WHILE_PARKED", "CANCEL_RIGHT_AFTER_THE_WAKE", "TIMEOUT"})
    void aWriteAbandonedMidStreamDeliversExactlyWhatItTook(String how) {
        Abandon abandon = Abandon.valueOf(how);
        run(() -> {
            MemoryTransport[] raw = MemoryTransport.pair(8192, Integer.MAX_VALUE);
            TlsTransport[] ends = handshake(raw[0], raw[1], TestCerts.client(), TestCerts.server());
            byte[] data = random(400_000, 5);
            ByteBuffer src = ByteBuffer.wrap(data);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            switch (abandon) {
                case CANCEL_WHILE_PARKED -> {
                    Task<Void> writer = spawn(() -> ends[0].write(src));
                    sleep(Duration.ZERO);
                    sleep(Duration.ZERO);
                    writer.cancel();
                    assertThrows(Cancelled.class, writer::await);
                }
                case CANCEL_RIGHT_AFTER_THE_WAKE -> {
                    Task<Void> writer = spawn(() -> ends[0].write(src));
                    sleep(Duration.ZERO);
                    sleep(Duration.ZERO);
                    assertEquals(8192, raw[0].unread(), "the writer waits for room");
                    // the server takes what ciphertext there is (no whole record yet, so no plaintext): that frees
                    // the connection and wakes the writer...
                    ByteBuffer first = ByteBuffer.allocate(100);
                    int n = ends[1].tryRead(first);
                    got.write(first.array(), 0, n);
                    assertEquals(0, raw[0].unread());
                    writer.cancel(); // ...which is cancelled before it runs
                    assertThrows(Cancelled.class, writer::await);
                }
                case TIMEOUT ->
                    assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(5), () -> ends[0].write(src)));
            }
            int took = src.position();
            assertTrue(took > 0 && took < data.length, "took " + took);
            // the server gets exactly what was taken, with no further write: a background flush sends what was
            // encrypted but not yet handed to the connection
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (got.size() < took) {
                int n = ends[1].read(buf.clear().limit(Math.min(buf.capacity(), took - got.size())));
                got.write(buf.array(), 0, n);
            }
            assertArrayEquals(Arrays.copyOf(data, took), got.toByteArray());
            assertEquals(0, ends[1].tryRead(buf.clear()), "and nothing more");
            Task<Void> server = spawn(() -> {
                while (got.size() < data.length) {
                    int n = ends[1].read(buf.clear());
                    got.write(buf.array(), 0, n);
                }
            });
            ends[0].write(src); // the rest, after what the abandoned write took
            server.await();
            byte[] all = got.toByteArray();
            assertArrayEquals(data, all, "every byte once, in order");
            ends[0].close();
            ends[1].close();
            assertNoTasksLeft();
        });
    }

    @Test
    void aCancelledHandshakeClosesTheConnection() {
        run(() -> {
            MemoryTransport[] raw = MemoryTransport.pair(); // nobody answers on the server end
            Task<TlsTransport> client = spawn(() -> TlsTransport.client(raw[0], TestCerts.client(), "localhost", 443));
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            client.cancel();
            assertThrows(Cancelled.class, client::await);
            assertFalse(raw[0].isOpen(), "a handshake left half-way leaves nothing usable");

            MemoryTransport[] raw2 = MemoryTransport.pair();
            assertThrows(
                    TimedOut.class,
                    () -> withTimeout(
                            Duration.ofMillis(5),
                            () -> TlsTransport.client(raw2[0], TestCerts.client(), "localhost", 443)));
            assertFalse(raw2[0].isOpen());
            assertNoTasksLeft();
        });
    }

    // ---- ends ---------------------------------------------------------------------------------------------

    @Test
    void closeNotifyEndsEachDirectionOnItsOwn() {
        run(() -> {
            TlsTransport[] ends = memoryPair(64 * 1024, Integer.MAX_VALUE);
            write(ends[0], "request\n");
            ends[0].shutdownOutput();
            ends[0].shutdownOutput(); // once is enough; twice is harmless
            assertEquals("request\n", readLine(ends[1]));
            assertEquals(-1, ends[1].read(ByteBuffer.allocate(10)));
            assertTrue(ends[1].closeNotifyReceived());
            write(ends[1], "response\n"); // the server's direction is still open
            ends[1].shutdownOutput();
            assertEquals("response\n", readLine(ends[0]));
            assertEquals(-1, ends[0].read(ByteBuffer.allocate(10)));
            assertThrows(ClosedChannelException.class, () -> write(ends[0], "late\n"));
            ends[0].close();
            ends[1].close();
        });
    }

    @Test
    void closeWakesAWaitingReaderAndTellsThePeer() {
        run(() -> {
            TlsTransport[] ends = memoryPair(64 * 1024, Integer.MAX_VALUE);
            Task<Integer> reader = spawn(() -> ends[0].read(ByteBuffer.allocate(10)));
            sleep(Duration.ZERO);
            ends[0].close();
            assertThrows(ClosedChannelException.class, reader::await);
            assertFalse(ends[0].isOpen());
            assertThrows(ClosedChannelException.class, () -> ends[0].read(ByteBuffer.allocate(10)));
            assertEquals(-1, ends[1].read(ByteBuffer.allocate(10)), "close sent close_notify");
            assertTrue(ends[1].closeNotifyReceived());
            ends[1].close();
            assertNoTasksLeft();
        });
    }

    @Test
    void aConnectionDroppedWithoutCloseNotifyReadsAsEndOfStream() {
        run(() -> {
            TlsTransport[] ends = memoryPair(64 * 1024, Integer.MAX_VALUE);
            write(ends[1], "partial\n");
            ends[1].inner().close(); // the TCP connection goes, no close_notify
            assertEquals("partial\n", readLine(ends[0]));
            assertEquals(-1, ends[0].read(ByteBuffer.allocate(10)));
            assertFalse(ends[0].closeNotifyReceived(), "a truncation is told apart");
            ends[0].close();
        });
    }

    @Test
    void oneReaderAndOneWriterAtATime() {
        run(() -> {
            TlsTransport[] ends = memoryPair(1024, Integer.MAX_VALUE);
            Task<Integer> reader = spawn(() -> ends[0].read(ByteBuffer.allocate(10)));
            Task<Void> writer = spawn(() -> ends[0].write(ByteBuffer.allocate(1_000_000)));
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            IllegalStateException twoReaders =
                    assertThrows(IllegalStateException.class, () -> ends[0].read(ByteBuffer.allocate(10)));
            assertTrue(twoReaders.getMessage().contains("already reading"), twoReaders.getMessage());
            assertThrows(IllegalStateException.class, () -> ends[0].write(ByteBuffer.allocate(10)));
            assertEquals(0, ends[0].tryWrite(ByteBuffer.allocate(10)), "a tryWrite does not cut into a write");
            reader.cancel();
            writer.cancel();
            assertThrows(Cancelled.class, reader::await);
            assertThrows(Cancelled.class, writer::await);
            ends[0].close();
            ends[1].close();
        });
    }

    // ---- startTls, ALPN -----------------------------------------------------------------------------------

    @Test
    void startTlsHandsTheBytesAPlainReaderTookTooFarToTheHandshake() {
        run(() -> {
            MemoryTransport[] raw = MemoryTransport.pair();
            Task<String> server = spawn(() -> {
                // a plain-text reader that reads in big gulps takes the ClientHello along with the command
                ByteBuffer plain = ByteBuffer.allocate(64 * 1024);
                int newline;
                while ((newline = indexOf(plain, (byte) '\n')) < 0 || plain.position() == newline + 1) {
                    raw[1].read(plain);
                }
                String command = new String(plain.array(), 0, newline + 1, StandardCharsets.US_ASCII);
                ByteBuffer extra = ByteBuffer.wrap(plain.array(), newline + 1, plain.position() - newline - 1);
                assertTrue(extra.hasRemaining());
                TlsTransport tls = TlsTransport.upgrade(raw[1], TestCerts.server(), null, -1, extra);
                write(tls, "upgraded after " + command);
                return readLine(tls);
            });
            write(raw[0], "STARTTLS\n"); // and at once the ClientHello, without waiting for an answer
            TlsTransport tls = TlsTransport.upgrade(raw[0], TestCerts.client(), "localhost", 25, null);
            assertEquals("upgraded after STARTTLS\n", readLine(tls));
            write(tls, "thanks\n");
            assertEquals("thanks\n", server.await());
            tls.close();
        });
    }

    static int indexOf(ByteBuffer filled, byte b) {
        for (int i = 0; i < filled.position(); i++) {
            if (filled.get(i) == b) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void alpnWithNoProtocolInCommonFailsBothSides() {
        run(() -> {
            MemoryTransport[] raw = MemoryTransport.pair();
            Task<TlsTransport> server =
                    spawn(() -> TlsTransport.server(raw[1], TestCerts.server().withAlpn("h2")));
            javax.net.ssl.SSLHandshakeException e = assertThrows(
                    javax.net.ssl.SSLHandshakeException.class,
                    () -> TlsTransport.client(raw[0], TestCerts.client().withAlpn("smtp"), "localhost", 25));
            assertTrue(e.getMessage().contains("no_application_protocol"), e.getMessage());
            assertThrows(javax.net.ssl.SSLHandshakeException.class, server::await);
            assertNoTasksLeft();
        });
    }

    @Test
    void alpnAgreedIsVisibleOnBothSidesAndAbsentWhenNotAsked() {
        run(() -> {
            MemoryTransport[] raw = MemoryTransport.pair();
            TlsTransport[] ends = handshake(
                    raw[0],
                    raw[1],
                    TestCerts.client().withAlpn("h2", "http/1.1"),
                    TestCerts.server().withAlpn("http/1.1", "h2"));
            assertEquals(Optional.of("http/1.1"), ends[0].applicationProtocol());
            assertEquals(Optional.of("http/1.1"), ends[1].applicationProtocol());
            MemoryTransport[] raw2 = MemoryTransport.pair();
            TlsTransport[] plain = handshake(
                    raw2[0], raw2[1], TestCerts.client(), TestCerts.server().withAlpn("h2"));
            assertEquals(Optional.empty(), plain[0].applicationProtocol());
            assertEquals(Optional.empty(), plain[1].applicationProtocol());
        });
    }

    /** Test-only: a transport whose writes the test may hold back and release a few bytes at a time. */
    static final class Held implements Transport {
        private final Transport inner;
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();
        boolean holding;

        Held(Transport inner) {
            this.inner = inner;
        }

        void release(int n) throws IOException {
            byte[] all = held.toByteArray();
            int k = Math.min(n, all.length);
            inner.write(ByteBuffer.wrap(all, 0, k));
            held.reset();
            held.write(all, k, all.length - k);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return inner.read(dst);
        }

        @Override
        public int tryRead(ByteBuffer dst) throws IOException {
            return inner.tryRead(dst);
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            if (holding) {
                tryWrite(src);
            } else {
                inner.write(src);
            }
        }

        @Override
        public int tryWrite(ByteBuffer src) throws IOException {
            if (!holding) {
                return inner.tryWrite(src);
            }
            int n = src.remaining();
            byte[] b = new byte[n];
            src.get(b);
            held.write(b, 0, n);
            return n;
        }

        @Override
        public void shutdownOutput() throws IOException {
            inner.shutdownOutput();
        }

        @Override
        public SocketAddress localAddress() {
            return inner.localAddress();
        }

        @Override
        public SocketAddress remoteAddress() {
            return inner.remoteAddress();
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
