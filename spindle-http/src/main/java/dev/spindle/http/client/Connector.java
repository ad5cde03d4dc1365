package dev.spindle.http.client;

import dev.spindle.io.Connection;

/**
 * Opens the connections an {@link HttpClient} sends its requests over, in place of dialing the URL's host
 * ({@link HttpClient.Builder#connector}). For connections that are not a TCP dial: an in-process server over
 * {@link dev.spindle.io.Streams#memoryPair()}, a Unix domain socket, a tunnel.
 *
 * {@snippet :
 * HttpClient client = HttpClient.builder()
 *         .connector((host, port, tls) -> Streams.openUnixConnection(Path.of("/run/app.sock")))
 *         .build();
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>When.</b> Called in the requesting coroutine, on its loop, whenever the loop's pool has no idle connection
 *       to the origin; the connection returned must belong to that loop. Bounded by the client's connect timeout.
 *   <li><b>TLS.</b> For an https origin ({@code tls} true) the connector returns a connection that is already
 *       secure if it should be; the client starts no TLS over what it is given.
 *   <li><b>Ownership.</b> The client owns the connection returned: it pools it, and closes it on errors and on
 *       {@link HttpClient#close()}.
 *   <li><b>Errors.</b> What the connector throws reaches the request's caller unchanged (a
 *       {@link dev.spindle.io.StreamError} for a refused connection, like the client's own dial).
 * </ul>
 */
@FunctionalInterface
public interface Connector {
    /**
     * A connection to {@code host} and {@code port} of the request's URL (the scheme's default port if it names
     * none).
     *
     * @param tls whether the URL is https
     */
    Connection connect(String host, int port, boolean tls);
}
