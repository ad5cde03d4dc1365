package dev.spindle.io;

import static dev.spindle.Spindle.await;
import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Streams#memoryPair}: bytes both ways, the bound, the ends, cancellation, the reader's helpers. */
@Timeout(30)
class MemoryPairTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** Lets the loop run every coroutine that is ready, a few passes over. */
    private static void settle() {
        for (int i = 0; i < 10; i++) {
            sleep(Duration.ZERO);
        }
    }

    @Test
    void bytesFlowBothWaysAndTheAddressesNameThePair() {
        run(() -> {
            try (ConnectionPair p = Streams.memoryPair()) {
                p.first().writer().write(bytes("ping"));
                assertEquals("ping", text(p.second().reader().read(100)));
                p.second().writer().write(bytes("pong"));
                assertEquals("pong", text(p.first().reader().read(100)));

                assertEquals(
                        p.first().writer().localAddress(), p.second().writer().remoteAddress());
                assertEquals(
                        p.first().writer().remoteAddress(), p.second().writer().localAddress());
                assertNotEquals(
                        p.first().writer().localAddress(), p.first().writer().remoteAddress());
                assertTrue(p.first().toString().contains("memory:"), p.first().toString());
            }
        });
    }

    @Test
    void aLargeTransferIsBoundedByTheLimitAndArrivesWhole() {
        int limit = 1024;
        byte[] data = random(300_000);
        run(() -> {
            try (ConnectionPair p = Streams.memoryPair(limit)) {
                StreamWriter w = p.first().writer();
                Task<Void> writer = spawn(() -> {
                    w.write(data);
                    w.drain();
                    w.writeEof();
                });
                settle();
                // the peer holds at most `limit` unread bytes; the rest waits in the writer, which cannot drain
                assertFalse(writer.isDone(), "the drain waits for the reader");
                assertEquals(data.length - limit, w.writeBufferSize());

                byte[] got = p.second().reader().readAll();
                await(writer);
                assertArrayEquals(data, got);
            }
        });
    }

    @Test
    void writeEofMakesThePeerReadTheEndAfterWhatWasSentAndItCanStillAnswer() {
        run(() -> {
            try (ConnectionPair p = Streams.memoryPair()) {
                p.first().writer().write(bytes("last words"));
                p.first().writer().writeEof();
                assertEquals("last words", text(p.second().reader().readAll()));
                assertTrue(p.second().reader().atEof());

                p.second().writer().write(bytes("reply"));
                p.second().writer().writeEof();
                assertEquals("reply", text(p.first().reader().readAll()), "the other direction stays open");
            }
        });
    }

    @Test
    void closeMakesThePeerReadTheEndAndItsWritesFailWithConnectionLost() {
        run(() -> {
            ConnectionPair p = Streams.memoryPair();
            p.first().writer().write(bytes("bye"));
            p.first().close();
            p.first().writer().waitClosed();
            assertEquals("bye", text(p.second().reader().readAll()));

            ConnectionLost e = assertThrows(ConnectionLost.class, () -> {
                p.second().writer().write(bytes("anyone?"));
                p.second().writer().drain();
            });
            assertTrue(e.getMessage().contains("Broken pipe"), e.getMessage());
            assertTrue(
                    e.getMessage().contains(String.valueOf(p.second().writer().remoteAddress())), e.getMessage());
            p.second().close();
        });
    }

    @Test
    void aCloseWakesAPeerWaitingToRead() {
        run(() -> {
            ConnectionPair p = Streams.memoryPair();
            Task<byte[]> reader = spawn(() -> p.second().reader().read(10));
            settle();
            assertFalse(reader.isDone());
            p.first().close();
            assertEquals(0, await(reader).length, "the end of the stream");
            p.second().close();
        });
    }

    @Test
    void aCancelledReadTakesNothingAndTheStreamStaysUsable() {
        run(() -> {
            try (ConnectionPair p = Streams.memoryPair()) {
                StreamReader r = p.second().reader();
                p.first().writer().write(bytes("12345"));
                Task<byte[]> waiting = spawn(() -> r.readExactly(10));
                settle();
                assertFalse(waiting.isDone(), "only 5 of 10 bytes came");
                waiting.cancel();
                assertThrows(Cancelled.class, () -> await(waiting));

                p.first().writer().write(bytes("67890abc"));
                assertEquals("1234567890", text(r.readExactly(10)), "the 5 bytes the cancelled read saw are kept");
                assertEquals("abc", text(r.read(10)));
            }
        });
    }

    @Test
    void aCancelledReadOnTheTransportLeavesTheBytesForTheNextRead() throws Exception {
        run(() -> {
            try (ConnectionPair p = Streams.memoryPair()) {
                var t = p.second().writer().transport();
                Task<Integer> waiting = spawn(() -> t.read(ByteBuffer.allocate(8)));
                settle();
                waiting.cancel();
                assertThrows(Cancelled.class, () -> await(waiting));
                p.first().writer().write(bytes("kept"));
                ByteBuffer dst = ByteBuffer.allocate(8);
                assertEquals(4, t.read(dst));
                assertEquals("kept", new String(dst.array(), 0, 4, StandardCharsets.UTF_8));
            }
        });
    }

    @Test
    void aCancelledWriteMidwayLosesNoByte() {
        int limit = 1000;
        byte[] data = random(50_000);
        run(() -> {
            try (ConnectionPair p = Streams.memoryPair(limit)) {
                var t = p.first().writer().transport();
                ByteBuffer src = ByteBuffer.wrap(data);
                Task<Void> writing = spawn(() -> {
                    t.write(src);
                    return null;
                });
                settle();
                assertFalse(writing.isDone(), "the peer's buffer is full");
                writing.cancel();
                assertThrows(Cancelled.class, () -> await(writing));
                int handedOver = src.position();
                assertEquals(limit, handedOver, "exactly what fitted was handed over");

                ByteArrayOutputStream got = new ByteArrayOutputStream();
                Task<Void> rest = spawn(() -> {
                    t.write(src); // the same buffer, from where the cancelled write stopped
                    t.shutdownOutput();
                    return null;
                });
                got.writeBytes(p.second().reader().readAll());
                await(rest);
                assertArrayEquals(data, got.toByteArray());
            }
        });
    }

    @Test
    void aCancelledDrainLeavesTheBytesBufferedAndTheyAllArrive() {
        byte[] data = random(200_000);
        run(() -> {
            try (ConnectionPair p = Streams.memoryPair(4096)) {
                StreamWriter w = p.first().writer();
                w.write(data);
                Task<Void> draining = spawn(w::drain);
                settle();
                draining.cancel();
                assertThrows(Cancelled.class, () -> await(draining));
                w.writeEof();
                assertArrayEquals(data, p.second().reader().readAll());
            }
        });
    }

    @Test
    void readUntilReadLineAndReadExactlyWorkAcrossManySmallArrivals() {
        run(() -> {
            try (ConnectionPair p = Streams.memoryPair(64)) {
                StreamWriter w = p.first().writer();
                spawn(() -> {
                    for (byte b : bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\nline one\nBODY!")) {
                        w.write(new byte[] {b});
                        sleep(Duration.ZERO);
                    }
                    w.writeEof();
                });
                StreamReader r = p.second().reader();
                assertEquals(64, r.limit());
                assertEquals("GET / HTTP/1.1\r\nHost: x\r\n\r\n", text(r.readUntil(bytes("\r\n\r\n"))));
                assertEquals("line one\n", text(r.readLine()));
                assertEquals("BODY!", text(r.readExactly(5)));
                assertThrows(IncompleteRead.class, () -> r.readExactly(1));
            }
        });
    }

    @Test
    void sendFileCopiesTheFileToThePeer(@TempDir Path dir) throws Exception {
        byte[] data = random(150_000);
        Path f = Files.write(dir.resolve("f.bin"), data);
        run(() -> {
            try (ConnectionPair p = Streams.memoryPair(8192);
                    FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                Task<Long> sending = spawn(() -> p.first().writer().sendFile(ch, 1000, 100_000));
                byte[] got = p.second().reader().readExactly(100_000);
                assertEquals(100_000L, await(sending));
                assertArrayEquals(java.util.Arrays.copyOfRange(data, 1000, 101_000), got);
            }
        });
    }

    @Test
    void outsideACoroutineItIsRefusedAndTheLimitMustBePositive() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Streams::memoryPair);
        assertTrue(e.getMessage().contains("Streams.memoryPair must be called from a coroutine"), e.getMessage());
        run(() -> {
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Streams.memoryPair(0));
            assertTrue(bad.getMessage().contains("limit"), bad.getMessage());
        });
    }
}
