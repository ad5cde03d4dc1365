package dev.spindle.io;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.io.StreamsFixture.bytes;
import static dev.spindle.io.StreamsFixture.eventually;
import static dev.spindle.io.StreamsFixture.pair;
import static dev.spindle.io.StreamsFixture.passes;
import static dev.spindle.io.StreamsFixture.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.StreamsFixture.Pair;
import dev.spindle.loop.Loop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link StreamWriter}: writes that never wait, the background flush, drain's backpressure, closing, cancellation. */
@Timeout(60)
class StreamWriterTest {
    private static final int CHUNK = 64 * 1024;

    /** Reads exactly {@code n} bytes and returns their CRC. */
    private static long readAndSum(StreamReader r, long n) {
        CRC32 crc = new CRC32();
        long got = 0;
        while (got < n) {
            byte[] b = r.read(256 * 1024);
            if (b.length == 0) {
                throw new AssertionError("the stream ended after " + got + " of " + n + " bytes");
            }
            crc.update(b);
            got += b.length;
        }
        assertEquals(n, got);
        return crc.getValue();
    }

    private static boolean flushTaskRuns() {
        return Loop.current().allTasks().stream().anyMatch(t -> t.name().startsWith("flush-"));
    }

    @Test
    void bytesWrittenWithoutDrainAreStillSentByTheBackgroundFlush() {
        run(() -> {
            try (Pair p = pair()) {
                byte[] data = new byte[8 << 20];
                new Random(3).nextBytes(data);
                CRC32 crc = new CRC32();
                crc.update(data);
                p.serverWriter.write(data); // far more than the kernel takes at once: the rest is buffered
                assertTrue(p.serverWriter.writeBufferSize() > 0, "something had to be buffered");
                assertTrue(flushTaskRuns(), "a flush task sends the buffer");
                assertEquals(crc.getValue(), readAndSum(p.client.reader(), data.length));
                eventually("the flush task ended", () -> !flushTaskRuns());
                assertEquals(0, p.serverWriter.writeBufferSize());
            }
        });
    }

    @Test
    void drainHoldsMemoryFlatAgainstAPeerThatDoesNotReadThenAllBytesArriveExactly() {
        run(() -> {
            try (Pair p = pair()) {
                StreamWriter w = p.serverWriter;
                int high = StreamWriter.DEFAULT_HIGH_WATER;
                long[] written = {0};
                boolean[] stop = {false};
                int[] maxBuffered = {0};
                CRC32 sent = new CRC32();
                long limit = 1L << 30; // bounded: the writer stalls long before this
                Task<Void> writer = spawn(() -> {
                    Random rnd = new Random(4);
                    byte[] chunk = new byte[CHUNK];
                    while (written[0] < limit) {
                        rnd.nextBytes(chunk);
                        sent.update(chunk);
                        w.write(chunk);
                        written[0] += chunk.length;
                        maxBuffered[0] = Math.max(maxBuffered[0], w.writeBufferSize());
                        w.drain();
                        if (stop[0]) {
                            return;
                        }
                    }
                });
                // Wait until the writer is stuck in drain: its count stops moving while the peer reads nothing.
                long last = -1;
                int still = 0;
                for (int i = 0; i < 400 && still < 20; i++) {
                    passes(5);
                    still = written[0] == last ? still + 1 : 0;
                    last = written[0];
                }
                assertEquals(20, still, "the writer must stall in drain");
                assertFalse(writer.isDone());
                assertTrue(w.writeBufferSize() > high, "suspended in drain with the buffer above the high mark");
                assertTrue(
                        maxBuffered[0] <= high + CHUNK,
                        "buffered bytes bounded by the high water mark plus one write: " + maxBuffered[0]);
                assertTrue(written[0] < limit);

                // The reader catches up: everything written arrives, in order, exactly once.
                stop[0] = true;
                CRC32 received = new CRC32();
                long n = 0;
                while (!writer.isDone() || n < written[0]) {
                    byte[] b = p.client.reader().read(256 * 1024);
                    assertTrue(b.length > 0, "the stream ended early");
                    received.update(b);
                    n += b.length;
                }
                writer.await();
                assertEquals(written[0], n);
                assertEquals(sent.getValue(), received.getValue());
                assertTrue(maxBuffered[0] <= high + CHUNK, "still bounded: " + maxBuffered[0]);
            }
        });
    }

