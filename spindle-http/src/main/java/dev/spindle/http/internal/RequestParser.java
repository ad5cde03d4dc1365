package dev.spindle.http.internal;

import dev.spindle.http.Headers;
import dev.spindle.http.HttpLimits;
import dev.spindle.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses HTTP/1.1 request heads (RFC 9112 §2-3, §5-6): bytes in, a {@link RequestHead} out, no I/O.
 *
 * <h2>Theory of operation</h2>
 * {@link #parse} is called with the unread bytes of the connection's buffer each time more arrive. It first scans
 * for the end of the head (an empty line), resuming where the last call stopped, so a head that dribbles in a byte
 * at a time costs linear work; the scan enforces the size limits as it goes (a request line past its limit is
 * answered 414 before its end arrives) and rejects bare CR and bare LF. Once the whole head is there it is parsed in
 * one pass and its framing decided. The strictness is deliberate: every leniency an intermediary and this server
 * might disagree on is a request-smuggling vector (RFC 9112 §11.2), so anything ambiguous is a 400.
 *
 * <p>Not thread-safe; one per connection, reused for each request ({@link #parse} resets it after a head).
 */
public final class RequestParser {
    static final String GET = "GET";
    static final String HEAD = "HEAD";
    static final String POST = "POST";

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final HttpLimits limits;

    // The scan of the current head, as offsets from the start the caller passes (which moves with the buffer).
    private int scanned;
    private int lineStart;
    private int lines;
    /** Bytes of empty lines before the request line, skipped (RFC 9112 §2.2 allows a robust server to). */
    private int skipped;

    private int consumed;

    public RequestParser(HttpLimits limits) {
        this.limits = limits;
    }

    /** How many bytes the last head that {@link #parse} returned took (with any empty lines before it). */
    public int consumed() {
        return consumed;
    }

    /** Whether some bytes of a head (not just empty lines) have been seen: a timeout now is a 408, not idleness. */
    public boolean inProgress() {
        return scanned > skipped;
    }

    /** Forgets a partial scan (a new connection's state). */
    public void reset() {
        scanned = 0;
        lineStart = 0;
        lines = 0;
        skipped = 0;
    }

    /**
     * Parses the head in {@code b[start, end)}, or returns {@code null} if it is not all there yet (then call again
     * with the same start and more bytes).
     *
     * @throws BadRequest for a head this server refuses, with the status to answer
     */
    public RequestHead parse(byte[] b, int start, int end) {
        int maxLine = limits.maxRequestLine();
        int maxField = limits.maxHeaderSize();
        int maxHead = limits.maxHeadSize();
        int i = start + scanned;
        int ls = start + lineStart;
        while (i < end) {
            byte c = b[i];
            if (c == LF) {
                if (i == ls || b[i - 1] != CR) {
                    throw new BadRequest(400, "bare LF in the request head (lines must end with CRLF)");
                }
                int len = i + 1 - ls;
                if (lines == 0) {
                    if (len == 2) { // an empty line before the request line
                        skipped = i + 1 - start;
                        ls = i + 1;
                        i++;
                        continue;
                    }
                    lines = 1;
                } else if (len == 2) {
                    int headEnd = i + 1;
                    RequestHead head = parseHead(b, start + skipped, headEnd);
                    consumed = headEnd - start;
                    reset();
                    return head;
                } else {
                    lines++;
                    if (lines - 1 > limits.maxHeaderCount()) {
                        throw new BadRequest(431, "more than " + limits.maxHeaderCount() + " header fields");
                    }
                }
                ls = i + 1;
            } else if (c == CR) {
                if (i + 1 < end && b[i + 1] != LF) {
                    throw new BadRequest(400, "bare CR in the request head");
                }
            }
            i++;
            int lineLen = i - ls;
            if (lines == 0) {
                if (lineLen > maxLine) {
                    throw new BadRequest(414, "request line longer than " + maxLine + " bytes");
                }
            } else if (lineLen > maxField) {
                throw new BadRequest(431, "a header field line longer than " + maxField + " bytes");
            }
            if (i - start - skipped > maxHead) {
                throw new BadRequest(431, "request head larger than " + maxHead + " bytes");
            }
            if (skipped > maxLine) {
                throw new BadRequest(400, "too many empty lines before the request line");
            }
        }
        // A CR at the very end is judged when its next byte comes.
        scanned = i - start;
        lineStart = ls - start;
        return null;
    }

    // ---- the complete head ----------------------------------------------------------------------------------

    private RequestHead parseHead(byte[] b, int from, int headEnd) {
        // request-line = method SP request-target SP HTTP-version CRLF
        int p = from;
        while (Tokens.isTchar(b[p])) {
            p++;
        }
        if (p == from || b[p] != ' ') {
            throw new BadRequest(400, p == from ? "the request line has no method" : "the method is not a token");
        }
        String method = method(b, from, p);
        int ts = ++p;
        while (b[p] != ' ' && b[p] != CR) {
            int c = b[p] & 0xff;
            if (c <= 0x20 || c >= 0x7f) {
                throw new BadRequest(400, "the request target has a control, space or non-ASCII byte");
            }
            p++;
        }
        if (p == ts || b[p] != ' ') {
            throw new BadRequest(400, p == ts ? "the request line has no target" : "the request line has no version");
        }
        String target = new String(b, ts, p - ts, StandardCharsets.ISO_8859_1);
        int vs = ++p;
        HttpVersion version = version(b, vs, headEnd);
        p = vs + 8;
        if (b[p] != CR) {
            throw new BadRequest(400, "junk after the HTTP version in the request line");
        }
        p += 2;

        // field-line = field-name ":" OWS field-value OWS CRLF
        int count = 0;
        int cap = 16;
        String[] names = new String[cap];
        String[] values = new String[cap];
        while (p < headEnd - 2) {
            byte first = b[p];
            if (first == ' ' || first == '\t') {
                throw new BadRequest(400, "obs-fold (a header line starting with whitespace) is not accepted");
            }
            int ns = p;
            while (Tokens.isTchar(b[p])) {
                p++;
            }
            if (b[p] != ':' || p == ns) {
                throw new BadRequest(
                        400,
                        p == ns
                                ? "a header line has no field name"
                                : (b[p] == ' ' || b[p] == '\t')
                                        ? "whitespace between a header field name and its colon"
                                        : "a header field name is not a token");
            }
            String name = FieldNames.name(b, ns, p);
            p++;
            while (b[p] == ' ' || b[p] == '\t') {
                p++;
            }
            int vStart = p;
            int vEnd = p;
            while (b[p] != CR) {
                int c = b[p] & 0xff;
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw new BadRequest(400, "header " + name + " has a control character in its value");
                }
                p++;
                if (c != ' ' && c != '\t') {
                    vEnd = p;
                }
            }
            String value = vEnd == vStart ? "" : new String(b, vStart, vEnd - vStart, StandardCharsets.ISO_8859_1);
            if (count == cap) {
                cap *= 2;
                names = Arrays.copyOf(names, cap);
                values = Arrays.copyOf(values, cap);
            }
            names[count] = name;
            values[count] = value;
            count++;
            p += 2;
        }
        Headers headers = HeadersAccess.wrap(names, values, count);
        return frame(method, target, version, headers, names, values, count);
    }

    /** RFC 9112 §6.3: decides how the body is delimited, and the connection's fate, from the fields. */
    private RequestHead frame(
            String method,
            String target,
            HttpVersion version,
            Headers headers,
            String[] names,
            String[] values,
            int count) {
        long contentLength = -1;
        boolean chunked = false;
        boolean sawTe = false;
        boolean close = false;
        boolean keepAlive = false;
        boolean expectContinue = false;
        int hosts = 0;
        for (int i = 0; i < count; i++) {
            String n = names[i];
            // FieldNames canonicalises the names below, so identity comparisons suffice for them.
            if (n == FieldNames.CONTENT_LENGTH) {
                if (contentLength >= 0) {
                    throw new BadRequest(400, "Content-Length appears more than once");
                }
                contentLength = parseContentLength(values[i]);
            } else if (n == FieldNames.TRANSFER_ENCODING) {
                if (version == HttpVersion.HTTP_1_0) {
                    throw new BadRequest(400, "Transfer-Encoding in an HTTP/1.0 request");
                }
                chunked = transferCodings(values[i], chunked);
                sawTe = true;
            } else if (n == FieldNames.HOST) {
                hosts++;
                checkHost(values[i]);
            } else if (n == FieldNames.CONNECTION) {
                String v = values[i];
                if (Tokens.listContains(v, "close")) {
                    close = true;
                }
                if (Tokens.listContains(v, "keep-alive")) {
                    keepAlive = true;
                }
            } else if (n == FieldNames.EXPECT) {
                if (values[i].equalsIgnoreCase("100-continue")) {
                    expectContinue = true;
                } else {
                    throw new BadRequest(417, "Expect: " + values[i] + " is not supported (only 100-continue)");
                }
            }
        }
        if (sawTe) {
            if (contentLength >= 0) {
                throw new BadRequest(400, "Transfer-Encoding together with Content-Length");
            }
            if (!chunked) {
                throw new BadRequest(400, "Transfer-Encoding without chunked as its last coding");
            }
        }
        if (version == HttpVersion.HTTP_1_1 && hosts != 1) {
            throw new BadRequest(400, hosts == 0 ? "an HTTP/1.1 request without Host" : "more than one Host field");
        }
        if (hosts > 1) {
            throw new BadRequest(400, "more than one Host field");
        }
        if (contentLength > limits.maxBodySize()) {
            throw new BadRequest(
                    413,
                    "Content-Length " + contentLength + " is past the limit of " + limits.maxBodySize() + " bytes");
        }
        boolean keepAlive10 = version == HttpVersion.HTTP_1_0 && keepAlive && !close;
        if (version == HttpVersion.HTTP_1_0 && !keepAlive) {
            close = true;
        }
        if (!expectContinue || version == HttpVersion.HTTP_1_0) {
            expectContinue = false; // a 1.0 client cannot understand 100 (RFC 9110 §10.1.1)
        }
        int pathAt = pathStart(method, target);
        int queryAt = target.indexOf('?', pathAt);
        return new RequestHead(
                method,
                target,
                version,
                headers,
                contentLength,
                chunked,
                close,
                keepAlive10,
                expectContinue,
                pathAt,
                queryAt);
    }

    /**
     * Host = uri-host [ ":" port ] (RFC 9110 §7.2): reg-name, IPv4 or IP-literal characters only, so that a Host
     * with spaces, slashes or an '@' (which a proxy and this server might read differently) is refused.
     */
    private static void checkHost(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._~%!$&'()*+,;=:[]".indexOf(c) >= 0;
            if (!ok) {
                throw new BadRequest(400, "the Host field is not a host[:port]");
            }
        }
    }

    private static long parseContentLength(String v) {
        int n = v.length();
        if (n == 0 || n > 18) {
            throw new BadRequest(400, n == 0 ? "empty Content-Length" : "Content-Length too large to be real");
        }
        long value = 0;
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw new BadRequest(
                        400, "Content-Length is not a number (" + (c == ',' ? "a list" : "non-digit") + ")");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * Applies one Transfer-Encoding field's codings to the state so far (whether chunked came, last). Only chunked is
     * understood (501 for others); chunked must be last and appear once.
     */
    private static boolean transferCodings(String value, boolean chunkedSoFar) {
        boolean chunked = chunkedSoFar;
        int n = value.length();
        int i = 0;
        while (i <= n) {
            int comma = value.indexOf(',', i);
            int end = comma < 0 ? n : comma;
            int a = i;
            int z = end;
            while (a < z && (value.charAt(a) == ' ' || value.charAt(a) == '\t')) {
                a++;
            }
            while (z > a && (value.charAt(z - 1) == ' ' || value.charAt(z - 1) == '\t')) {
                z--;
            }
            if (z > a) {
                if (chunked) {
                    throw new BadRequest(400, "a transfer coding after chunked");
                }
                if (z - a == 7 && value.regionMatches(true, a, "chunked", 0, 7)) {
                    chunked = true;
                } else {
                    String coding = value.substring(a, z);
                    for (int k = 0; k < coding.length(); k++) {
                        if (!Tokens.isTchar((byte) coding.charAt(k))
                                && coding.charAt(k) != ';'
                                && coding.charAt(k) != '='
                                && coding.charAt(k) != ' ') {
                            throw new BadRequest(400, "malformed Transfer-Encoding");
                        }
                    }
                    throw new BadRequest(501, "transfer coding \"" + coding + "\" is not implemented");
                }
            }
            i = end + 1;
        }
        return chunked;
    }

    private static HttpVersion version(byte[] b, int p, int headEnd) {
        if (headEnd - p < 10
                || b[p] != 'H'
                || b[p + 1] != 'T'
                || b[p + 2] != 'T'
                || b[p + 3] != 'P'
                || b[p + 4] != '/'
                || !isDigit(b[p + 5])
                || b[p + 6] != '.'
                || !isDigit(b[p + 7])) {
            throw new BadRequest(400, "malformed HTTP version in the request line");
        }
        if (b[p + 5] == '1' && b[p + 7] == '1') {
            return HttpVersion.HTTP_1_1;
        }
        if (b[p + 5] == '1' && b[p + 7] == '0') {
            return HttpVersion.HTTP_1_0;
        }
        throw new BadRequest(505, "HTTP version " + (char) b[p + 5] + "." + (char) b[p + 7] + " is not supported");
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Where the path starts: 0 for origin-form; past scheme and authority for absolute-form (RFC 9112 §3.2). */
    private static int pathStart(String method, String target) {
        char c0 = target.charAt(0);
        if (c0 == '/') {
            return 0;
        }
        if (target.equals("*")) {
            if (!method.equals("OPTIONS")) {
                throw new BadRequest(400, "the target * is for OPTIONS only");
            }
            return 0;
        }
        if (method.equals("CONNECT")) {
            return 0; // authority-form
        }
        int scheme = target.indexOf("://");
        if (scheme > 0) {
            for (int i = 0; i < scheme; i++) {
                char c = target.charAt(i);
                if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
                    throw new BadRequest(400, "malformed request target");
                }
            }
            int slash = target.indexOf('/', scheme + 3);
            int q = target.indexOf('?', scheme + 3);
            if (slash < 0 || (q >= 0 && q < slash)) {
                return q >= 0 ? q : target.length();
            }
            return slash;
        }
        throw new BadRequest(400, "malformed request target (not origin-form, absolute-form or *)");
    }

    /** Interns the common methods: no allocation for them. */
    private static String method(byte[] b, int from, int to) {
        int n = to - from;
        if (n == 3 && b[from] == 'G' && b[from + 1] == 'E' && b[from + 2] == 'T') {
            return GET;
        }
        if (n == 4 && b[from] == 'P' && b[from + 1] == 'O' && b[from + 2] == 'S' && b[from + 3] == 'T') {
            return POST;
        }
        if (n == 4 && b[from] == 'H' && b[from + 1] == 'E' && b[from + 2] == 'A' && b[from + 3] == 'D') {
            return HEAD;
        }
        String m = new String(b, from, n, StandardCharsets.ISO_8859_1);
        return switch (m) {
            case "PUT" -> "PUT";
            case "DELETE" -> "DELETE";
            case "PATCH" -> "PATCH";
            case "OPTIONS" -> "OPTIONS";
            default -> m;
        };
    }
}
