package dev.spindle.io;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.io.StreamsFixture.bytes;
import static dev.spindle.io.StreamsFixture.pair;
import static dev.spindle.io.StreamsFixture.passes;
import static dev.spindle.io.StreamsFixture.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.gen.AsyncIterator;
import dev.spindle.io.StreamsFixture.Pair;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link StreamReader} over real TCP connections: every read, the end of the stream, the limit, cancellation. */
@Timeout(30)
class StreamReaderTest {
    @Test
    void readReturnsWhatHasArrivedUpToNAndAnEmptyArrayAtTheEnd() {
        run(() -> {
            try (Pair p = pair()) {
                p.client.writer().write(bytes("hello world"));
                assertEquals("hello", text(p.serverReader.read(5)));
                assertEquals(" world", text(p.serverReader.read(100)));
                assertEquals(0, p.serverReader.read(0).length);
                p.client.writer().writeEof();
                assertEquals(0, p.serverReader.read(100).length);
                assertEquals(0, p.serverReader.read(100).length, "the end stays the end");
            }
        });
    }

    @Test
    void tryReadTakesWhatHasArrivedWithoutWaitingAndTellsTheEnd() {
        run(() -> {
            try (Pair p = pair()) {
                ByteBuffer room = ByteBuffer.allocate(64);
                assertEquals(0, p.serverReader.tryRead(room), "nothing has arrived: 0, at once");
                p.client.writer().write(bytes("pipelined"));
                p.client.writer().drain();
                int n = 0;
                for (int i = 0; i < 1000 && n == 0; i++) {
                    sleep(Duration.ofMillis(1)); // the bytes cross the loopback: wait on purpose, then take them
                    n = p.serverReader.tryRead(room);
                }
                assertEquals("pipelined", new String(room.array(), 0, n, java.nio.charset.StandardCharsets.UTF_8));
                p.serverReader.unread(bytes("again"));
                room.clear();
                assertEquals(5, p.serverReader.tryRead(room), "buffered bytes come first");
                assertEquals(0, p.serverReader.tryRead(ByteBuffer.allocate(0)), "no room: 0");
                p.client.writer().writeEof();
                int end = 0;
                for (int i = 0; i < 1000 && end == 0; i++) {
                    sleep(Duration.ofMillis(1));
                    end = p.serverReader.tryRead(room);
                }
                assertEquals(-1, end, "the end of the stream");
                assertEquals(-1, p.serverReader.tryRead(room), "the end stays the end");
            }
        });
    }

    @Test
    void tryReadIsRefusedWhileAnotherCoroutineWaitsInARead() {
        run(() -> {
            try (Pair p = pair()) {
                Task<byte[]> reader = spawn(() -> p.serverReader.read(10));
                sleep(Duration.ofMillis(20));
                assertThrows(IllegalStateException.class, () -> p.serverReader.tryRead(ByteBuffer.allocate(8)));
                p.client.writer().write(bytes("x"));
                assertEquals("x", text(reader.await()));
            }
        });
    }

    @Test
    void readAllGathersEverythingUntilTheEndAcrossManyArrivals() {
        byte[] got = run(() -> {
            try (Pair p = pair()) {
                spawn(() -> {
                    for (int i = 0; i < 200; i++) {
                        p.client.writer().write(new byte[5000]);
                        p.client.writer().drain();
                        sleep(Duration.ZERO);
                    }
                    p.client.writer().writeEof();
                });
                byte[] all = p.serverReader.readAll();
                assertEquals(0, p.serverReader.readAll().length, "after the end, nothing more");
                return all;
            }
        });
        assertEquals(1_000_000, got.length);
    }