    @Test
    void everyByteWrittenUnderBackpressureArrivesInOrder() {
        run(() -> {
            try (Pair p = pair()) {
                StreamWriter w = p.serverWriter;
                w.setWriteBufferLimits(32 * 1024, 8 * 1024);
                long total = 48L << 20;
                CRC32 sent = new CRC32();
                Task<Void> writer = spawn(() -> {
                    Random rnd = new Random(5);
                    byte[] chunk = new byte[10_000];
                    long n = 0;
                    while (n < total) {
                        int len = (int) Math.min(chunk.length, total - n);
                        rnd.nextBytes(chunk);
                        sent.update(chunk, 0, len);
                        w.write(chunk, 0, len);
                        w.drain();
                        n += len;
                    }
                });
                long got = readAndSum(p.client.reader(), total);
                writer.await();
                assertEquals(sent.getValue(), got);
            }
        });
    }

    @Test
    void writeEofEndsTheOutboundHalfAfterTheBufferedBytesAndReadingGoesOn() {
        run(() -> {
            try (Pair p = pair()) {
                byte[] data = new byte[4 << 20];
                new Random(6).nextBytes(data);
                p.serverWriter.write(data);
                p.serverWriter.writeEof();
                assertThrows(IllegalStateException.class, () -> p.serverWriter.write(bytes("late")));
                assertArrayEquals(data, p.client.reader().readExactly(data.length));
                assertEquals(0, p.client.reader().read(10).length, "EOF after the data");
                p.client.writer().write(bytes("still open\n"));
                assertEquals("still open\n", text(p.serverReader.readLine()));
            }
        });
    }

    @Test
    void closeSendsWhatIsBufferedThenClosesAndWaitClosedWaitsForIt() {
        run(() -> {
            try (Pair p = pair()) {
                byte[] data = new byte[4 << 20];
                new Random(7).nextBytes(data);
                p.serverWriter.write(data);
                p.serverWriter.close();
                assertTrue(p.serverWriter.isClosing());
                assertThrows(IllegalStateException.class, () -> p.serverWriter.write(bytes("late")));
                Task<Void> waiter = spawn(p.serverWriter::waitClosed);
                passes(3);
                assertFalse(waiter.isDone(), "the buffer is not sent yet: the peer has not read");
                assertArrayEquals(data, p.client.reader().readExactly(data.length));
                waiter.await();
                assertEquals(0, p.client.reader().read(10).length);
            }
        });
    }

    @Test
    void abortDropsTheBufferAndADrainWaitingForItFails() {
        run(() -> {
            try (Pair p = pair()) {
                StreamWriter w = p.serverWriter;
                byte[] data = new byte[8 << 20];
                w.write(data);
                assertTrue(w.writeBufferSize() > 0, "most of 8 MiB waits in the buffer");
                Task<Void> drainer = spawn(w::drain);
                passes(3);
                assertFalse(drainer.isDone());
                w.abort();
                ConnectionLost e = assertThrows(ConnectionLost.class, drainer::await);
                assertTrue(e.getMessage().contains("aborted"), e.getMessage());
                assertEquals(0, w.writeBufferSize());
                w.waitClosed(); // returns: closed
                assertThrows(IllegalStateException.class, () -> w.write(bytes("x")));
            }
        });
    }

    @Test
    void writeLinesAndByteBuffersArriveInOrder() {
        run(() -> {
            try (Pair p = pair()) {
                StreamWriter w = p.serverWriter;
                w.writeLines(List.of(bytes("a\n"), bytes("bb\n"), bytes("ccc\n")));
                w.write(ByteBuffer.wrap(bytes("heap\n")));
                ByteBuffer direct = ByteBuffer.allocateDirect(16);
                direct.put(bytes("direct\n")).flip();
                w.write(direct);
                assertFalse(direct.hasRemaining());
                w.write(bytes("xxpartxx"), 2, 4);
                w.write(bytes("\n"));
                StreamReader r = p.client.reader();
                for (String expected : List.of("a\n", "bb\n", "ccc\n", "heap\n", "direct\n", "part\n")) {
                    assertEquals(expected, text(r.readLine()));
                }
            }
        });
    }

