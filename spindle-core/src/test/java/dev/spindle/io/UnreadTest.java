package dev.spindle.io;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.io.StreamsFixture.bytes;
import static dev.spindle.io.StreamsFixture.pair;
import static dev.spindle.io.StreamsFixture.passes;
import static dev.spindle.io.StreamsFixture.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.StreamsFixture.Pair;
import dev.spindle.task.Task;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link StreamReader#unread}: bytes put back come first, before what is buffered and what arrives, for every read. */
@Timeout(60)
class UnreadTest {
    @Test
    void bytesPutBackAreReadFirstThenTheBufferedOnesThenNewArrivals() {
        run(() -> {
            try (Pair p = pair()) {
                StreamReader r = p.serverReader;
                p.client.writer().write(bytes("HEAD\r\nline one\nline two\n"));
                byte[] head = r.readUntil(bytes("\r\n"));
                assertEquals("HEAD\r\n", text(head));
                // A layer looked ahead and hands back what it took: before the buffered "line one..."
                r.unread(bytes("peeked\n"));
                r.unread(bytes("xxfirst "), 2, 6);
                assertEquals("first peeked\n", text(r.readLine()));
                assertEquals("line one\n", text(r.readLine()));
                assertEquals("line two\n", text(r.readLine()));
                r.unread(new byte[0]);
                p.client.writer().write(bytes("later"));
                r.unread(bytes("now "));
                assertArrayEquals(bytes("now later"), r.readExactly(9));
            }
        });
    }

    @Test
    void aLargePrefixGoesBeforeBufferedBytesAndEveryKindOfReadSeesIt() {
        byte[] prefix = new byte[300_000];
        new Random(1).nextBytes(prefix);
        run(() -> {
            try (Pair p = pair()) {
                StreamReader r = p.serverReader;
                p.client.writer().write(bytes("ab"));
                assertArrayEquals(bytes("a"), r.readExactly(1)); // "b" stays buffered
                r.unread(prefix); // larger than the room in front of "b": a new array
                assertArrayEquals(java.util.Arrays.copyOf(prefix, 100_000), r.readExactly(100_000));
                java.nio.ByteBuffer dst = java.nio.ByteBuffer.allocate(1000);
                assertEquals(1000, r.read(dst));
                assertArrayEquals(java.util.Arrays.copyOfRange(prefix, 100_000, 101_000), dst.array());
                ByteArrayOutputStream rest = new ByteArrayOutputStream();
                while (rest.size() < prefix.length - 101_000 + 1) {
                    rest.writeBytes(r.read(64 * 1024));
                }
                byte[] want = new byte[prefix.length - 101_000 + 1];
                System.arraycopy(prefix, 101_000, want, 0, prefix.length - 101_000);
                want[want.length - 1] = 'b';
                assertArrayEquals(want, rest.toByteArray());
            }
        });
    }

    @Test
    void bytesPutBackBeforeTheEndAreReadThenTheEnd() {
        run(() -> {
            try (Pair p = pair()) {
                StreamReader r = p.serverReader;
                p.client.writer().write(bytes("tail"));
                p.client.writer().writeEof();
                assertArrayEquals(bytes("tail"), r.readExactly(4));
                assertEquals(0, r.read(10).length);
                assertTrue(r.atEof());
                r.unread(bytes("again"));
                assertFalse(r.atEof());
                assertArrayEquals(bytes("again"), r.read(100));
                assertTrue(r.atEof());
                IncompleteRead e = assertThrows(IncompleteRead.class, () -> {
                    r.unread(bytes("xy"));
                    r.readExactly(3);
                });
                assertArrayEquals(bytes("xy"), e.partial());
            }
        });
    }

    @Test
    void unreadWhileAnotherCoroutineWaitsInAReadIsRefused() {
        run(() -> {
            try (Pair p = pair()) {
                StreamReader r = p.serverReader;
                Task<byte[]> waiting = spawn(() -> r.read(10));
                passes(3);
                assertThrows(IllegalStateException.class, () -> r.unread(bytes("x")));
                p.client.writer().write(bytes("ok"));
                assertArrayEquals(bytes("ok"), waiting.await());
            }
        });
    }
}
