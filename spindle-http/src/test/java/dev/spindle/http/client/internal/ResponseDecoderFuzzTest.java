package dev.spindle.http.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.http.client.ProtocolError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated and mutated responses, seeded (the seed is in every failure message). The decoder may only
 * decode or throw {@link ProtocolError}; it always finishes; random splits never change what a valid response
 * decodes to; and it never holds more than its limits allow.
 */
class ResponseDecoderFuzzTest {
    private static final long SEED = Long.getLong("spindle.fuzz.seed", 20261207L);
    private static final int CASES = 4000;

    @Test
    void validResponsesDecodeTheSameWhateverTheSplits() {
        Random r = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            Generated g = generate(r);
            Decoded whole = Decoded.feed(g.method, g.wire, new int[0], g.eofDelimited);
            String where = "seed " + SEED + " case " + i + ": " + printable(g.wire);
            assertTrue(whole.ended(), where);
            assertArrayEquals(g.body, whole.body(), where);
            assertEquals(g.status, whole.last().status(), where);
            Decoded split = Decoded.feed(g.method, g.wire, randomCuts(r, g.wire.length), g.eofDelimited);
            assertArrayEquals(g.body, split.body(), where);
            assertEquals(whole.keepAlive(), split.keepAlive(), where);
        }
    }

    @Test
    void mutatedResponsesDecodeOrFailWithProtocolErrorOnly() {
        Random r = new Random(SEED + 1);
        int failed = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] wire = mutate(r, generate(r).wire);
            String where = "seed " + (SEED + 1) + " case " + i + ": " + printable(wire);
            try {
                Decoded d = Decoded.feed("GET", wire, randomCuts(r, wire.length), r.nextBoolean());
                assertTrue(d.body().length <= wire.length, where);
            } catch (ProtocolError e) {
                failed++;
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), where);
            } catch (RuntimeException | StackOverflowError e) {
                fail(where + " threw " + e, e);
            }
        }
        assertTrue(failed > CASES / 10, "mutations should break many responses, broke " + failed);
    }

    @Test
    void garbageNeverMakesTheBufferGrowPastTheLimits() {
        Random r = new Random(SEED + 2);
        for (int i = 0; i < 200; i++) {
            ResponseDecoder d = new ResponseDecoder(Decoded.LIMITS);
            d.start("GET");
            byte[] junk = new byte[1024];
            try {
                for (int k = 0; k < 200; k++) { // 200 KiB without a line end, or with lines but no empty one
                    r.nextBytes(junk);
                    for (int j = 0; j < junk.length; j++) {
                        if (junk[j] == '\n' || junk[j] == '\r') {
                            junk[j] = 'x';
                        }
                    }
                    if (i % 2 == 0) {
                        junk[junk.length - 1] = '\n';
                    }
                    d.receive(junk, 0, junk.length);
                    if (d.next() != ResponseDecoder.NEED_DATA) {
                        fail("garbage decoded to an event");
                    }
                    assertTrue(d.buffered() <= Decoded.LIMITS.maxHead() + 2048, "buffered " + d.buffered());
                }
                fail("200 KiB of garbage was accepted as part of a head");
            } catch (ProtocolError expected) {
                // the status line or the size limit
            }
        }
    }

    // ---- generation -----------------------------------------------------------------------------------------

    private record Generated(String method, byte[] wire, byte[] body, int status, boolean eofDelimited) {}

    private static Generated generate(Random r) {
        String method = r.nextInt(8) == 0 ? "HEAD" : "GET";
        int status = new int[] {200, 201, 204, 206, 301, 304, 404, 500, 503}[r.nextInt(9)];
        byte[] body = new byte[r.nextInt(4) == 0 ? r.nextInt(70_000) : r.nextInt(300)];
        r.nextBytes(body);
        boolean bodiless = method.equals("HEAD") || status == 204 || status == 304;
        ByteArrayOutputStream w = new ByteArrayOutputStream();
        for (int k = r.nextInt(3); k > 0; k--) {
            w.writeBytes(("HTTP/1.1 1" + (k == 1 ? "00 Continue" : "03 Early Hints\r\nLink: </s.css>") + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
        }
        String version = r.nextInt(6) == 0 ? "HTTP/1.0" : "HTTP/1.1";
        StringBuilder head = new StringBuilder(version + " " + status + " Reason " + r.nextInt(100) + "\r\n");
        for (int k = r.nextInt(6); k > 0; k--) {
            head.append("X-Field-")
                    .append(k)
                    .append(": value ")
                    .append(r.nextLong())
                    .append("\r\n");
        }
        int framing = r.nextInt(3); // 0 length, 1 chunked, 2 close
        boolean eof = false;
        if (framing == 0) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        } else if (framing == 1) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (!bodiless) {
            eof = true;
        }
        head.append("\r\n");
        w.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!bodiless) {
            if (framing == 1) {
                int p = 0;
                while (p < body.length) {
                    int n = Math.min(body.length - p, 1 + r.nextInt(9000));
                    w.writeBytes((Integer.toHexString(n) + (r.nextBoolean() ? ";x=y" : "") + "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    w.write(body, p, n);
                    w.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    p += n;
                }
                w.writeBytes((r.nextBoolean() ? "0\r\n\r\n" : "0\r\nX-Trailer: t\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
            } else {
                w.writeBytes(body);
            }
        }
        return new Generated(method, w.toByteArray(), bodiless ? new byte[0] : body, status, eof);
    }

    private static byte[] mutate(Random r, byte[] wire) {
        byte[] b = wire.length > 4096 ? Arrays.copyOf(wire, 4096) : wire.clone();
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n && b.length > 0; k++) {
            int at = r.nextInt(Math.min(b.length, 300));
            switch (r.nextInt(5)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> b[at] = (byte) "\r\n :;\t0F-".charAt(r.nextInt(9));
                case 2 -> b = Arrays.copyOf(b, at); // truncated
                case 3 -> { // a byte doubled
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at + 1);
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
                default -> { // a byte dropped
                    byte[] c = new byte[b.length - 1];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                    b = c;
                }
            }
        }
        return b;
    }

    private static int[] randomCuts(Random r, int length) {
        if (length < 2) {
            return new int[0];
        }
        return r.ints(r.nextInt(Math.min(40, length)), 1, length)
                .sorted()
                .distinct()
                .toArray();
    }

    private static String printable(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 200); i++) {
            int c = b[i] & 0xff;
            s.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return s + (b.length > 200 ? "...(" + b.length + " bytes)" : "");
    }

    @SuppressWarnings("unused")
    private static final List<String> CORPUS = List.of();
}
