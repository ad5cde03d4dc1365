package dev.spindle.http.client;

/**
 * A request followed more redirects than {@link HttpClient.Builder#maxRedirects} allows (httpx's
 * {@code TooManyRedirects}). The last response is closed; its URL and the chain are in the message.
 *
 * {@snippet :
 * try {
 *     client.send(ClientRequest.get(url).followRedirects(true).build());
 * } catch (TooManyRedirects e) {
 *     System.out.println(e.getMessage()); // "more than 20 redirects: ... -> ..."
 * }
 * }
 */
public final class TooManyRedirects extends RuntimeException {
    public TooManyRedirects(String message) {
        super(message);
    }
}
