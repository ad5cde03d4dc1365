package dev.spindle.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.http.HttpLimits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The chunked body codec: good bodies whole and a byte at a time, and the table of malformed ones. */
class ChunkedDecoderTest {
    static final HttpLimits LIMITS = HttpLimits.builder()
            .maxChunkLine(64)
            .maxTrailerSize(128)
            .maxHeaderCount(3)
            .build();

    @Test
    void decodesWithExtensionsAndTrailers() {
        String body = "5\r\nhello\r\n6;name=value;flag\r\n world\r\n1 ; q=\"a \\\" b\"\r\n!\r\n"
                + "A\r\n0123456789\r\n0\r\nX-Trailer: yes\r\nX-Other: 1\r\n\r\n";
        assertEquals("hello world!0123456789", decodeAll(body, Integer.MAX_VALUE));
        assertEquals("hello world!0123456789", decodeAll(body, 1)); // a byte at a time
    }

    @Test
    void upperCaseHexAndLeadingZeros() {
        assertEquals("x".repeat(26), decodeAll("001A\r\n" + "x".repeat(26) + "\r\n0\r\n\r\n", 3));
    }

    @Test
    void leavesPipelinedBytes() {
        byte[] b = "1\r\na\r\n0\r\n\r\nGET /".getBytes(StandardCharsets.ISO_8859_1);
        ChunkedDecoder d = new ChunkedDecoder(LIMITS);
        int pos = 0;
        int r;
        while ((r = d.decode(b, pos, b.length)) != ChunkedDecoder.DONE) {
            assertEquals(ChunkedDecoder.DATA, r);
            pos += d.consumed();
        }
        pos += d.consumed();
        assertEquals("GET /", new String(b, pos, b.length - pos, StandardCharsets.ISO_8859_1));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of(400, "empty size", "\r\nabc\r\n0\r\n\r\n"),
                Arguments.of(400, "signed size", "+5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of(400, "negative size", "-5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of(400, "0x prefix", "0x5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of(400, "space before the size", " 5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of(400, "space after the size", "5 \r\nhello\r\n0\r\n\r\n"),
                Arguments.of(400, "non-hex digit", "5g\r\nhello\r\n0\r\n\r\n"),
                Arguments.of(400, "overflowing size", "1000000000000000\r\n"),
                Arguments.of(400, "much too long size", "ffffffffffffffffffff\r\n"),
                Arguments.of(400, "bare LF after the size", "5\nhello\r\n0\r\n\r\n"),
                Arguments.of(400, "bare CR after the size", "5\rhello\r\n0\r\n\r\n"),
                Arguments.of(400, "data longer than its size", "5\r\nhello!\r\n0\r\n\r\n"),
                Arguments.of(400, "data not ended by CRLF", "5\r\nhelloXY0\r\n\r\n"),
                Arguments.of(400, "data ended by LF alone", "5\r\nhello\n0\r\n\r\n"),
                Arguments.of(400, "extension without a name", "5;\r\nhello\r\n0\r\n\r\n"),
                Arguments.of(400, "extension with an empty value", "5;a=\r\nhello\r\n0\r\n\r\n"),
                Arguments.of(400, "extension name not a token", "5;a@b\r\nhello\r\n0\r\n\r\n"),
                Arguments.of(400, "unterminated quoted extension", "5;a=\"b\r\nhello\r\n0\r\n\r\n"),
                Arguments.of(400, "control in an extension", "5;a=\"\u0001\"\r\nhello\r\n0\r\n\r\n"),
                Arguments.of(400, "too long an extension", "5;" + "a".repeat(80) + "\r\nhello\r\n0\r\n\r\n"),
                Arguments.of(400, "folded trailer", "0\r\nX: a\r\n b\r\n\r\n"),
                Arguments.of(400, "malformed trailer", "0\r\nX a\r\n\r\n"),
                Arguments.of(400, "bare LF in trailers", "0\r\nX: a\n\r\n"),
                Arguments.of(400, "too large trailers", "0\r\n" + ("X: " + "a".repeat(60) + "\r\n").repeat(3) + "\r\n"),
                Arguments.of(431, "too many trailer fields", "0\r\n" + "X: a\r\n".repeat(4) + "\r\n"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("malformed")
    void refuses(int status, String why, String body) {
        for (int step : new int[] {Integer.MAX_VALUE, 1}) {
            BadRequest e = assertThrows(BadRequest.class, () -> decodeAll(body, step), why);
            assertEquals(status, e.status(), why);
        }
    }

    @Test
    void partialDataSlicesRespectMaxData() {
        byte[] b = "a\r\n0123456789\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ChunkedDecoder d = new ChunkedDecoder(LIMITS);
        assertEquals(ChunkedDecoder.DATA, d.decode(b, 0, b.length, 4));
        assertEquals(4, d.dataLength());
        assertArrayEquals(
                "0123".getBytes(StandardCharsets.ISO_8859_1),
                java.util.Arrays.copyOfRange(b, d.dataOffset(), d.dataOffset() + 4));
    }

    /** Decodes {@code body}, revealing {@code step} more bytes each time the decoder needs more. */
    static String decodeAll(String body, int step) {
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        ChunkedDecoder d = new ChunkedDecoder(LIMITS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        int end = Math.min(b.length, step);
        while (true) {
            int r = d.decode(b, pos, end);
            if (r == ChunkedDecoder.DATA) {
                out.write(b, d.dataOffset(), d.dataLength());
            }
            pos += d.consumed();
            if (r == ChunkedDecoder.DONE) {
                return out.toString(StandardCharsets.ISO_8859_1);
            }
            if (r == ChunkedDecoder.NEED_MORE) {
                if (end == b.length) {
                    throw new AssertionError("incomplete body");
                }
                end = (int) Math.min(b.length, (long) end + step);
            }
        }
    }
}