    // ---- cancellation: data stays buffered -----------------------------------------------------------------

    private static void fillUntilDrainWouldWait(StreamWriter w) {
        byte[] chunk = new byte[CHUNK];
        for (int i = 0; i < 4096 && w.writeBufferSize() <= StreamWriter.DEFAULT_HIGH_WATER; i++) {
            w.write(chunk);
            passes(1);
        }
        assertTrue(w.writeBufferSize() > StreamWriter.DEFAULT_HIGH_WATER);
    }

    @Test
    void aDrainCancelledWhileParkedLeavesTheDataBufferedAndFlowing() {
        run(() -> {
            try (Pair p = pair()) {
                StreamWriter w = p.serverWriter;
                fillUntilDrainWouldWait(w);
                Task<Void> drainer = spawn(w::drain);
                passes(3);
                assertFalse(drainer.isDone());
                int buffered = w.writeBufferSize();
                drainer.cancel();
                assertThrows(Cancelled.class, drainer::await);
                assertEquals(buffered, w.writeBufferSize(), "the cancel dropped nothing");
                // the peer reads: everything still arrives (the flush kept going)
                eventually("the buffer drains once the peer reads", () -> {
                    p.client.reader().read(1 << 20);
                    return w.writeBufferSize() == 0;
                });
            }
        });
    }

    @Test
    void aDrainCancelledAfterItWasWokenButBeforeItRanStillLosesNothing() {
        run(() -> {
            try (Pair p = pair()) {
                StreamWriter w = p.serverWriter;
                fillUntilDrainWouldWait(w);
                int buffered = w.writeBufferSize();
                Task<Void> drainer = spawn(w::drain);
                passes(3);
                assertFalse(drainer.isDone());
                w.setWriteBufferLimits(Integer.MAX_VALUE, Integer.MAX_VALUE); // wakes the drainer now...
                drainer.cancel(); // ...and cancels it in the same pass, before it runs
                assertThrows(Cancelled.class, drainer::await);
                assertTrue(w.writeBufferSize() >= buffered - (1 << 20) && w.writeBufferSize() > 0);
                w.drain(); // returns at once now: below the (new) high mark
                StreamsFixture.eventually("the buffer drains", () -> {
                    p.client.reader().read(1 << 20);
                    return w.writeBufferSize() == 0;
                });
            }
        });
    }

    @Test
    void aDrainBoundedByATimeoutTimesOutWithTheDataStillBufferedThenItAllArrives() {
        run(() -> {
            try (Pair p = pair()) {
                StreamWriter w = p.serverWriter;
                Random rnd = new Random(8);
                CRC32 sent = new CRC32();
                long total = 0;
                byte[] chunk = new byte[CHUNK];
                while (w.writeBufferSize() <= StreamWriter.DEFAULT_HIGH_WATER && total < (256L << 20)) {
                    rnd.nextBytes(chunk);
                    sent.update(chunk);
                    w.write(chunk);
                    total += chunk.length;
                    passes(1);
                }
                int buffered = w.writeBufferSize();
                assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(20), w::drain));
                assertEquals(buffered, w.writeBufferSize());
                assertEquals(sent.getValue(), readAndSum(p.client.reader(), total));
            }
        });
    }

    @Test
    void waitClosedCancelledOrTimedOutLeavesTheCloseGoingOn() {
        run(() -> {
            try (Pair p = pair()) {
                StreamWriter w = p.serverWriter;
                byte[] data = new byte[8 << 20];
                new Random(12).nextBytes(data);
                w.write(data);
                w.close(); // graceful: waits for the peer to read
                Task<Void> waiter = spawn(w::waitClosed);
                passes(3);
                waiter.cancel();
                assertThrows(Cancelled.class, waiter::await);
                assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(10), w::waitClosed));
                assertArrayEquals(data, p.client.reader().readExactly(data.length), "the close still sent it all");
                w.waitClosed();
                assertEquals(0, p.client.reader().read(1).length);
            }
        });
    }
}
