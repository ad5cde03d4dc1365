package dev.spindle.http.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * A request body: bytes known in advance, or a stream of chunks (httpx's {@code content=}, {@code data=} and
 * {@code json=} arguments). Immutable; a byte body may be sent any number of times (so a request with one can be
 * retried and redirected with 307/308), a streamed body once.
 *
 * {@snippet :
 * client.post(url, Content.json("{\"name\":\"Ada\"}"));
 * client.post(url, Content.form(Map.of("q", "spindle")));
 * client.post(url, Content.of(bytes, "image/png"));
 * // streamed: chunked, each chunk written then drained (backpressure)
 * client.post(url, Content.stream(Files.readAllLines(path).stream().map(l -> (l + "\n").getBytes()).toList()));
 * }
 *
 * <p>A streamed body is sent with {@code Transfer-Encoding: chunked} unless its length is given, in which case
 * exactly that many bytes must come (else the request fails and its connection is closed). The iterable is read in
 * the requesting coroutine, so it may be an {@link dev.spindle.gen.AsyncIterator} or a generator that suspends.
 */
public final class Content {
    private final byte[] bytes;
    private final Iterable<byte[]> chunks;
    private final long length;
    private final String contentType;

    private Content(byte[] bytes, Iterable<byte[]> chunks, long length, String contentType) {
        this.bytes = bytes;
        this.chunks = chunks;
        this.length = length;
        this.contentType = contentType;
    }

    /** These bytes (not copied: do not change them until the request is done), with this Content-Type or null. */
    public static Content of(byte[] bytes, String contentType) {
        Objects.requireNonNull(bytes, "bytes");
        return new Content(bytes, null, bytes.length, contentType);
    }

    /** Bytes as {@code application/octet-stream}. */
    public static Content of(byte[] bytes) {
        return of(bytes, "application/octet-stream");
    }

    /** Text as UTF-8, {@code text/plain; charset=utf-8}. */
    public static Content text(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    /** JSON text you have serialised (no JSON library is bundled), as {@code application/json}. */
    public static Content json(String json) {
        return of(json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** An HTML form, {@code application/x-www-form-urlencoded}, fields in the map's iteration order. */
    public static Content form(Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> {
            if (!b.isEmpty()) {
                b.append('&');
            }
            b.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return of(b.toString().getBytes(StandardCharsets.US_ASCII), "application/x-www-form-urlencoded");
    }

    /** Chunks of unknown total length, sent chunked, as {@code application/octet-stream}. */
    public static Content stream(Iterable<byte[]> chunks) {
        return stream(chunks, -1, "application/octet-stream");
    }

    /**
     * Chunks totalling {@code length} bytes (sent with that Content-Length), or -1 for unknown (sent chunked).
     *
     * @param contentType the Content-Type, or null for none
     */
    public static Content stream(Iterable<byte[]> chunks, long length, String contentType) {
        Objects.requireNonNull(chunks, "chunks");
        if (length < -1) {
            throw new IllegalArgumentException("length must be -1 (unknown) or more, not " + length);
        }
        return new Content(null, chunks, length, contentType);
    }

    /** The length in bytes, or -1 if unknown. */
    public long length() {
        return length;
    }

    /** The Content-Type sent (unless the request sets its own), or null. */
    public String contentType() {
        return contentType;
    }

    /** Whether the body can be sent again (retries, 307/308 redirects): true for byte bodies. */
    public boolean isReplayable() {
        return bytes != null;
    }

    /** The bytes of a byte body, or null for a stream (not copied). */
    public byte[] bytes() {
        return bytes;
    }

    /** The chunks of a streamed body, or null for bytes. */
    public Iterable<byte[]> chunks() {
        return chunks;
    }

    @Override
    public String toString() {
        return "Content[" + (bytes != null ? bytes.length + " bytes" : "stream, " + (length < 0 ? "chunked" : length))
                + (contentType == null ? "" : ", " + contentType) + "]";
    }
}
