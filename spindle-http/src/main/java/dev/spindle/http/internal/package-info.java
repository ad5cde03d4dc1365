/**
 * The HTTP/1.1 machinery behind {@code dev.spindle.http}: the codec (pure bytes in, values out: {@code RequestParser},
 * {@code ChunkedDecoder}, {@code ResponseHead}, {@code ChunkedEncoder}, {@code DateCache}), the connection
 * ({@code Http1Connection}: one coroutine per connection, keep-alive, pipelining, deadlines) and the server's loops
 * ({@code LoopServer}, {@code ServerGroup}); {@code ServerContext} is what a connection reads of its server, shared
 * by a loop's connections or made for one served alone. Not API.
 */
package dev.spindle.http.internal;
