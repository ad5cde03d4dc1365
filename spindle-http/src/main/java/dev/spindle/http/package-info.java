/**
 * An HTTP/1.1 server on Spindle's loop (uvicorn's job): one connection is one coroutine, a {@link
 * dev.spindle.http.Handler} is straight-line code that may block, and the parser is Spindle's own.
 *
 * {@snippet :
 * HttpServer server = HttpServer.start((req, res) -> {
 *     switch (req.path()) {
 *         case "/" -> res.send("Hello, World!");
 *         case "/upload" -> res.send("got " + req.body().readAll().length + " bytes");
 *         default -> res.status(404).send("not found");
 *     }
 * }, HttpServerOptions.builder().port(8080).build());
 * server.serveUntilSignal();
 * }
 *
 * <h2>The pieces</h2>
 * <ul>
 *   <li>{@link dev.spindle.http.HttpServer} starts, serves and shuts down, on one loop or one per core;
 *       {@link dev.spindle.http.HttpServerOptions} and {@link dev.spindle.http.HttpLimits} hold every knob and its
 *       default. {@link dev.spindle.http.HttpServer#serveConnection} serves one connection no listener accepted
 *       (one end of a {@link dev.spindle.io.Streams#memoryPair()}: an in-process test client) with the same code.
 *   <li>{@link dev.spindle.http.Request} (with its {@link dev.spindle.http.RequestBody}) and
 *       {@link dev.spindle.http.Response} (with {@link dev.spindle.http.BodyWriter},
 *       {@link dev.spindle.http.EventStream} and {@link dev.spindle.http.Upgraded}) are what a framework builds on:
 *       nothing is copied or decoded that the framework might not need.
 *   <li>{@link dev.spindle.http.Headers}: case-insensitive names, repeated fields in order.
 * </ul>
 *
 * <h2>What the parser refuses (RFC 9112), each answered and the connection closed</h2>
 * <ul>
 *   <li>400: a bare CR or LF; obs-fold (a field line starting with whitespace); whitespace before a field's colon or
 *       inside its name; a method or field name that is not a token; control characters in the target or a value;
 *       a missing or repeated Host in HTTP/1.1; two Content-Length values that differ, or a list, or a non-digit one;
 *       Transfer-Encoding together with Content-Length; Transfer-Encoding in HTTP/1.0; chunked not last; a chunk size
 *       that is empty, signed, {@code 0x}-prefixed, too long or followed by malformed extensions; chunk data not
 *       followed by CRLF.
 *   <li>414 a request line past its limit; 431 too many, too long header fields or too long a head; 413 a body past
 *       its limit; 501 a transfer coding other than chunked; 505 a version other than HTTP/1.0 and 1.1; 417 an
 *       {@code Expect} other than {@code 100-continue}; 408 a head or body that stops arriving.
 * </ul>
 *
 * <h2>Room for HTTP/2</h2>
 * Request and Response are interfaces that say nothing of HTTP/1 framing; {@link dev.spindle.http.HttpVersion} has
 * HTTP_2; TLS connections carry ALPN, and an h2 codec would sit beside {@code internal.Http1Connection}, chosen by the
 * ALPN result. {@link dev.spindle.http.Response#upgrade} is HTTP/1.1's alone.
 */
package dev.spindle.http;
