package dev.spindle.http.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Frames: lengths, masking, byte-at-a-time input, and every header the decoder must refuse. */
class FrameCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    static byte[] payload(int n, long seed) {
        byte[] p = new byte[n];
        new Random(seed).nextBytes(p);
        return p;
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "125", "126", "127", "65535", "65536", "70000"})
    void clientFramesRoundTripThroughAServerDecoderWholeAndByteByByte(int n) {
        byte[] p = payload(n, n);
        FrameEncoder enc = new FrameEncoder(true);
        byte[] wire = enc.frame(Opcode.BINARY, true, false, p, 0, n);
        assertEquals(enc.headerSize(n) + n, wire.length);
        assertEquals(n < 126 ? 6 : n < 65536 ? 8 : 14, enc.headerSize(n), "shortest length encoding, plus the key");
        // whole
        FrameDecoder whole = new FrameDecoder(true, false, 1 << 20);
        whole.feed(wire, 0, wire.length);
        Frame f = whole.next();
        assertEquals(Opcode.BINARY, f.opcode());
        assertTrue(f.fin());
        assertArrayEquals(p, f.payload());
        assertNull(whole.next());
        // byte by byte, through space()/filled()
        FrameDecoder slow = new FrameDecoder(true, false, 1 << 20);
        Frame got = null;
        for (int i = 0; i < wire.length; i++) {
            assertNull(slow.next(), "a frame before its last byte, at " + i);
            slow.space().put(wire[i]);
            slow.filled(1);
            got = slow.next();
            if (got != null) {
                assertEquals(wire.length - 1, i);
            }
        }
        assertArrayEquals(p, got.payload());
    }

    @Test
    void serverFramesAreUnmaskedAndClientFramesMaskedWithFreshKeys() {
        byte[] p = "hello".getBytes();
        byte[] server = new FrameEncoder(false).frame(Opcode.TEXT, true, false, p, 0, p.length);
        assertEquals("810568656c6c6f", HEX.formatHex(server)); // RFC 6455 §5.7's example
        FrameEncoder client = new FrameEncoder(true);
        byte[] a = client.frame(Opcode.TEXT, true, false, p, 0, p.length);
        byte[] b = client.frame(Opcode.TEXT, true, false, p, 0, p.length);
        assertEquals(0x85, a[1] & 0xff, "mask bit and length 5");
        assertTrue(!java.util.Arrays.equals(a, b), "two frames, two masking keys");
        assertArrayEquals("hello".getBytes(), p, "the caller's array is not masked in place");
    }

    @Test
    void rfcMaskedExampleDecodes() {
        byte[] wire = HEX.parseHex("818537fa213d7f9f4d5158"); // RFC 6455 §5.7: a masked "Hello"
        FrameDecoder d = new FrameDecoder(true, false, 1000);
        d.feed(wire, 0, wire.length);
        assertEquals("Hello", new String(d.next().payload()));
    }

    @Test
    void maskingMatchesTheDefinitionAtEveryOffsetAndLength() {
        Random r = new Random(7);
        for (int len = 0; len < 40; len++) {
            for (int off = 0; off < 9; off++) {
                byte[] b = payload(off + len + 3, len * 31L + off);
                byte[] expect = b.clone();
                int key = r.nextInt();
                for (int i = 0; i < len; i++) {
                    expect[off + i] ^= (byte) (key >>> (24 - 8 * (i % 4)));
                }
                Masking.mask(b, off, len, key);
                assertArrayEquals(expect, b);
            }
        }
    }

    @Test
    void severalFramesInOneReadAndAPartialOneAfter() {
        FrameEncoder enc = new FrameEncoder(false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) {
            out.writeBytes(enc.frame(Opcode.TEXT, true, false, ("m" + i).getBytes(), 0, 2));
        }
        byte[] partial = enc.frame(Opcode.BINARY, true, false, new byte[300], 0, 300);
        out.write(partial, 0, 100);
        byte[] all = out.toByteArray();
        FrameDecoder d = new FrameDecoder(false, false, 1000);
        d.feed(all, 0, all.length);
        for (int i = 0; i < 5; i++) {
            assertEquals("m" + i, new String(d.next().payload()));
        }
        assertNull(d.next());
        assertTrue(d.hasPartialFrame());
        d.feed(partial, 100, partial.length - 100);
        assertEquals(300, d.next().payload().length);
    }

    /** Headers a server must refuse: first two bytes (plus what follows), the close code and the reason's words. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "a0 80 00000000, 1002, RSV2",
        "90 80 00000000, 1002, RSV2",
        "c1 80 00000000, 1002, RSV1 set, and no extension",
        "83 80 00000000, 1002, reserved opcode 0x3",
        "87 80 00000000, 1002, reserved opcode 0x7",
        "8b 80 00000000, 1002, reserved opcode 0xb",
        "8f 80 00000000, 1002, reserved opcode 0xf",
        "09 80 00000000, 1002, fragmented ping",
        "08 80 00000000, 1002, fragmented close",
        "89 fe 007e 00000000, 1002, ping frame longer than 125",
        "8a ff, 1002, pong frame longer than 125",
        "81 05 68656c6c6f, 1002, unmasked frame from a client",
        "82 ff 8000000000000000, 1002, most significant bit",
        "82 ff 0000000000100001, 1009, over the limit",
        "82 fe ffff, 1009, over the limit",
    })
    void serverRefuses(String hex, int code, String words) {
        byte[] wire = HEX.parseHex(hex.replace(" ", ""));
        FrameDecoder d = new FrameDecoder(true, false, 65535 - 1);
        d.feed(wire, 0, wire.length);
        ProtocolError e = assertThrows(ProtocolError.class, d::next);
        assertEquals(code, e.closeCode(), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }

    @Test
    void tooLongIsRefusedFromTheHeaderAloneBeforeAnyPayload() {
        FrameDecoder d = new FrameDecoder(true, false, 1000);
        byte[] wire = HEX.parseHex("82ff00000000ffffffff"); // 4 GiB announced, nothing sent
        d.feed(wire, 0, wire.length);
        assertEquals(1009, assertThrows(ProtocolError.class, d::next).closeCode());
    }

    @Test
    void clientRefusesMaskedFramesAndRsv1OnControlOrContinuationEvenWithDeflate() {
        FrameDecoder client = new FrameDecoder(false, true, 1000);
        byte[] masked = HEX.parseHex("818537fa213d7f9f4d5158");
        client.feed(masked, 0, masked.length);
        assertTrue(assertThrows(ProtocolError.class, client::next).getMessage().contains("masked frame from a server"));
        for (String hex : List.of("c900", "c000")) {
            FrameDecoder d = new FrameDecoder(false, true, 1000);
            byte[] w = HEX.parseHex(hex);
            d.feed(w, 0, w.length);
            assertEquals(1002, assertThrows(ProtocolError.class, d::next).closeCode(), hex);
        }
        FrameDecoder ok = new FrameDecoder(false, true, 1000);
        byte[] w = HEX.parseHex("c100");
        ok.feed(w, 0, w.length);
        assertTrue(ok.next().rsv1(), "RSV1 on a first data frame is permessage-deflate's");
    }

    @Test
    void closePayloads() {
        assertEquals(new CloseFrames.Close(1005, ""), CloseFrames.parse(new byte[0]));
        assertEquals(new CloseFrames.Close(1000, "bye"), CloseFrames.parse(CloseFrames.payload(1000, "bye")));
        assertEquals(new CloseFrames.Close(4999, ""), CloseFrames.parse(HEX.parseHex("1387")));
        assertEquals(
                1002,
                assertThrows(ProtocolError.class, () -> CloseFrames.parse(new byte[] {3}))
                        .closeCode());
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
            byte[] p = {(byte) (code >>> 8), (byte) code};
            assertEquals(
                    1002,
                    assertThrows(ProtocolError.class, () -> CloseFrames.parse(p))
                            .closeCode(),
                    "" + code);
            assertThrows(IllegalArgumentException.class, () -> CloseFrames.payload(code, ""));
        }
        for (int code :
                new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999}) {
            assertEquals(code, CloseFrames.parse(CloseFrames.payload(code, "")).code());
        }
        byte[] badReason = HEX.parseHex("03e8cebae1bdb9cf83cebcceb5eda080656469746564");
        assertEquals(
                1007,
                assertThrows(ProtocolError.class, () -> CloseFrames.parse(badReason))
                        .closeCode());
        assertThrows(IllegalArgumentException.class, () -> CloseFrames.payload(1000, "x".repeat(124)));
        String cut = CloseFrames.truncate("é".repeat(100));
        assertTrue(cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 123);
        assertEquals(61, cut.length(), "cut on a code point boundary");
    }

    @Test
    void extensionHeaderParsing() {
        var e = ExtensionHeader.parse(List.of(
                "permessage-deflate; client_max_window_bits; server_max_window_bits=\"10\", x-foo",
                "permessage-deflate;server_no_context_takeover;server_no_context_takeover"));
        assertEquals(3, e.size());
        assertEquals("10", e.get(0).params().get("server_max_window_bits"));
        assertTrue(e.get(0).params().containsKey("client_max_window_bits"));
        assertNull(e.get(0).params().get("client_max_window_bits"));
        assertEquals("x-foo", e.get(1).name());
        assertTrue(e.get(2).duplicates());
        for (String bad : List.of("permessage-deflate; =1", "a b", "x; y=\"a b\"", "x; y=\"unterminated")) {
            assertThrows(IllegalArgumentException.class, () -> ExtensionHeader.parse(List.of(bad)), bad);
        }
        List<ExtensionHeader.Extension> none = new ArrayList<>(ExtensionHeader.parse(List.of(" , ,")));
        assertTrue(none.isEmpty());
    }
}
