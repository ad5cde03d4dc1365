package dev.spindle.http.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.client.ProtocolError;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** gzip and deflate decoding alone, fed in random slices: exact output, bounded pieces, corrupt input refused. */
class ContentDecoderTest {
    private static final Random R = new Random(42);

    @Test
    void gzipInAnySlices() throws Exception {
        byte[] plain = sample(300_000);
        byte[] packed = gzip(plain);
        for (int round = 0; round < 20; round++) {
            assertArrayEquals(plain, decode("gzip", packed, 1 + R.nextInt(round == 0 ? 1 : 5000)));
        }
    }

    @Test
    void concatenatedGzipMembersAreOneBody() throws Exception {
        byte[] a = sample(1000);
        byte[] b = sample(2000);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(gzip(a));
        both.writeBytes(gzip(b));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(a);
        expected.writeBytes(b);
        assertArrayEquals(expected.toByteArray(), decode("x-gzip", both.toByteArray(), 7));
    }

    @Test
    void deflateZlibAndRaw() {
        byte[] plain = sample(100_000);
        assertArrayEquals(plain, decode("deflate", deflate(plain, false), 333));
        assertArrayEquals(plain, decode("deflate", deflate(plain, true), 333));
    }

    @Test
    void outputComesInBoundedPieces() throws Exception {
        byte[] zeros = new byte[10 << 20]; // 10 MiB of zeros: about 10 KiB compressed
        ContentDecoder d = ContentDecoder.forEncoding("gzip");
        d.feed(gzip(zeros));
        long total = 0;
        for (byte[] out; (out = d.poll()) != null; ) {
            assertTrue(out.length <= ContentDecoder.MAX_OUT);
            total += out.length;
        }
        d.finish();
        assertEquals(zeros.length, total);
    }

    @Test
    void corruptOrTruncatedInputIsAProtocolError() throws Exception {
        byte[] packed = gzip(sample(10_000));
        byte[] badCrc = packed.clone();
        badCrc[badCrc.length - 6] ^= 1;
        assertTrue(assertThrows(ProtocolError.class, () -> decode("gzip", badCrc, 100))
                .getMessage()
                .contains("CRC"));
        byte[] truncated = Arrays.copyOf(packed, packed.length / 2);
        assertTrue(assertThrows(ProtocolError.class, () -> decode("gzip", truncated, 100))
                .getMessage()
                .contains("ended in the middle"));
        assertTrue(assertThrows(ProtocolError.class, () -> decode("gzip", "plain text".getBytes(), 3))
                .getMessage()
                .contains("bad magic"));
        byte[] garbage = packed.clone();
        for (int i = 12; i < 40; i++) {
            garbage[i] = (byte) 0xff;
        }
        assertThrows(ProtocolError.class, () -> decode("gzip", garbage, 50));
    }

    @Test
    void unknownOrIdentityCodingsAreLeftAlone() {
        assertNull(ContentDecoder.forEncoding(null));
        assertNull(ContentDecoder.forEncoding("identity"));
        assertNull(ContentDecoder.forEncoding("br"));
        ContentDecoder empty = ContentDecoder.forEncoding("gzip");
        empty.finish(); // an empty body (a HEAD, a 204) is fine
    }

    private static byte[] decode(String coding, byte[] packed, int slice) {
        ContentDecoder d = ContentDecoder.forEncoding(coding);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < packed.length; i += slice) {
            d.feed(Arrays.copyOfRange(packed, i, Math.min(packed.length, i + slice)));
            for (byte[] o; (o = d.poll()) != null; ) {
                out.writeBytes(o);
            }
        }
        d.finish();
        return out.toByteArray();
    }

    private static byte[] sample(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (R.nextInt(8) == 0 ? R.nextInt(256) : 'a' + i % 7);
        }
        return b;
    }

    private static byte[] gzip(byte[] plain) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(plain);
        }
        return bos.toByteArray();
    }

    private static byte[] deflate(byte[] plain, boolean raw) {
        Deflater d = new Deflater(6, raw);
        d.setInput(plain);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }
}
