package dev.spindle.http.client;

/**
 * A response body read whole ({@link ClientResponse#bytes()}, {@link ClientResponse#text()}, or
 * {@link HttpClient#send}) was larger than the cap ({@link HttpClient.Builder#maxBodySize}, after decompression).
 * The connection is closed; stream the body with {@link HttpClient#stream} to read more.
 *
 * {@snippet :
 * try {
 *     client.get(url);
 * } catch (BodyTooLarge e) {
 *     System.out.println(e.limit()); // 67108864
 * }
 * }
 */
public final class BodyTooLarge extends RuntimeException {
    private final long limit;

    public BodyTooLarge(String message, long limit) {
        super(message);
        this.limit = limit;
    }

    /** The cap that was passed, in bytes. */
    public long limit() {
        return limit;
    }
}
