package dev.spindle.http.client;

import dev.spindle.gen.AsyncIterator;
import dev.spindle.http.Headers;
import dev.spindle.http.HttpVersion;
import dev.spindle.http.client.internal.ResponseBody;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A response: status, headers, and a body read whole ({@link #bytes()}, {@link #text()}) or streamed
 * ({@link #chunks()}). From {@link HttpClient#send} the body is already read; from {@link HttpClient#stream} it is
 * read as you iterate, and the response must be closed (try-with-resources).
 *
 * {@snippet :
 * ClientResponse r = client.get("https://example.com/");
 * System.out.println(r.status() + " " + r.headers().get("Content-Type"));
 * String html = r.text();
 *
 * try (ClientResponse big = client.stream(ClientRequest.get(url).build())) {
 *     for (byte[] chunk : big.chunks()) { // read from the socket as the loop asks: backpressure
 *         out.write(chunk);
 *     }
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Use a response from coroutines of the loop that sent the request, one at a time.
 *   <li><b>The connection.</b> It goes back to the pool when the body has been read to its end; {@link #close()}
 *       before that closes the connection (reading the rest could take forever). A failure, timeout or cancellation
 *       while reading the body closes it too, and it is never handed to another request.
 *   <li><b>Decoding.</b> A gzip or deflate body is decoded as it is read ({@code Content-Encoding} and
 *       {@code Content-Length} still describe the bytes on the wire), unless the client was built with
 *       {@link HttpClient.Builder#decompress decompress(false)}.
 *   <li><b>Timeouts.</b> Each read waits at most the read timeout; {@link HttpClient#send}'s whole-request deadline
 *       covers its body, a streamed body is read at your pace.
 * </ul>
 */
public final class ClientResponse implements AutoCloseable {
    private final ClientRequest request;
    private final URI url;
    private final HttpVersion version;
    private final int status;
    private final String reason;
    private final Headers headers;
    private final ResponseBody body;
    private final long maxBodySize;
    private List<ClientResponse> history = List.of();

    private byte[] content;
    private boolean streamed;

    ClientResponse(
            ClientRequest request,
            URI url,
            HttpVersion version,
            int status,
            String reason,
            Headers headers,
            ResponseBody body,
            long maxBodySize) {
        this.request = request;
        this.url = url;
        this.version = version;
        this.status = status;
        this.reason = reason;
        this.headers = headers;
        this.body = body;
        this.maxBodySize = maxBodySize;
    }

    /** The request this answers (after redirects: the last one sent). */
    public ClientRequest request() {
        return request;
    }

    /** The absolute URL this response came from (after redirects: the last one). */
    public URI url() {
        return url;
    }

    public HttpVersion version() {
        return version;
    }

    /** The status code: 200, 404... */
    public int status() {
        return status;
    }

    /** The reason phrase as the server sent it (may be empty). */
    public String reason() {
        return reason;
    }

    /** The header fields, read-only. */
    public Headers headers() {
        return headers;
    }

    /** The redirect responses followed to get here, oldest first (their bodies are not kept). */
    public List<ClientResponse> history() {
        return history;
    }

    void history(List<ClientResponse> h) {
        history = List.copyOf(h);
    }

    /** 2xx. */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** A redirect this client knows how to follow: 301, 302, 303, 307 or 308 with a Location. */
    public boolean isRedirect() {
        return switch (status) {
            case 301, 302, 303, 307, 308 -> headers.contains("Location");
            default -> false;
        };
    }

    /**
     * Throws for a 4xx or 5xx status; returns this otherwise, for chaining.
     *
     * @throws HttpStatusError naming the status and the request
     */
    public ClientResponse raiseForStatus() {
        if (status >= 400) {
            throw new HttpStatusError(
                    (status < 500 ? "client error " : "server error ") + status + " " + reason + " for "
                            + request.method() + " " + url,
                    this);
        }
        return this;
    }

    /**
     * The whole body, decoded, read now if it was not yet (and kept: calling again returns the same array).
     *
     * @throws BodyTooLarge past the client's {@link HttpClient.Builder#maxBodySize cap}; the connection is closed
     * @throws ProtocolError if the body is malformed or cut short
     * @throws IllegalStateException if the body was streamed with {@link #chunks()} or the response closed first
     */
    public byte[] bytes() {
        if (content != null) {
            return content;
        }
        if (streamed) {
            throw new IllegalStateException("the body was already streamed with chunks()");
        }
        if (body.isClosedEarly()) {
            throw new IllegalStateException("the response was closed before its body was read");
        }
        String cl = headers.get("Content-Length");
        if (cl != null && !body.isComplete() && !headers.contains("Content-Encoding") && parseLong(cl) > maxBodySize) {
            body.close();
            throw tooLarge();
        }
        byte[] all = new byte[0];
        int n = 0;
        while (body.hasNext()) {
            byte[] chunk = body.next();
            if ((long) n + chunk.length > maxBodySize) {
                body.close();
                throw tooLarge();
            }
            if (n == 0 && !body.hasNext()) {
                all = chunk;
                n = chunk.length;
                break;
            }
            if (n + chunk.length > all.length) {
                all = Arrays.copyOf(
                        all, (int) Math.min(maxBodySize, Math.max((long) all.length * 2, n + chunk.length)));
            }
            System.arraycopy(chunk, 0, all, n, chunk.length);
            n += chunk.length;
        }
        content = n == all.length ? all : Arrays.copyOf(all, n);
        return content;
    }

    /**
     * The body as text, in the charset the Content-Type names (UTF-8 if none, or an unknown one). Reads it if needed,
     * as {@link #bytes()} does.
     */
    public String text() {
        return new String(bytes(), charset());
    }

    /** The charset named by the Content-Type's {@code charset} parameter, or UTF-8. */
    public Charset charset() {
        String ct = headers.get("Content-Type");
        if (ct != null) {
            for (String param : ct.split(";")) {
                String p = param.strip();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    String name = p.substring(8).replace("\"", "").strip();
                    try {
                        return Charset.forName(name);
                    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                        return StandardCharsets.UTF_8;
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /**
     * The body as decoded chunks, read from the connection one by one as the loop asks (for-each works). Closing
     * the iterator before the end closes the connection. Once only; after {@link #bytes()} it yields the kept bytes.
     *
     * @throws IllegalStateException if called twice
     */
    public AsyncIterator<byte[]> chunks() {
        if (content != null) {
            return new Kept(content);
        }
        if (streamed) {
            throw new IllegalStateException("chunks() was already called: a body is streamed once");
        }
        streamed = true;
        return body;
    }

    /** The trailer fields of a chunked body, once it has been read to its end; empty before and otherwise. */
    public Headers trailers() {
        Headers t = body.trailers();
        return t == null ? new Headers().readOnly() : t;
    }

    /** Closes the body: the connection is closed if the body was not read to its end. Idempotent. */
    @Override
    public void close() {
        body.close();
    }

    @Override
    public String toString() {
        return "ClientResponse[" + status + " " + reason + ", " + request.method() + " " + url + "]";
    }

    private BodyTooLarge tooLarge() {
        return new BodyTooLarge(
                "the body of " + request.method() + " " + url + " is larger than the cap of " + maxBodySize
                        + " bytes (stream it with HttpClient.stream, or raise maxBodySize)",
                maxBodySize);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The kept body, as one chunk. */
    private static final class Kept implements AsyncIterator<byte[]> {
        private byte[] b;

        Kept(byte[] b) {
            this.b = b.length == 0 ? null : b;
        }

        @Override
        public boolean hasNext() {
            return b != null;
        }

        @Override
        public byte[] next() {
            if (b == null) {
                throw new NoSuchElementException();
            }
            byte[] r = b;
            b = null;
            return r;
        }

        @Override
        public void close() {
            b = null;
        }
    }
}
