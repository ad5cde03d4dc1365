package dev.spindle.http.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpVersion;
import dev.spindle.http.client.ProtocolError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The response codec alone: good responses whole, a byte at a time and cut everywhere; bad ones with their errors. */
class ResponseDecoderTest {

    // ---- good responses -------------------------------------------------------------------------------------

    /** method, wire, eof after it, expected status, body, keep-alive. */
    static Stream<Arguments> good() {
        return Stream.of(
                Arguments.of("GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", false, 200, "hello", true),
                Arguments.of("GET", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, 200, "", true),
                Arguments.of(
                        "GET",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n",
                        false,
                        200,
                        "hello world",
                        true),
                Arguments.of(
                        "GET",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\nX-Sum: 45\r\n\r\n",
                        false,
                        200,
                        "0123456789",
                        true),
                Arguments.of("GET", "HTTP/1.1 200 OK\r\n\r\nuntil the end", true, 200, "until the end", false),
                Arguments.of("GET", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi", false, 200, "hi", false),
                Arguments.of(
                        "GET",
                        "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi",
                        false,
                        200,
                        "hi",
                        true),
                Arguments.of(
                        "GET",
                        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi",
                        false,
                        200,
                        "hi",
                        false),
                Arguments.of("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n", false, 200, "", true),
                Arguments.of("GET", "HTTP/1.1 204 No Content\r\n\r\n", false, 204, "", true),
                // a 204 announcing a body: none is read, and the connection is not reused
                Arguments.of("GET", "HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n", false, 204, "", false),
                Arguments.of(
                        "GET", "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", false, 304, "", true),
                Arguments.of(
                        "POST",
                        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
                        false,
                        201,
                        "ok",
                        true),
                // a bare LF ends lines (RFC 9112 §2.2), no reason phrase, no space after the code
                Arguments.of("GET", "HTTP/1.1 200\nContent-Length: 1\n\nx", false, 200, "x", true),
                Arguments.of("GET", "HTTP/1.1 404 \r\nContent-Length: 1\r\n\r\nx", false, 404, "x", true),
                // chunk sizes in either case, leading zeros, bare LF after data
                Arguments.of(
                        "GET",
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n0a\r\n0123456789\n00\r\n\r\n",
                        false,
                        200,
                        "0123456789",
                        true),
                // Transfer-Encoding beats Content-Length, and the connection is not reused
                Arguments.of(
                        "GET",
                        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n",
                        false,
                        200,
                        "x",
                        false),
                // identical repeated Content-Length values are one value
                Arguments.of(
                        "GET",
                        "HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc",
                        false,
                        200,
                        "abc",
                        true),
                // 101 ends the HTTP part: no body, no reuse
                Arguments.of("GET", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n", false, 101, "", false));
    }

    @ParameterizedTest
    @MethodSource("good")
    void decodesWholeAndByteByByte(String method, String wire, boolean eof, int status, String body, boolean keep) {
        for (Decoded d : List.of(Decoded.whole(method, wire, eof), Decoded.byteByByte(method, wire, eof))) {
            assertTrue(d.ended(), wire);
            assertEquals(status, d.last().status());
            assertEquals(body, d.text());
            assertEquals(keep, d.keepAlive(), "keep-alive of " + wire);
        }
    }

    @ParameterizedTest
    @MethodSource("good")
    void decodesCutAnywhere(String method, String wire, boolean eof, int status, String body, boolean keep) {
        byte[] b = wire.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 1; i < b.length; i++) {
            for (int j = i; j < b.length; j += 7) {
                Decoded d = Decoded.feed(method, b, j == i ? new int[] {i} : new int[] {i, j}, eof);
                assertTrue(d.ended());
                assertEquals(body, d.text(), "cut at " + i + ", " + j);
            }
        }
    }

    @Test
    void keepsFieldsInOrderWithCaseAndRepeats() {
        Decoded d = Decoded.whole(
                "GET",
                "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Folded: one\r\n  two\r\nset-cookie: b=2\r\n"
                        + "X-Latin: caf\u00e9\r\nContent-Length: 0\r\n\r\n",
                false);
        var h = d.last().headers();
        assertEquals(List.of("a=1", "b=2"), h.getAll("SET-COOKIE"));
        assertEquals("one two", h.get("x-folded"));
        assertEquals("caf\u00e9", h.get("X-Latin"));
        assertEquals("OK", d.last().reason());
        assertEquals(HttpVersion.HTTP_1_1, d.last().version());
        assertTrue(h.isReadOnly());
    }

    @Test
    void keepsTrailers() {
        Decoded d = Decoded.byteByByte(
                "GET",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nX-Checksum: abc\r\nX-Two: 2\r\n\r\n",
                false);
        assertEquals("abc", d.trailers().get("x-checksum"));
        assertEquals("2", d.trailers().get("X-Two"));
    }

    @Test
    void responsesFollowOneAnotherOnOneDecoder() {
        ResponseDecoder d = new ResponseDecoder(Decoded.LIMITS);
        byte[] two = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb"
                .getBytes(StandardCharsets.ISO_8859_1);
        d.receive(two, 0, two.length);
        d.start("GET");
        assertTrue(d.next() instanceof ResponseDecoder.Head);
        assertArrayEquals("a".getBytes(), ((ResponseDecoder.Data) d.next()).bytes());
        assertTrue(d.next() instanceof ResponseDecoder.End);
        assertFalse(d.keepAlive(), "bytes beyond the response forbid reuse");
        assertEquals(two.length / 2, d.buffered());
        d.start("GET");
        assertTrue(d.next() instanceof ResponseDecoder.Head);
        assertArrayEquals("b".getBytes(), ((ResponseDecoder.Data) d.next()).bytes());
        assertTrue(d.next() instanceof ResponseDecoder.End);
        assertTrue(d.keepAlive());
    }

    @Test
    void aStartWhileDecodingIsRefused() {
        ResponseDecoder d = new ResponseDecoder(Decoded.LIMITS);
        d.start("GET");
        assertThrows(IllegalStateException.class, () -> d.start("GET"));
    }

    // ---- bad responses --------------------------------------------------------------------------------------

    /** wire, eof after it, a fragment of the expected message. */
    static Stream<Arguments> bad() {
        String big = "X-Big: " + "a".repeat(17 * 1024) + "\r\n";
        StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 101; i++) {
            many.append("X-").append(i).append(": v\r\n");
        }
        many.append("\r\n");
        StringBuilder huge = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 9; i++) {
            huge.append("X-").append(i).append(": ").append("b".repeat(8000)).append("\r\n");
        }
        return Stream.of(
                Arguments.of("", true, "closed the connection without sending a response"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Le", true, "in the middle of the response head"),
                Arguments.of("SSH-2.0-OpenSSH_9.2\r\n\r\n", false, "malformed status line"),
                Arguments.of("<html>hello</html>\r\n\r\n", false, "malformed status line"),
                Arguments.of("HTTP/2.0 200 OK\r\n\r\n", false, "unsupported HTTP version"),
                Arguments.of("HTTP/1.1 2x0 OK\r\n\r\n", false, "malformed status code"),
                Arguments.of("HTTP/1.1 099 Low\r\n\r\n", false, "out of range"),
                Arguments.of("HTTP/1.1 200OK\r\n\r\n", false, "no space after the status code"),
                Arguments.of("\r\nHTTP/1.1 200 OK\r\n\r\n", false, "starts with an empty line"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\nx", false, "whitespace before its colon"),
                Arguments.of("HTTP/1.1 200 OK\r\nNo-Colon\r\n\r\n", false, "has no colon"),
                Arguments.of("HTTP/1.1 200 OK\r\n: empty\r\n\r\n", false, "empty header name"),
                Arguments.of("HTTP/1.1 200 OK\r\nX-A: a\u0001b\r\n\r\n", false, "control character"),
                Arguments.of("HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n", false, "bare CR"),
                Arguments.of("HTTP/1.1 200 OK\r\n folded-first: x\r\n\r\n", false, "starts with whitespace"),
                Arguments.of("HTTP/1.1 200 OK\r\n" + big + "\r\n", false, "longer than 16384 bytes"),
                Arguments.of(many.toString(), false, "more than 100 fields"),
                Arguments.of(huge.toString(), false, "larger than 65536 bytes"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx",
                        false,
                        "conflicting Content-Length"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nx", false, "conflicting Content-Length"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", false, "invalid Content-Length"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", false, "invalid Content-Length"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                        false,
                        "unsupported Transfer-Encoding"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\nabc",
                        true,
                        "unsupported Transfer-Encoding"),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", true, "after 5 of 10 body bytes"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
                        true,
                        "in the middle of a chunked body"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
                        true,
                        "in the middle of a chunked body"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false, "invalid chunk size"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n", false, "invalid chunk size"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\n",
                        false,
                        "invalid chunk size line"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
                        false,
                        "too large"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n",
                        false,
                        "longer than its size said"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;" + "e".repeat(2000) + "\r\n",
                        false,
                        "chunk size line longer"),
                Arguments.of(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Trailer: x\r\n\r\n",
                        false,
                        "whitespace before its colon"));
    }

    @ParameterizedTest
    @MethodSource("bad")
    void refusesWithAClearMessage(String wire, boolean eof, String fragment) {
        for (boolean oneByOne : new boolean[] {false, true}) {
            ProtocolError e = assertThrows(
                    ProtocolError.class,
                    () -> {
                        if (oneByOne) {
                            Decoded.byteByByte("GET", wire, eof);
                        } else {
                            Decoded.whole("GET", wire, eof);
                        }
                    },
                    wire);
            assertTrue(e.getMessage().contains(fragment), "expected \"" + fragment + "\" in: " + e.getMessage());
        }
    }

    @Test
    void aFailedDecoderStaysFailed() {
        ResponseDecoder d = new ResponseDecoder(Decoded.LIMITS);
        d.start("GET");
        byte[] b = "HTTP/9 nope\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        d.receive(b, 0, b.length);
        assertThrows(ProtocolError.class, d::next);
        assertThrows(IllegalStateException.class, d::next);
        assertFalse(d.keepAlive());
    }

    @Test
    void tellsWhetherAnythingCame() {
        ResponseDecoder d = new ResponseDecoder(Decoded.LIMITS);
        d.start("GET");
        assertFalse(d.anythingReceived());
        d.receive(new byte[] {'H'}, 0, 1);
        assertTrue(d.anythingReceived());
    }
}
