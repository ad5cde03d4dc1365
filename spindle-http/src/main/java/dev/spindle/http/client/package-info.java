/**
 * An HTTP/1.1 client on Spindle's loop (httpx's job): {@link dev.spindle.http.client.HttpClient} sends
 * {@link dev.spindle.http.client.ClientRequest}s over a pool of keep-alive connections per origin and returns
 * {@link dev.spindle.http.client.ClientResponse}s, each call straight-line code that suspends only its coroutine.
 *
 * {@snippet :
 * Spindle.run(() -> {
 *     try (HttpClient client = HttpClient.create()) {
 *         ClientResponse r = client.get("https://www.example.com/");
 *         System.out.println(r.status() + " " + r.text().length());
 *     }
 * });
 * }
 *
 * <h2>The pieces</h2>
 * <ul>
 *   <li>{@link dev.spindle.http.client.HttpClient} and its builder: base URL, default headers, timeouts, pool limits,
 *       redirects, TLS, body cap, decompression, and an opt-in {@link dev.spindle.http.client.CookieJar} (RFC 6265).
 *   <li>{@link dev.spindle.http.client.ClientRequest} with {@link dev.spindle.http.client.Content} (bytes, text, JSON,
 *       forms, streams, files sent with the connection's sendFile, multipart/form-data with files streamed from disk); {@link dev.spindle.http.client.ClientResponse} (whole or streamed body, trailers, history).
 *   <li>{@link dev.spindle.http.client.Timeouts} (connect, read, write, pool, deadline) and
 *       {@link dev.spindle.http.client.PoolLimits}.
 *   <li>Errors: {@link dev.spindle.http.client.HttpTimeout}, {@link dev.spindle.http.client.ProtocolError},
 *       {@link dev.spindle.http.client.TooManyRedirects}, {@link dev.spindle.http.client.BodyTooLarge},
 *       {@link dev.spindle.http.client.HttpStatusError}; network failures are core's
 *       {@link dev.spindle.io.StreamError}s.
 * </ul>
 *
 * <h2>Not here, on purpose</h2>
 * No proxies (HTTP_PROXY, CONNECT tunnels, the JDK's ProxySelector are ignored: connections go to the URL's host), no
 * HTTP/2 (ALPN offers only http/1.1). WebSocket clients live in their own package. A
 * {@link dev.spindle.http.client.Connector} replaces the dial where the connection comes from elsewhere (an
 * in-process server over a memory pair, a Unix domain socket).
 */
package dev.spindle.http.client;
