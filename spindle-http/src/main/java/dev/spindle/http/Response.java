package dev.spindle.http;

import java.nio.file.Path;

/**
 * The answer to one request: a status and headers, then a body sent whole, streamed, as server-sent events or from
 * a file, or a switch to another protocol (101). The head goes out with the first body bytes ("committed"); until
 * then status and headers may change.
 *
 * {@snippet :
 * res.status(201).header("Location", "/items/7").send("created");        // fixed body, Content-Length
 *
 * try (BodyWriter out = res.contentType("text/csv").stream()) {          // chunked
 *     for (Row r : rows) {
 *         out.write(r.toCsv());                                           // waits while the client is slow
 *     }
 * }
 *
 * res.sendFile(Path.of("site/index.html"));                               // Range, ETag, 304/412 handled
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> The handler's coroutine only.
 *   <li><b>Once.</b> One of {@code send}, {@code stream}, {@code eventStream}, {@code sendFile}, {@code upgrade} per
 *       response: a second throws {@link IllegalStateException}, as does changing the status once committed.
 *   <li><b>Added by the server.</b> {@code Date}, {@code Server} (unless disabled), {@code Content-Length} or
 *       {@code Transfer-Encoding: chunked}, {@code Connection} when the connection closes or an HTTP/1.0 client
 *       keeps it; {@code Content-Encoding: gzip} and {@code Vary} when {@linkplain HttpServerOptions#gzip()
 *       compression} applies. Setting {@code Content-Length} before {@link #stream()} sends that many bytes without
 *       chunking (fewer or more is an error that closes the connection).
 *   <li><b>HEAD.</b> The head is sent as for GET, Content-Length included; body bytes are dropped.
 *   <li><b>Errors.</b> A write to a client gone away throws {@link dev.spindle.io.ConnectionLost}; a write that
 *       waits past {@link HttpServerOptions#writeTimeout()} throws {@link dev.spindle.time.TimedOut}; the
 *       connection is then closed.
 * </ul>
 */
public interface Response {
    /**
     * Sets the final status, 200..599 (interim 1xx responses are the server's: 100 Continue is sent when the
     * handler first reads the body, 101 by {@link #upgrade}).
     *
     * @return this
     * @throws IllegalStateException if committed
     * @throws IllegalArgumentException for a status out of range
     */
    Response status(int status);

    /** The status so far (200 unless set). */
    int status();

    /** The response headers: mutable until committed. */
    Headers headers();

    /** Sets one header (replacing others of the name); returns this. */
    Response header(String name, String value);

    /** Sets {@code Content-Type}; returns this. */
    Response contentType(String contentType);

    /**
     * Asks the server to close the connection after this response ({@code Connection: close}); returns this.
     */
    Response closeConnection();

    /** Sends {@code body} whole, with its Content-Length (maybe gzipped). */
    void send(byte[] body);

    /** Sends {@code body[off, off + len)} whole. */
    void send(byte[] body, int off, int len);

    /** Sends {@code text} as UTF-8, as {@code text/plain; charset=utf-8} unless a Content-Type is set. */
    void send(String text);

    /** Sends the head with an empty body ({@code Content-Length: 0}, or none for 1xx, 204 and 304). */
    void send();

    /**
     * Commits the head and returns a writer for the body: chunked, or as many bytes as a Content-Length set before
     * says, or (to an HTTP/1.0 client) delimited by closing the connection.
     */
    BodyWriter stream();

    /**
     * Commits a {@code text/event-stream} head (no caching, no compression) and returns the event writer; each event
     * is flushed as it is sent.
     */
    EventStream eventStream();

    /**
     * Sends {@code file} with {@code Content-Type} guessed from its name (unless set), {@code ETag},
     * {@code Last-Modified} and {@code Accept-Ranges}, answering the request's conditional and range headers: 304
     * (If-None-Match, If-Modified-Since), 412 (If-Match, If-Unmodified-Since), 206 for one satisfiable range (If-Range
     * honoured), 416 for none, the whole file for several.
     *
     * @throws HttpError 404 if the file does not exist or is not a regular readable file
     */
    void sendFile(Path file);

    /**
     * Switches the connection to another protocol: sends {@code 101 Switching Protocols} with {@code Upgrade:
     * protocol}, {@code Connection: Upgrade} and the headers set so far, and hands over the raw connection. The HTTP
     * layer is done with it: when the handler returns, the connection is closed. HTTP/1.1 only.
     *
     * @throws IllegalStateException if committed, or the request is HTTP/1.0, or has a body not fully read
     */
    Upgraded upgrade(String protocol);

    /** Whether the head has been sent (or is being sent). */
    boolean isCommitted();
}
