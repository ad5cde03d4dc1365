package dev.spindle.io;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.io.StreamsFixture.bytes;
import static dev.spindle.io.StreamsFixture.eventually;
import static dev.spindle.io.StreamsFixture.pair;
import static dev.spindle.io.StreamsFixture.passes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.StreamsFixture.Pair;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StreamWriter#sendFile}: whole files and ranges, order with writes around it, partial transfers against a
 * reader that does not keep up, cancellation before and during the file, close and EOF asked for meanwhile. The
 * suite runs on both backends (spindle-netty reruns it), so both zero-copy paths are covered; TLS's copying path is in
 * {@code tls.TlsSendFileTest}.
 */
@Timeout(60)
class SendFileTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static FileChannel open(Path p) {
        try {
            return FileChannel.open(p, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long position(FileChannel ch) {
        try {
            return ch.position();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads until the end of the stream (the peer closed), at most {@code max} bytes. */
    private static byte[] readToEnd(StreamReader r, int max) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() <= max) {
            byte[] b = r.read(256 * 1024);
            if (b.length == 0) {
                return out.toByteArray();
            }
            out.writeBytes(b);
        }
        throw new AssertionError("more than " + max + " bytes");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void aLargeFileArrivesExactlyBetweenTheWritesAroundIt() {
        byte[] content = random(24 << 20, 1);
        Path path = file("big.bin", content);
        run(() -> {
            try (Pair p = pair();
                    FileChannel ch = open(path)) {
                StreamWriter w = p.serverWriter;
                Task<byte[]> reader = spawn(() -> readToEnd(p.client.reader(), 32 << 20));
                w.write(bytes("head\n"));
                assertEquals(content.length, w.sendFile(ch, 0, ch.size()));
                assertEquals(0, position(ch), "the channel's own position is not used");
                w.write(bytes("tail\n"));
                w.close();
                byte[] got = reader.await();
                assertEquals(content.length + 10, got.length);
                assertArrayEquals(concat(bytes("head\n"), content, bytes("tail\n")), got);
            }
        });
    }

    @Test
    void rangesAreSentExactlyAndAShortFileSendsWhatItHas() {
        byte[] content = random(300_000, 2);
        Path path = file("ranges.bin", content);
        run(() -> {
            try (Pair p = pair();
                    FileChannel ch = open(path)) {
                StreamWriter w = p.serverWriter;
                long[][] ranges = {{0, 1}, {1, 99_999}, {123_457, 65_536}, {299_999, 1}, {5, 0}, {0, 300_000}};
                for (long[] r : ranges) {
                    assertEquals(r[1], w.sendFile(ch, r[0], r[1]), "range " + Arrays.toString(r));
                    byte[] want = Arrays.copyOfRange(content, (int) r[0], (int) (r[0] + r[1]));
                    assertArrayEquals(want, p.client.reader().readExactly(want.length), "range " + Arrays.toString(r));
                }
                // past the end: what the file has, then nothing
                assertEquals(1000, w.sendFile(ch, 299_000, 5000));
                assertArrayEquals(
                        Arrays.copyOfRange(content, 299_000, 300_000),
                        p.client.reader().readExactly(1000));
                assertEquals(0, w.sendFile(ch, 300_000, 10));
                assertEquals(0, w.sendFile(ch, 400_000, 10));
                w.write(bytes("end"));
                assertArrayEquals(bytes("end"), p.client.reader().readExactly(3), "nothing stray went out");
                assertThrows(IllegalArgumentException.class, () -> w.sendFile(ch, -1, 10));
                assertThrows(IllegalArgumentException.class, () -> w.sendFile(ch, 0, -1));
                assertThrows(NullPointerException.class, () -> w.sendFile(null, 0, 1));
            }
        });
    }

    @Test
    void againstAReaderThatDoesNotKeepUpTheTransferSuspendsAndWritesMeanwhileFollowTheFile() {
        byte[] content = random(16 << 20, 3);
        Path path = file("slow.bin", content);
        run(() -> {
            try (Pair p = pair();
                    FileChannel ch = open(path)) {
                StreamWriter w = p.serverWriter;
                Task<Long> sender = spawn(() -> w.sendFile(ch, 0, content.length));
                // The peer reads nothing: the kernel's buffers fill and the transfer waits (partial transfers).
                passes(20);
                assertFalse(sender.isDone(), "16 MiB cannot fit the socket buffers of a peer that reads nothing");
                w.write(bytes("after")); // buffered behind the file, not into it
                assertThrows(IllegalStateException.class, () -> w.sendFile(ch, 0, 1), "one sendFile at a time");
                // Now read slowly, in small pieces, letting the sender resume many times.
                StreamReader r = p.client.reader();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                while (got.size() < content.length + 5) {
                    got.writeBytes(r.read(64 * 1024));
                    passes(1);
                }
                assertEquals(content.length, sender.await());
                assertArrayEquals(concat(content, bytes("after")), got.toByteArray());
            }
        });
    }

    @Test
    void cancelledMidwayTheConnectionIsAbortedAndSaysSo() {
        byte[] content = random(16 << 20, 4);
        Path path = file("cancel.bin", content);
        run(() -> {
            try (Pair p = pair();
                    FileChannel ch = open(path)) {
                StreamWriter w = p.serverWriter;
                assertThrows(
                        TimedOut.class,
                        () -> withTimeout(Duration.ofMillis(100), () -> w.sendFile(ch, 0, content.length)));
                ConnectionLost e = assertThrows(ConnectionLost.class, () -> w.write(bytes("more")));
                assertTrue(e.getMessage().contains("sendFile was cancelled"), e.getMessage());
                assertThrows(ConnectionLost.class, w::drain);
                // The peer gets a prefix of the file, then the end (or a reset): never bytes out of order.
                StreamReader r = p.client.reader();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                try {
                    while (true) {
                        byte[] b = r.read(256 * 1024);
                        if (b.length == 0) {
                            break;
                        }
                        got.writeBytes(b);
                    }
                } catch (ConnectionLost reset) {
                    // closed with unread data on either side may reset
                }
                assertTrue(got.size() < content.length, "cut short");
                assertArrayEquals(Arrays.copyOf(content, got.size()), got.toByteArray());
                assertTrue(open(path).isOpen(), "the file itself is untouched");
                assertTrue(ch.isOpen(), "the caller's channel stays open");
            }
        });
    }

    @Test
    void cancelledWhileEarlierBytesWereStillGoingOutNothingOfTheFileWasSentAndTheConnectionGoesOn() {
        byte[] content = random(100_000, 5);
        Path path = file("before.bin", content);
        byte[] earlier = random(16 << 20, 6);
        run(() -> {
            try (Pair p = pair();
                    FileChannel ch = open(path)) {
                StreamWriter w = p.serverWriter;
                w.write(earlier); // far more than the kernel holds: most of it stays buffered
                assertTrue(w.writeBufferSize() > 0);
                assertThrows(
                        TimedOut.class,
                        () -> withTimeout(Duration.ofMillis(50), () -> w.sendFile(ch, 0, content.length)));
                assertFalse(w.isClosing(), "nothing of the file went out: the connection is usable");
                w.write(bytes("next"));
                assertArrayEquals(
                        concat(earlier, bytes("next")),
                        p.client.reader().readExactly(earlier.length + 4),
                        "the earlier bytes, then what followed, and none of the file");
                assertEquals(content.length, w.sendFile(ch, 0, content.length));
                assertArrayEquals(content, p.client.reader().readExactly(content.length));
            }
        });
    }

    @Test
    void aCloseOrEofAskedForDuringTheTransferTakesEffectAfterTheFile() {
        byte[] content = random(8 << 20, 7);
        Path path = file("close.bin", content);
        run(() -> {
            for (boolean eof : new boolean[] {false, true}) {
                try (Pair p = pair();
                        FileChannel ch = open(path)) {
                    StreamWriter w = p.serverWriter;
                    Task<Long> sender = spawn(() -> w.sendFile(ch, 0, content.length));
                    passes(5);
                    assertFalse(sender.isDone());
                    if (eof) {
                        w.writeEof();
                    } else {
                        w.close();
                    }
                    assertArrayEquals(content, readToEnd(p.client.reader(), 16 << 20), "the whole file, then EOF");
                    assertEquals(content.length, sender.await());
                    if (!eof) {
                        w.waitClosed();
                    } else {
                        assertFalse(w.isClosing());
                        assertThrows(IllegalStateException.class, () -> w.write(bytes("x")));
                    }
                }
            }
        });
    }

    @Test
    void anAbortDuringTheTransferFailsItWithConnectionLost() {
        byte[] content = random(16 << 20, 8);
        Path path = file("abort.bin", content);
        run(() -> {
            try (Pair p = pair();
                    FileChannel ch = open(path)) {
                StreamWriter w = p.serverWriter;
                Task<Long> sender = spawn(() -> w.sendFile(ch, 0, content.length));
                passes(5);
                assertFalse(sender.isDone());
                w.abort();
                assertThrows(ConnectionLost.class, sender::await);
                assertTrue(ch.isOpen(), "the caller's channel stays open");
            }
        });
    }

    @Test
    void aPeerThatGoesAwayFailsTheTransferWithConnectionLost() {
        byte[] content = random(16 << 20, 9);
        Path path = file("gone.bin", content);
        run(() -> {
            try (Pair p = pair();
                    FileChannel ch = open(path)) {
                StreamWriter w = p.serverWriter;
                Task<Long> sender = spawn(() -> w.sendFile(ch, 0, content.length));
                passes(5);
                p.client.writer().abort(); // the client closes with unread data: a reset
                ConnectionLost e = assertThrows(ConnectionLost.class, sender::await);
                assertTrue(e.getMessage().contains("lost"), e.getMessage());
                eventually("later writes fail too", () -> {
                    try {
                        w.write(bytes("x"));
                        return false;
                    } catch (ConnectionLost | IllegalStateException expected) {
                        return true;
                    }
                });
            }
        });
    }
}