    @Test
    void aCancelledReadAllLeavesWhatArrivedBuffered() {
        run(() -> {
            try (Pair p = pair()) {
                p.client.writer().write(bytes("partial"));
                assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(50), p.serverReader::readAll));
                p.client.writer().write(bytes(" and the rest"));
                p.client.writer().writeEof();
                assertEquals("partial and the rest", text(p.serverReader.readAll()));
            }
        });
    }

    @Test
    void readIntoAByteBufferTakesTheBufferFirstThenTheConnectionAndMinusOneAtTheEnd() {
        run(() -> {
            try (Pair p = pair()) {
                p.client.writer().write(bytes("abcdef"));
                assertEquals("ab", text(p.serverReader.read(2)));
                ByteBuffer dst = ByteBuffer.allocate(3);
                assertEquals(3, p.serverReader.read(dst));
                assertEquals("cde", new String(dst.array(), 0, 3));
                ByteBuffer direct = ByteBuffer.allocateDirect(16);
                assertEquals(1, p.serverReader.read(direct));
                assertEquals('f', direct.get(0));
                assertEquals(0, p.serverReader.read(ByteBuffer.allocate(0)));
                p.client.writer().write(bytes("xyz"));
                ByteBuffer more = ByteBuffer.allocate(16);
                assertEquals(3, p.serverReader.read(more));
                p.client.writer().writeEof();
                assertEquals(-1, p.serverReader.read(ByteBuffer.allocate(4)));
            }
        });
    }

    @Test
    void readExactlyWaitsForAllTheBytesAcrossSeveralArrivals() {
        run(() -> {
            try (Pair p = pair()) {
                Task<byte[]> reader = spawn(() -> p.serverReader.readExactly(10));
                for (String piece : List.of("01", "234", "56789", "tail")) {
                    p.client.writer().write(bytes(piece));
                    passes(3);
                }
                assertEquals("0123456789", text(reader.await()));
                assertEquals("tail", text(p.serverReader.readExactly(4)));
                assertEquals(0, p.serverReader.readExactly(0).length);
            }
        });
    }

    @Test
    void readExactlyGivesThePartialBytesWhenThePeerClosesEarly() {
        run(() -> {
            try (Pair p = pair()) {
                p.client.writer().write(bytes("only7by"));
                p.client.writer().writeEof();
                IncompleteRead e = assertThrows(IncompleteRead.class, () -> p.serverReader.readExactly(10));
                assertEquals("only7by", text(e.partial()));
                assertEquals(10, e.expected());
                assertTrue(e.getCause() instanceof java.io.EOFException);
                assertTrue(p.serverReader.atEof(), "the partial bytes left the buffer");
            }
        });
    }

    @Test
    void aLargeReadExactlyReadsStraightIntoTheResultAndStillReportsPartialData() {
        run(() -> {
            try (Pair p = pair()) {
                byte[] data = new byte[300_000];
                new Random(1).nextBytes(data);
                Task<byte[]> reader = spawn(() -> p.serverReader.readExactly(data.length));
                p.client.writer().write(data);
                p.client.writer().drain();
                assertArrayEquals(data, reader.await());

                p.client.writer().write(Arrays.copyOf(data, 100_000));
                p.client.writer().writeEof();
                IncompleteRead e = assertThrows(IncompleteRead.class, () -> p.serverReader.readExactly(200_000));
                assertArrayEquals(Arrays.copyOf(data, 100_000), e.partial());
                assertEquals(200_000, e.expected());
            }
        });
    }

    @Test
    void readLineReturnsLinesWithTheirNewlineThenTheRestThenNothing() {
        run(() -> {
            try (Pair p = pair()) {
                p.client.writer().write(bytes("one\ntwo\r\nthree"));
                p.client.writer().writeEof();
                assertEquals("one\n", text(p.serverReader.readLine()));
                assertEquals("two\r\n", text(p.serverReader.readLine()));
                assertEquals("three", text(p.serverReader.readLine()));
                assertEquals(0, p.serverReader.readLine().length);
            }
        });
    }

    @Test
    void readUntilFindsAMultiByteSeparatorSplitAcrossArrivals() {
        run(() -> {
            try (Pair p = pair()) {
                Task<byte[]> head = spawn(() -> p.serverReader.readUntil(bytes("\r\n\r\n")));
                for (String piece : List.of("GET / HTTP/1.1\r", "\nHost: x\r\n\r", "\nbody")) {
                    p.client.writer().write(bytes(piece));
                    passes(3);
                }
                assertEquals("GET / HTTP/1.1\r\nHost: x\r\n\r\n", text(head.await()));
                assertEquals("body", text(p.serverReader.read(100)));
                assertThrows(IllegalArgumentException.class, () -> p.serverReader.readUntil(new byte[0]));
            }
        });
    }

    @Test
    void readUntilAtTheEndWithoutTheSeparatorIsAnIncompleteReadWithWhatWasLeft() {
        run(() -> {
            try (Pair p = pair()) {
                p.client.writer().write(bytes("no separator"));
                p.client.writer().writeEof();
                IncompleteRead e = assertThrows(IncompleteRead.class, () -> p.serverReader.readUntil(bytes("||")));
                assertEquals("no separator", text(e.partial()));
                assertEquals(-1, e.expected());
            }
        });
    }

    @Test
    void aSeparatorBeyondTheLimitIsALimitOverrunAndTheDataStaysBuffered() {
        run(() -> {
            ServerOptions small = ServerOptions.builder().limit(8).build();
            try (Pair p = pair(small, ConnectOptions.defaults())) {
                assertEquals(8, p.serverReader.limit());
                p.client.writer().write(bytes("0123456789\nshort\n"));
                LimitOverrun e = assertThrows(LimitOverrun.class, () -> p.serverReader.readLine());
                assertEquals(11, e.consumed(), "up to and including the separator");
                // nothing was consumed: the caller may skip exactly that much
                assertEquals("0123456789\n", text(p.serverReader.readExactly(e.consumed())));
                assertEquals("short\n", text(p.serverReader.readLine()));
            }
        });
    }

    @Test
    void aLineLongerThanTheLimitWithNoSeparatorIsALimitOverrunAndMemoryStaysBounded() {
        run(() -> {
            ServerOptions small = ServerOptions.builder().limit(1024).build();
            try (Pair p = pair(small, ConnectOptions.defaults())) {
                byte[] junk = new byte[1 << 20];
                Arrays.fill(junk, (byte) 'x');
                p.client.writer().write(junk); // a 1 MiB "line": the peer may send far more than the limit
                LimitOverrun e = assertThrows(LimitOverrun.class, () -> p.serverReader.readUntil(bytes("\n")));
                assertTrue(e.consumed() > 1024, "scanned past the limit: " + e.consumed());
                assertTrue(e.consumed() <= 1024 + 256 * 1024, "but not much further: " + e.consumed());
                // the data stays: reading it back gives the peer's bytes, in order
                byte[] back = p.serverReader.readExactly(e.consumed());
                for (byte b : back) {
                    assertEquals('x', b);
                }
                // the rest of the junk can be drained and the stream carries on
                p.client.writer().write(bytes("\nok\n"));
                int skipped = back.length;
                boolean lineEnded = false;
                while (!lineEnded) {
                    try {
                        skipped += p.serverReader.readLine().length;
                        lineEnded = true;
                    } catch (LimitOverrun again) {
                        byte[] chunk = p.serverReader.readExactly(again.consumed());
                        skipped += chunk.length;
                        lineEnded = chunk[chunk.length - 1] == '\n'; // found beyond the limit: consumed() includes it
                    }
                }
                assertEquals(junk.length + 1, skipped);
                assertEquals("ok\n", text(p.serverReader.readLine()));
            }
        });
    }

    @Test
    void linesIteratesDecodedLinesWithoutTheirEndingsUntilTheEndOfTheStream() {
        List<String> got = run(() -> {
            try (Pair p = pair()) {
                p.client.writer().write(bytes("α\r\nβ\n\nlast"));
                p.client.writer().writeEof();
                List<String> lines = new ArrayList<>();
                for (String line : p.serverReader.lines()) {
                    lines.add(line);
                }
                return lines;
            }
        });
        assertEquals(List.of("α", "β", "", "last"), got);
    }

    @Test
    void closingTheLinesIteratorPutsALineFetchedAheadBack() {
        run(() -> {
            try (Pair p = pair()) {
                p.client.writer().write(bytes("first\nsecond\n"));
                try (AsyncIterator<String> it = p.serverReader.lines()) {
                    assertEquals("first", it.next());
                    assertTrue(it.hasNext()); // fetches "second\n" ahead
                }
                assertEquals("second\n", text(p.serverReader.readLine()));
            }
        });
    }

    @Test
    void atEofIsTrueOnlyOnceTheBufferIsEmptyAndThePeerHasClosed() {
        run(() -> {
            try (Pair p = pair()) {
                assertFalse(p.serverReader.atEof(), "open, nothing sent");
                p.client.writer().write(bytes("x"));
                p.client.writer().writeEof();
                StreamsFixture.eventually("the byte arrived", () -> !p.serverReader.atEof());
                assertEquals("x", text(p.serverReader.read(1)));
                StreamsFixture.eventually("the end arrived", p.serverReader::atEof);
                assertEquals(0, p.serverReader.read(10).length);
            }
        });
    }

    @Test
    void aSecondConcurrentReaderIsRefused() {
        run(() -> {
            try (Pair p = pair()) {
                Task<byte[]> first = spawn(() -> p.serverReader.read(10));
                passes(2);
                assertThrows(IllegalStateException.class, () -> p.serverReader.read(10));
                assertThrows(IllegalStateException.class, () -> p.serverReader.readLine());
                p.client.writer().write(bytes("ok"));
                assertEquals("ok", text(first.await()));
            }
        });
    }

    // ---- cancellation: nothing received is lost ------------------------------------------------------------

    @Test
    void aReadExactlyCancelledWhileParkedKeepsThePartialBytesBuffered() {
        run(() -> {
            try (Pair p = pair()) {
                Task<byte[]> reader = spawn(() -> p.serverReader.readExactly(10));
                p.client.writer().write(bytes("0123"));
                passes(5);
                reader.cancel();
                assertThrows(Cancelled.class, reader::await);
                p.client.writer().write(bytes("456789"));
                assertEquals("0123456789", text(p.serverReader.readExactly(10)));
            }
        });
    }

    @Test
    void aLargeReadExactlyCancelledMidwayPutsItsBytesBack() {
        run(() -> {
            try (Pair p = pair()) {
                byte[] data = new byte[200_000];
                new Random(2).nextBytes(data);
                Task<byte[]> reader = spawn(() -> p.serverReader.readExactly(data.length));
                p.client.writer().write(Arrays.copyOf(data, 120_000));
                StreamsFixture.eventually("bytes in flight arrived", () -> {
                    passes(3);
                    return true;
                });
                sleep(Duration.ofMillis(20));
                reader.cancel();
                assertThrows(Cancelled.class, reader::await);
                p.client.writer().write(Arrays.copyOfRange(data, 120_000, data.length));
                assertArrayEquals(data, p.serverReader.readExactly(data.length));
            }
        });
    }

    @Test
    void aReadCancelledAfterItsDataArrivedButBeforeItRanConsumesNothing() {
        run(() -> {
            try (Pair p = pair()) {
                Task<byte[]> reader = spawn(() -> p.serverReader.read(100));
                passes(2); // the reader parks, waiting for readability
                p.client.writer().write(bytes("payload"));
                // The next pass polls the selector, which wakes the reader behind this coroutine in the ready queue;
                // this coroutine runs first and cancels it before it could read.
                sleep(Duration.ZERO);
                reader.cancel();
                assertThrows(Cancelled.class, reader::await);
                assertEquals("payload", text(p.serverReader.read(100)));
            }
        });
    }

    @Test
    void aReadLineBoundedByATimeoutTimesOutAndTheLineStillArrivesWhole() {
        run(() -> {
            try (Pair p = pair()) {
                p.client.writer().write(bytes("half"));
                assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(20), () -> p.serverReader.readLine()));
                p.client.writer().write(bytes(" line\n"));
                assertEquals("half line\n", text(p.serverReader.readLine()));
                assertThrows(
                        TimedOut.class, () -> withTimeout(Duration.ofMillis(10), () -> p.serverReader.readExactly(4)));
                assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(10), () -> p.serverReader.read(4)));
                p.client.writer().write(bytes("abcd"));
                assertEquals("abcd", text(p.serverReader.readExactly(4)));
            }
        });
    }
}
