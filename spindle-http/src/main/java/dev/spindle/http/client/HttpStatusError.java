package dev.spindle.http.client;

/**
 * Thrown by {@link ClientResponse#raiseForStatus()} for a 4xx or 5xx response (httpx's {@code HTTPStatusError}).
 * The response is still there, with its body if it was read.
 *
 * {@snippet :
 * try {
 *     client.get(url).raiseForStatus();
 * } catch (HttpStatusError e) {
 *     System.out.println(e.response().status() + " " + e.response().text());
 * }
 * }
 */
public final class HttpStatusError extends RuntimeException {
    private final transient ClientResponse response;

    public HttpStatusError(String message, ClientResponse response) {
        super(message);
        this.response = response;
    }

    /** The failing response. */
    public ClientResponse response() {
        return response;
    }

    /** Its status code. */
    public int status() {
        return response.status();
    }
}
