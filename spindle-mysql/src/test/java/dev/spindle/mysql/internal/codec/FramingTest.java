package dev.spindle.mysql.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.mysql.ProtocolError;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FramingTest {
    @Test
    void onePacketWholeAndByteByByte() {
        byte[] wire = Bytes.of().hex("0e").packet(0); // COM_PING
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0x0e}, wire);
        for (int chunk : new int[] {wire.length, 1}) {
            PacketDecoder d = new PacketDecoder(1 << 20);
            Payload p = new Payload();
            for (int i = 0; i < wire.length; i += chunk) {
                assertFalse(d.next(p), "a whole packet is returned only once complete");
                d.feed(wire, i, Math.min(chunk, wire.length - i));
            }
            assertTrue(d.next(p));
            assertEquals(0x0e, p.int1());
            assertFalse(p.hasRemaining());
            assertEquals(1, d.nextSequence());
        }
    }

    @Test
    void sequenceOutOfOrderIsAProtocolError() {
        PacketDecoder d = new PacketDecoder(1 << 20);
        d.expectSequence(1);
        byte[] wire = Bytes.of().hex("00 00 00 02 00 00 00").packet(2);
        d.feed(wire, 0, wire.length);
        ProtocolError e = assertThrows(ProtocolError.class, () -> d.next(new Payload()));
        assertTrue(e.getMessage().contains("sequence id 2 where 1"), e.getMessage());
    }

    @Test
    void oversizedPacketFailsBeforeItIsBuffered() {
        PacketDecoder d = new PacketDecoder(1000);
        byte[] header = {(byte) 0xE9, 0x03, 0, 0}; // 1001 bytes announced, none sent
        d.feed(header, 0, 4);
        assertThrows(ProtocolError.class, () -> d.next(new Payload()));
    }

    @Test
    void writerSplitsAt16MiBAndDecoderJoins() {
        Random r = new Random(7);
        int max = PacketWriter.MAX_PAYLOAD;
        for (int size : new int[] {0, 1, max - 1, max, max + 1, 2 * max}) {
            byte[] payload = new byte[size];
            r.nextBytes(payload);
            PacketWriter w = new PacketWriter();
            w.bytes(payload);
            int next = w.finish(0);
            int packets = size / max + 1;
            assertEquals(packets & 0xFF, next, "sequence after " + size + " bytes");
            assertEquals(size + 4 * packets, w.framedLength());
            if (size == max) { // an exact multiple ends with an empty packet
                byte[] f = w.framed();
                assertArrayEquals(new byte[] {0, 0, 0, 1}, Arrays.copyOfRange(f, 4 + max, 8 + max));
            }
            PacketDecoder d = new PacketDecoder(1L << 30);
            Payload p = new Payload();
            byte[] framed = Arrays.copyOf(w.framed(), w.framedLength());
            int at = 0;
            int step = 3 * 1024 * 1024 + 17;
            while (!d.next(p)) {
                int n = Math.min(step, framed.length - at);
                assertTrue(n > 0, "the decoder wants more than was framed");
                d.feed(framed, at, n);
                at += n;
            }
            assertEquals(framed.length, at);
            assertEquals(size, p.remaining());
            assertArrayEquals(payload, p.restBytes());
            assertEquals(next, d.nextSequence());
        }
    }

    /**
     * Several messages framed back to back for one write (a pipeline), one of them split at 16 MiB: each is framed as
     * if alone, and a decoder reading the bytes as replies gets them back in order, each from sequence id 0.
     */
    @Test
    void messagesFramedBackToBack() {
        Random r = new Random(11);
        int max = PacketWriter.MAX_PAYLOAD;
        int[] sizes = {0, 5, max + 3, 1, max, 300};
        byte[][] payloads = new byte[sizes.length][];
        PacketWriter w = new PacketWriter();
        int[] ends = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            payloads[i] = new byte[sizes[i]];
            r.nextBytes(payloads[i]);
            if (i > 0) {
                w.startNext();
            }
            w.bytes(payloads[i], 0, sizes[i] / 2);
            if (sizes[i] > 0) {
                w.setPayloadByte(0, payloads[i][0]); // the current message's payload, not the first one's
                assertEquals(payloads[i][0] & 0xFF, w.payloadByte(0));
            }
            w.bytes(payloads[i], sizes[i] / 2, sizes[i] - sizes[i] / 2);
            assertEquals(sizes[i], w.payloadLength());
            int next = w.finish(0);
            assertEquals((sizes[i] / max + 1) & 0xFF, next, "the reply's sequence id after message " + i);
            ends[i] = w.framedLength();
            // each message framed alone gives the same bytes
            PacketWriter alone = new PacketWriter();
            alone.bytes(payloads[i]);
            alone.finish(0);
            int start = i == 0 ? 0 : ends[i - 1];
            assertEquals(alone.framedLength(), ends[i] - start);
            assertTrue(
                    Arrays.equals(alone.framed(), 0, alone.framedLength(), w.framed(), start, ends[i]), "message " + i);
        }
        byte[] wire = Arrays.copyOf(w.framed(), w.framedLength());
        PacketDecoder d = new PacketDecoder(1L << 30);
        Payload p = new Payload();
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            d.expectSequence(0);
            while (!d.next(p)) {
                int n = Math.min(1 << 20, wire.length - at);
                assertTrue(n > 0, "the decoder wants more than was framed");
                d.feed(wire, at, n);
                at += n;
            }
            assertArrayEquals(payloads[i], p.restBytes(), "message " + i);
        }
        assertEquals(wire.length, at);
        assertEquals(0, d.buffered());
        w.shrink(1024);
        assertEquals(1, w.start().int1(9).finish(0));
        assertEquals(5, w.framedLength(), "after shrink, one message from the start");
    }

    @Test
    void lengthEncodedIntegersEveryWidth() {
        long[] values = {0, 250, 251, 65535, 65536, (1 << 24) - 1, 1 << 24, Long.MAX_VALUE, -1};
        PacketWriter w = new PacketWriter();
        for (long v : values) {
            w.lenencInt(v);
        }
        Payload p = new Payload(w.payload());
        assertArrayEquals(new byte[] {0}, Arrays.copyOf(w.payload(), 1));
        for (long v : values) {
            long got = p.lenencInt();
            assertEquals(v == -1 ? -1 : v, got); // -1 as an 8-byte value reads back as -1 too
        }
        assertThrows(ProtocolError.class, () -> new Payload(new byte[] {(byte) 0xFC, 1}).lenencInt());
        assertThrows(ProtocolError.class, () -> new Payload(new byte[] {(byte) 0xFF}).lenencInt());
        assertEquals(Payload.NULL_LENGTH, new Payload(new byte[] {(byte) 0xFB}).lenencInt());
        assertThrows(ProtocolError.class, () -> new Payload(new byte[] {5, 'a', 'b'}).lenencString());
    }
}
