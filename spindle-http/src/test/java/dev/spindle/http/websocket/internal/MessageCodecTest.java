package dev.spindle.http.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.websocket.Message;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** UTF-8, fragmentation, size limits and permessage-deflate, without sockets. */
class MessageCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "41",
                "c2a9",
                "e282ac",
                "f09f9880",
                "efbfbf",
                "f48fbfbf",
                "ed9fbf",
                "ee8080",
                "cebae1bdb9cf83cebcceb5" // κόσμε
            })
    void validUtf8(String hex) {
        byte[] b = HEX.parseHex(hex);
        assertTrue(Utf8Validator.isValid(b, 0, b.length));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "80",
                "bf",
                "c0af",
                "c1bf",
                "e080af",
                "f08080af",
                "eda080",
                "edbfbf",
                "f4908080",
                "f5808080",
                "ff",
                "fe",
                "c2",
                "e282",
                "f09f98",
                "cebae1bdb9cf83cebcceb5eda080656469746564",
                "c241"
            })
    void invalidUtf8(String hex) {
        byte[] b = HEX.parseHex(hex);
        assertFalse(Utf8Validator.isValid(b, 0, b.length));
    }

    /** Random byte strings (mostly near-UTF-8), whole and split at every point, against the JDK's strict decoder. */
    @Test
    void validatorAgreesWithTheJdkDecoderWholeAndSplit() {
        Random r = new Random(42);
        byte[][] pieces = {
            "a".getBytes(),
            "é".getBytes(StandardCharsets.UTF_8),
            "€".getBytes(StandardCharsets.UTF_8),
            "😀".getBytes(StandardCharsets.UTF_8),
            {(byte) 0x80},
            {(byte) 0xed, (byte) 0xa0},
            {(byte) 0xf4, (byte) 0x90},
            {(byte) 0xc0},
            {(byte) 0xe0, (byte) 0x80},
            {(byte) 0xff}
        };
        for (int round = 0; round < 3000; round++) {
            var out = new java.io.ByteArrayOutputStream();
            int n = r.nextInt(12);
            for (int i = 0; i < n; i++) {
                out.writeBytes(pieces[r.nextInt(r.nextInt(10) < 7 ? 4 : pieces.length)]);
            }
            byte[] b = out.toByteArray();
            boolean jdk = jdkValid(b);
            assertEquals(jdk, Utf8Validator.isValid(b, 0, b.length), HEX.formatHex(b));
            for (int split = 0; split <= b.length; split++) {
                Utf8Validator v = new Utf8Validator();
                boolean ok = v.feed(b, 0, split) && v.feed(b, split, b.length - split) && v.isComplete();
                assertEquals(jdk, ok, HEX.formatHex(b) + " split at " + split);
            }
        }
    }

    private static boolean jdkValid(byte[] b) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static Frame frame(boolean fin, int op, byte[] p) {
        return new Frame(fin, false, op, p);
    }

    @Test
    void fragmentsJoinWithControlFramesLeftToTheSession() {
        MessageAssembler a = new MessageAssembler(100, null);
        assertNull(a.accept(frame(false, Opcode.TEXT, "hel".getBytes())));
        assertTrue(a.inMessage());
        assertNull(a.accept(frame(false, Opcode.CONTINUATION, "lo ".getBytes())));
        Message m = a.accept(frame(true, Opcode.CONTINUATION, "world".getBytes()));
        assertEquals("hello world", m.text());
        assertFalse(a.inMessage());
        Message b = a.accept(frame(true, Opcode.BINARY, new byte[] {1, 2}));
        assertArrayEquals(new byte[] {1, 2}, b.data());
        assertTrue(b.isBinary());
    }

    @Test
    void fragmentationRules() {
        MessageAssembler a = new MessageAssembler(100, null);
        assertEquals(
                1002,
                assertThrows(ProtocolError.class, () -> a.accept(frame(true, Opcode.CONTINUATION, new byte[0])))
                        .closeCode());
        MessageAssembler b = new MessageAssembler(100, null);
        b.accept(frame(false, Opcode.BINARY, new byte[1]));
        assertEquals(
                1002,
                assertThrows(ProtocolError.class, () -> b.accept(frame(true, Opcode.TEXT, new byte[0])))
                        .closeCode());
    }

    @Test
    void invalidUtf8FailsAtTheFirstBadFragmentNotAtTheEnd() {
        MessageAssembler a = new MessageAssembler(1000, null);
        a.accept(frame(false, Opcode.TEXT, "κόσμε".getBytes(StandardCharsets.UTF_8)));
        ProtocolError e = assertThrows(
                ProtocolError.class, () -> a.accept(frame(false, Opcode.CONTINUATION, HEX.parseHex("eda080"))));
        assertEquals(1007, e.closeCode());
        // a code point split across fragments is fine
        MessageAssembler b = new MessageAssembler(1000, null);
        b.accept(frame(false, Opcode.TEXT, HEX.parseHex("f09f")));
        assertEquals(
                "😀",
                b.accept(frame(true, Opcode.CONTINUATION, HEX.parseHex("9880"))).text());
        // but not one the message ends inside
        MessageAssembler c = new MessageAssembler(1000, null);
        c.accept(frame(false, Opcode.TEXT, HEX.parseHex("f09f")));
        assertEquals(
                1007,
                assertThrows(ProtocolError.class, () -> c.accept(frame(true, Opcode.CONTINUATION, new byte[0])))
                        .closeCode());
        MessageAssembler d = new MessageAssembler(1000, null);
        assertEquals(
                1007,
                assertThrows(ProtocolError.class, () -> d.accept(frame(true, Opcode.TEXT, HEX.parseHex("c0af"))))
                        .closeCode());
    }

    @Test
    void sizeLimitCountsAllFragments() {
        MessageAssembler a = new MessageAssembler(10, null);
        a.accept(frame(false, Opcode.BINARY, new byte[6]));
        assertEquals(
                1009,
                assertThrows(ProtocolError.class, () -> a.accept(frame(true, Opcode.CONTINUATION, new byte[5])))
                        .closeCode());
        MessageAssembler b = new MessageAssembler(10, null);
        assertEquals(10, b.accept(frame(true, Opcode.BINARY, new byte[10])).length());
        assertEquals(
                1009,
                assertThrows(ProtocolError.class, () -> b.accept(frame(true, Opcode.BINARY, new byte[11])))
                        .closeCode());
    }

    // ---- permessage-deflate ---------------------------------------------------------------------------------

    /** Compresses as a peer would: one message, sync-flushed, tail removed. */
    static byte[] peerCompress(Deflater d, byte[] data) {
        d.setInput(data);
        byte[] out = new byte[data.length * 2 + 64];
        int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        return java.util.Arrays.copyOf(out, n - 4);
    }

    @Test
    void compressedMessagesRoundTripWithAndWithoutContextTakeover() {
        for (boolean noCtx : new boolean[] {false, true}) {
            DeflateParams params = new DeflateParams(noCtx, noCtx);
            PerMessageDeflate server = new PerMessageDeflate(params, true, 6);
            PerMessageDeflate client = new PerMessageDeflate(params, false, 6);
            MessageAssembler clientSide = new MessageAssembler(1 << 20, client);
            int[] end = new int[1];
            String text = "Hello, Hello, Hello, WebSocket! ".repeat(20);
            int firstSize = -1;
            for (int i = 0; i < 5; i++) {
                byte[] buf = server.compress(text.getBytes(), 0, text.length(), end);
                int size = end[0] - FrameEncoder.MAX_HEADER;
                if (i == 0) {
                    firstSize = size;
                } else if (!noCtx) {
                    assertTrue(size < firstSize / 2, "context takeover: a repeat costs little (" + size + ")");
                } else {
                    assertEquals(firstSize, size, "no context takeover: every message starts afresh");
                }
                byte[] p = java.util.Arrays.copyOfRange(buf, FrameEncoder.MAX_HEADER, end[0]);
                Message m = clientSide.accept(new Frame(true, true, Opcode.TEXT, p));
                assertEquals(text, m.text());
            }
            // an empty message
            byte[] buf = server.compress(new byte[0], 0, 0, end);
            byte[] p = java.util.Arrays.copyOfRange(buf, FrameEncoder.MAX_HEADER, end[0]);
            assertEquals(
                    0,
                    clientSide.accept(new Frame(true, true, Opcode.BINARY, p)).length());
            server.close();
            client.close();
        }
    }

    @Test
    void mixedMessagesThroughOneContext() {
        PerMessageDeflate client = new PerMessageDeflate(new DeflateParams(false, false), false, 6);
        PerMessageDeflate server = new PerMessageDeflate(new DeflateParams(false, false), true, 6);
        MessageAssembler a = new MessageAssembler(1 << 20, server);
        byte[] random = new byte[60_000];
        new Random(1).nextBytes(random);
        List<byte[]> messages = List.of(
                "hello".getBytes(), random, new byte[0], "spindle ".repeat(8000).getBytes(), new byte[0], random);
        int[] end = new int[1];
        for (byte[] m : messages) {
            byte[] buf = client.compress(m, 0, m.length, end);
            byte[] p = java.util.Arrays.copyOfRange(buf, FrameEncoder.MAX_HEADER, end[0]);
            assertArrayEquals(
                    m, a.accept(new Frame(true, true, Opcode.BINARY, p)).data());
        }
        client.close();
        server.close();
    }

    @Test
    void compressedMessageInFragmentsAndTheRfcExamples() {
        PerMessageDeflate pmd = new PerMessageDeflate(new DeflateParams(false, false), true, 6);
        MessageAssembler a = new MessageAssembler(1000, pmd);
        // RFC 7692 §7.2.3.1: "Hello" compressed, then as two fragments
        assertEquals(
                "Hello",
                a.accept(new Frame(true, true, Opcode.TEXT, HEX.parseHex("f248cdc9c90700")))
                        .text());
        assertNull(a.accept(new Frame(false, true, Opcode.TEXT, HEX.parseHex("f248cd"))));
        assertEquals(
                "Hello",
                a.accept(new Frame(true, false, Opcode.CONTINUATION, HEX.parseHex("c9c90700")))
                        .text());
        // §7.2.3.2: the second "Hello" referring back to the first (context takeover)
        assertEquals(
                "Hello",
                a.accept(new Frame(true, true, Opcode.TEXT, HEX.parseHex("f200110000")))
                        .text());
        // §7.2.3.3: a stored (uncompressed) block
        assertEquals(
                "Hello",
                a.accept(new Frame(true, true, Opcode.TEXT, HEX.parseHex("0005 00faff48656c6c6f00".replace(" ", ""))))
                        .text());
        pmd.close();
    }

    @Test
    void zipBombStopsAtTheLimitWith1009() {
        Deflater d = new Deflater(9, true);
        byte[] big = new byte[10 << 20];
        byte[] bomb = peerCompress(d, big);
        assertTrue(bomb.length < 20_000, "10 MiB of zeros compress to " + bomb.length);
        PerMessageDeflate pmd = new PerMessageDeflate(new DeflateParams(false, false), true, 6);
        MessageAssembler a = new MessageAssembler(1 << 20, pmd);
        ProtocolError e = assertThrows(ProtocolError.class, () -> a.accept(new Frame(true, true, Opcode.BINARY, bomb)));
        assertEquals(1009, e.closeCode());
        pmd.close();
    }

    @Test
    void garbageCompressedDataIs1007AndInvalidUtf8AfterInflatingToo() {
        PerMessageDeflate pmd = new PerMessageDeflate(new DeflateParams(false, false), true, 6);
        MessageAssembler a = new MessageAssembler(1000, pmd);
        assertEquals(
                1007,
                assertThrows(
                                ProtocolError.class,
                                () -> a.accept(new Frame(true, true, Opcode.TEXT, HEX.parseHex("ffffffffff"))))
                        .closeCode());
        PerMessageDeflate pmd2 = new PerMessageDeflate(new DeflateParams(false, false), true, 6);
        byte[] bad = peerCompress(new Deflater(6, true), HEX.parseHex("41eda08041"));
        MessageAssembler b = new MessageAssembler(1000, pmd2);
        assertEquals(
                1007,
                assertThrows(ProtocolError.class, () -> b.accept(new Frame(true, true, Opcode.TEXT, bad)))
                        .closeCode());
        pmd.close();
        pmd2.close();
    }

    @Test
    void negotiation() {
        var o = (java.util.function.Function<String, DeflateParams>)
                s -> DeflateParams.negotiate(ExtensionHeader.parse(List.of(s)), false, false);
        assertEquals(new DeflateParams(false, false), o.apply("permessage-deflate"));
        assertEquals(new DeflateParams(false, false), o.apply("permessage-deflate; client_max_window_bits"));
        assertEquals(new DeflateParams(false, false), o.apply("permessage-deflate; client_max_window_bits=10"));
        assertEquals(
                new DeflateParams(true, true),
                o.apply("permessage-deflate; server_no_context_takeover; client_no_context_takeover"));
        assertEquals(new DeflateParams(false, false), o.apply("permessage-deflate; server_max_window_bits=15"));
        // declined: we cannot shrink our window; bad values; unknown or repeated parameters
        assertNull(o.apply("permessage-deflate; server_max_window_bits=10"));
        assertNull(o.apply("permessage-deflate; server_max_window_bits"));
        assertNull(o.apply("permessage-deflate; client_max_window_bits=16"));
        assertNull(o.apply("permessage-deflate; client_max_window_bits=08"));
        assertNull(o.apply("permessage-deflate; foo"));
        assertNull(o.apply("permessage-deflate; server_no_context_takeover=1"));
        assertNull(o.apply("permessage-deflate; server_no_context_takeover; server_no_context_takeover"));
        assertNull(o.apply("x-webkit-deflate-frame"));
        // the first acceptable offer wins (a browser's fallback list)
        assertEquals(
                new DeflateParams(false, false),
                o.apply("permessage-deflate; server_max_window_bits=9, permessage-deflate"));
        assertEquals("permessage-deflate; server_no_context_takeover", new DeflateParams(true, false).header());
        // the client's reading of answers
        var a = (java.util.function.Function<String, DeflateParams>)
                s -> DeflateParams.accept(ExtensionHeader.parse(List.of(s)));
        assertEquals(new DeflateParams(true, false), a.apply("permessage-deflate; server_no_context_takeover"));
        assertEquals(new DeflateParams(false, false), a.apply("permessage-deflate; server_max_window_bits=12"));
        for (String bad : List.of(
                "permessage-deflate; client_max_window_bits=10",
                "permessage-deflate, permessage-deflate",
                "x-other",
                "permessage-deflate; nope")) {
            assertThrows(IllegalArgumentException.class, () -> a.apply(bad), bad);
        }
    }
}
