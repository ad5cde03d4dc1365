package dev.spindle.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.http.HttpLimits;
import dev.spindle.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request-head codec against RFC 9112, without sockets. The table lists each smuggling and limit case with the
 * status the server must answer; each is fed whole and a byte at a time.
 */
class RequestParserTest {
    static final HttpLimits LIMITS = HttpLimits.builder()
            .maxRequestLine(100)
            .maxHeaderSize(100)
            .maxHeaderCount(6)
            .maxHeadSize(400)
            .maxBodySize(1000)
            .build();

    static Stream<Arguments> refused() {
        return Stream.of(
                // request line
                bad(400, "bare LF ending the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n"),
                bad(400, "bare LF ending a header", "GET / HTTP/1.1\r\nHost: a\n\r\n"),
                bad(400, "bare CR in a header value", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n"),
                bad(400, "bare CR in the request line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n"),
                bad(400, "two spaces after the method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n"),
                bad(400, "tab as separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n"),
                bad(400, "method not a token", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n"),
                bad(400, "method with a slash", "GE/T / HTTP/1.1\r\nHost: a\r\n\r\n"),
                bad(400, "no method", " / HTTP/1.1\r\nHost: a\r\n\r\n"),
                bad(400, "no version", "GET /\r\nHost: a\r\n\r\n"),
                bad(400, "lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n"),
                bad(400, "junk after the version", "GET / HTTP/1.1 x\r\nHost: a\r\n\r\n"),
                bad(400, "control byte in the target", "GET /a\u0001b HTTP/1.1\r\nHost: a\r\n\r\n"),
                bad(400, "non-ASCII byte in the target", "GET /\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n"),
                bad(400, "relative target", "GET a/b HTTP/1.1\r\nHost: a\r\n\r\n"),
                bad(400, "asterisk for GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n"),
                bad(505, "HTTP/2.0 on the wire", "GET / HTTP/2.0\r\nHost: a\r\n\r\n"),
                bad(505, "HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n"),
                bad(400, "HTTP/11", "GET / HTTP/11\r\nHost: a\r\n\r\n"),
                // fields
                bad(400, "obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n"),
                bad(400, "obs-fold with a tab", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n"),
                bad(400, "first field folded", "GET / HTTP/1.1\r\n Host: a\r\n\r\n"),
                bad(400, "space before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n"),
                bad(400, "tab before the colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n"),
                bad(400, "space inside a name", "GET / HTTP/1.1\r\nHost: a\r\nX A: b\r\n\r\n"),
                bad(400, "name not a token", "GET / HTTP/1.1\r\nHost: a\r\nX@A: b\r\n\r\n"),
                bad(400, "no colon", "GET / HTTP/1.1\r\nHost: a\r\nXA\r\n\r\n"),
                bad(400, "empty name", "GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n"),
                bad(400, "NUL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u0000c\r\n\r\n"),
                bad(400, "DEL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u007fc\r\n\r\n"),
                bad(400, "no Host in 1.1", "GET / HTTP/1.1\r\n\r\n"),
                bad(400, "a Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n"),
                bad(400, "a Host with a slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"),
                bad(400, "a Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n"),
                bad(400, "two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                // framing (RFC 9112 §6.3, §11.2)
                bad(400, "two equal Content-Lengths", post("Content-Length: 3\r\nContent-Length: 3\r\n")),
                bad(400, "two different Content-Lengths", post("Content-Length: 3\r\nContent-Length: 4\r\n")),
                bad(400, "a Content-Length list", post("Content-Length: 3, 3\r\n")),
                bad(400, "a signed Content-Length", post("Content-Length: +3\r\n")),
                bad(400, "a negative Content-Length", post("Content-Length: -1\r\n")),
                bad(400, "a hex Content-Length", post("Content-Length: 0x3\r\n")),
                bad(400, "an empty Content-Length", post("Content-Length: \r\n")),
                bad(400, "a huge Content-Length", post("Content-Length: 99999999999999999999999\r\n")),
                bad(400, "TE and CL", post("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n")),
                bad(400, "CL and TE", post("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n")),
                bad(400, "chunked twice", post("Transfer-Encoding: chunked, chunked\r\n")),
                bad(
                        400,
                        "chunked twice in two fields",
                        post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")),
                bad(400, "chunked not last", post("Transfer-Encoding: chunked, gzip\r\n")),
                bad(501, "unknown coding", post("Transfer-Encoding: gzip\r\n")),
                bad(501, "a mangled chunked", post("Transfer-Encoding: xchunked\r\n")),
                bad(501, "chunked with a trailing junk", post("Transfer-Encoding: chunked-false\r\n")),
                bad(400, "TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
                bad(400, "an empty TE", post("Transfer-Encoding: \r\n")),
                bad(417, "an unknown expectation", "GET / HTTP/1.1\r\nHost: a\r\nExpect: something\r\n\r\n"),
                bad(413, "a Content-Length past the body limit", post("Content-Length: 1001\r\n")),
                // limits
                bad(414, "request line past its limit", "GET /" + "a".repeat(120) + " HTTP/1.1\r\nHost: a\r\n\r\n"),
                bad(431, "a field past its limit", "GET / HTTP/1.1\r\nHost: a\r\nX-A: " + "b".repeat(120) + "\r\n\r\n"),
                bad(431, "too many fields", "GET / HTTP/1.1\r\nHost: a\r\n" + "X-A: b\r\n".repeat(7) + "\r\n"),
                bad(
                        431,
                        "too large a head",
                        "GET / HTTP/1.1\r\nHost: a\r\n" + ("X-" + "a".repeat(80) + ": b\r\n").repeat(5) + "\r\n"));
    }

    private static String post(String fields) {
        return "POST / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n";
    }

    private static Arguments bad(int status, String why, String request) {
        return Arguments.of(status, why, request);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("refused")
    void refusesWhole(int status, String why, String request) {
        BadRequest e = assertThrows(BadRequest.class, () -> parseWhole(request), why);
        assertEquals(status, e.status(), why + ": " + e.getMessage());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("refused")
    void refusesByteByByte(int status, String why, String request) {
        BadRequest e = assertThrows(BadRequest.class, () -> parseByteByByte(request), why);
        assertEquals(status, e.status(), why + ": " + e.getMessage());
    }

    @Test
    void limitsAnsweredBeforeTheLineEnds() {
        // 414 as soon as the request line is too long, without waiting for its end
        BadRequest e = assertThrows(BadRequest.class, () -> parseWhole("GET /" + "a".repeat(200)));
        assertEquals(414, e.status());
        e = assertThrows(BadRequest.class, () -> parseWhole("GET / HTTP/1.1\r\nX: " + "a".repeat(200)));
        assertEquals(431, e.status());
    }

    @Test
    void parsesAGoodRequest() {
        String req = "GET /a/b?x=1&y=%20 HTTP/1.1\r\nHost: example.com\r\nuser-agent: t\r\nX-Multi: 1\r\n"
                + "X-Multi: 2\r\nX-Empty:\r\nX-Ws:   v  \r\n\r\n";
        for (RequestHead h : List.of(parseWhole(req), parseByteByByte(req))) {
            assertEquals("GET", h.method);
            assertEquals("/a/b?x=1&y=%20", h.target);
            assertEquals("/a/b", h.path());
            assertEquals("x=1&y=%20", h.rawQuery());
            assertEquals(HttpVersion.HTTP_1_1, h.version);
            assertEquals("example.com", h.headers.get("HOST"));
            assertEquals("t", h.headers.get("User-Agent"));
            assertEquals(List.of("1", "2"), h.headers.getAll("x-multi"));
            assertEquals("", h.headers.get("X-Empty"));
            assertEquals("v", h.headers.get("X-Ws"));
            assertTrue(h.headers.isReadOnly());
            assertEquals(-1, h.contentLength);
            assertTrue(!h.chunked && !h.close && !h.hasBody());
        }
    }

    @Test
    void framingDecisions() {
        RequestHead h = parseWhole(post("Content-Length: 10\r\n"));
        assertEquals(10, h.contentLength);
        h = parseWhole(post("Transfer-Encoding: Chunked\r\n"));
        assertTrue(h.chunked);
        h = parseWhole(post("Transfer-Encoding: ,chunked\r\nConnection: Keep-Alive, Close\r\n"));
        assertTrue(h.chunked && h.close);
        h = parseWhole("GET / HTTP/1.0\r\n\r\n");
        assertTrue(h.close && !h.keepAlive10);
        h = parseWhole("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertTrue(!h.close && h.keepAlive10);
        h = parseWhole("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\n");
        assertTrue(h.expectContinue);
        h = parseWhole("GET http://example.com/p/q?z HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertEquals("/p/q", h.path());
        assertEquals("z", h.rawQuery());
        h = parseWhole("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n");
        assertEquals("[::1]:8080", h.headers.get("Host"));
        h = parseWhole("GET / HTTP/1.1\r\nHost:\r\n\r\n"); // empty Host: allowed (RFC 9110 §7.2)
        h = parseWhole("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals("*", h.path());
    }

    @Test
    void emptyLinesBeforeTheRequestAreSkippedAndPipelinedBytesLeft() {
        String two = "\r\nGET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n";
        byte[] b = two.getBytes(StandardCharsets.ISO_8859_1);
        RequestParser p = new RequestParser(LIMITS);
        RequestHead h1 = p.parse(b, 0, b.length);
        assertEquals("/1", h1.target);
        int used = p.consumed();
        RequestHead h2 = p.parse(b, used, b.length);
        assertEquals("/2", h2.target);
        assertEquals(b.length, used + p.consumed());
    }

    @Test
    void partialHeadNeedsMore() {
        RequestParser p = new RequestParser(LIMITS);
        byte[] b = "GET / HTTP/1.1\r\nHost: a\r\n\r".getBytes(StandardCharsets.ISO_8859_1);
        assertNull(p.parse(b, 0, b.length));
        assertTrue(p.inProgress());
    }

    static RequestHead parseWhole(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        RequestHead h = new RequestParser(LIMITS).parse(b, 0, b.length);
        if (h == null) {
            throw new AssertionError("incomplete: " + s);
        }
        return h;
    }

    /** Feeds the bytes one more at a time, as a slow client would: the parser rescans nothing twice. */
    static RequestHead parseByteByByte(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        RequestParser p = new RequestParser(LIMITS);
        for (int end = 1; end <= b.length; end++) {
            RequestHead h = p.parse(b, 0, end);
            if (h != null) {
                assertEquals(b.length, end, "the head ended early");
                assertNotNull(h);
                return h;
            }
        }
        fail("incomplete: " + s);
        return null;
    }
}
