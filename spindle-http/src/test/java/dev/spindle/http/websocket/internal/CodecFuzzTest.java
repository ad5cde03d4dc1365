package dev.spindle.http.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.http.websocket.Message;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded fuzzer over the server's receive path (decoder, assembler, inflater): valid client streams cut at random
 * points decode to the same messages; mutated ones (bit flips, truncations, spliced bytes, random headers) end in a
 * {@link ProtocolError} or in valid messages, never in another exception, and never past the size limit.
 */
class CodecFuzzTest {
    private static final int LIMIT = 4096;

    /** A valid client stream: messages, some fragmented, some compressed, pings between fragments. */
    static byte[] validStream(Random r, List<Message> expected, PerMessageDeflate clientDeflate) {
        FrameEncoder enc = new FrameEncoder(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int messages = 1 + r.nextInt(6);
        for (int m = 0; m < messages; m++) {
            boolean text = r.nextBoolean();
            byte[] data;
            if (text) {
                StringBuilder b = new StringBuilder();
                int n = r.nextInt(300);
                for (int i = 0; i < n; i++) {
                    b.append(r.nextInt(10) == 0 ? "é😀" : "abc ");
                }
                data = b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } else {
                data = new byte[r.nextInt(1500)];
                r.nextBytes(data);
            }
            expected.add(
                    text
                            ? Message.text(new String(data, java.nio.charset.StandardCharsets.UTF_8))
                            : Message.binary(data));
            boolean compress = clientDeflate != null && r.nextBoolean();
            byte[] payload = data;
            if (compress) {
                int[] end = new int[1];
                byte[] buf = clientDeflate.compress(data, 0, data.length, end);
                payload = java.util.Arrays.copyOfRange(buf, FrameEncoder.MAX_HEADER, end[0]);
            }
            int fragments = 1 + (payload.length > 3 ? r.nextInt(4) : 0);
            int pos = 0;
            for (int f = 0; f < fragments; f++) {
                int end = f == fragments - 1 ? payload.length : pos + r.nextInt(payload.length - pos + 1);
                int op = f == 0 ? (text ? Opcode.TEXT : Opcode.BINARY) : Opcode.CONTINUATION;
                byte[] frame = enc.frame(op, f == fragments - 1, compress && f == 0, payload, pos, end - pos);
                out.writeBytes(frame);
                pos = end;
                if (r.nextInt(4) == 0) {
                    out.writeBytes(enc.frame(Opcode.PING, true, false, new byte[r.nextInt(126)], 0, 0));
                }
            }
        }
        return out.toByteArray();
    }

    /** Runs bytes through a server's receive path in random chunks; returns the messages, or throws. */
    static List<Message> receive(byte[] wire, Random r, boolean deflate) {
        PerMessageDeflate pmd = deflate ? new PerMessageDeflate(new DeflateParams(false, false), true, 6) : null;
        try {
            FrameDecoder d = new FrameDecoder(true, deflate, LIMIT);
            MessageAssembler a = new MessageAssembler(LIMIT, pmd);
            List<Message> out = new ArrayList<>();
            int pos = 0;
            while (pos < wire.length) {
                int n = Math.min(wire.length - pos, 1 + r.nextInt(r.nextBoolean() ? 8 : 2000));
                d.feed(wire, pos, n);
                pos += n;
                Frame f;
                while ((f = d.next()) != null) {
                    if (Opcode.isControl(f.opcode())) {
                        if (f.opcode() == Opcode.CLOSE) {
                            CloseFrames.parse(f.payload());
                        }
                        continue;
                    }
                    Message m = a.accept(f);
                    if (m != null) {
                        assertTrue(m.length() <= LIMIT);
                        out.add(m);
                    }
                }
            }
            return out;
        } finally {
            if (pmd != null) {
                pmd.close();
            }
        }
    }

    @Test
    void validStreamsDecodeTheSameHoweverTheyAreCut() {
        Random r = new Random(6455);
        for (int round = 0; round < 400; round++) {
            boolean deflate = r.nextBoolean();
            List<Message> expected = new ArrayList<>();
            PerMessageDeflate client =
                    deflate ? new PerMessageDeflate(new DeflateParams(false, false), false, 6) : null;
            byte[] wire = validStream(r, expected, client);
            if (client != null) {
                client.close();
            }
            assertEquals(expected, receive(wire, r, deflate), "round " + round);
        }
    }

    @Test
    void mutatedStreamsFailOnlyWithProtocolErrors() {
        Random r = new Random(7692);
        int errors = 0;
        for (int round = 0; round < 3000; round++) {
            boolean deflate = r.nextBoolean();
            PerMessageDeflate client =
                    deflate ? new PerMessageDeflate(new DeflateParams(false, false), false, 6) : null;
            byte[] wire = validStream(r, new ArrayList<>(), client);
            if (client != null) {
                client.close();
            }
            wire = mutate(wire, r);
            try {
                receive(wire, r, deflate);
            } catch (ProtocolError e) {
                errors++;
                assertTrue(
                        e.closeCode() == 1002 || e.closeCode() == 1007 || e.closeCode() == 1009,
                        "close code " + e.closeCode());
            } catch (Throwable t) {
                fail("round " + round + ": " + t, t);
            }
        }
        assertTrue(errors > 500, "the mutations found errors: " + errors);
    }

    static byte[] mutate(byte[] w, Random r) {
        byte[] b = w.clone();
        switch (r.nextInt(5)) {
            case 0 -> {
                for (int i = 0, n = 1 + r.nextInt(4); i < n && b.length > 0; i++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> b = java.util.Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
            case 2 -> {
                byte[] junk = new byte[1 + r.nextInt(20)];
                r.nextBytes(junk);
                int at = b.length == 0 ? 0 : r.nextInt(b.length);
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                o.write(b, 0, at);
                o.writeBytes(junk);
                o.write(b, at, b.length - at);
                b = o.toByteArray();
            }
            case 3 -> {
                // a random header in front: any opcode, bits and length
                byte[] h = {(byte) r.nextInt(256), (byte) (0x80 | r.nextInt(128)), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
                r.nextBytes(java.util.Arrays.copyOfRange(h, 2, 14));
                for (int i = 2; i < 14; i++) {
                    h[i] = (byte) r.nextInt(256);
                }
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                o.writeBytes(h);
                o.writeBytes(b);
                b = o.toByteArray();
            }
            default -> {
                for (int i = 0; i < b.length; i++) {
                    if (r.nextInt(50) == 0) {
                        b[i] = (byte) r.nextInt(256);
                    }
                }
            }
        }
        return b;
    }
}
