package dev.spindle.http;

import dev.spindle.gen.AsyncIterable;
import java.io.InputStream;

/**
 * A request's body, read from the connection as the handler asks (backpressure: nothing more is read than asked
 * for): as chunks with a for-each, into an array, or whole with a size cap. Content-Length and chunked bodies read
 * alike; the chunked framing and trailers never reach the handler.
 *
 * {@snippet :
 * for (byte[] chunk : request.body()) {   // each chunk as it arrives, at most 16 KiB
 *     digest.update(chunk);
 * }
 * byte[] all = request.body().readAll(1 << 20); // or whole, at most 1 MiB (413 past it)
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> The handler's coroutine only.
 *   <li><b>100-continue.</b> A client that sent {@code Expect: 100-continue} is told to go on at the first read,
 *       never before: a handler that answers without reading saves the client the upload.
 *   <li><b>Deadlines.</b> Each read waits at most {@link HttpServerOptions#bodyTimeout()} for bytes; past it the
 *       read throws {@link HttpError} 408 and the connection will be closed.
 *   <li><b>Errors.</b> A malformed chunked body throws {@link HttpError} 400; more than
 *       {@link HttpLimits#maxBodySize()} throws {@link HttpError} 413; a client that closed mid-body throws
 *       {@link HttpError} 400 ("incomplete body"). After any of them the connection is closed once the handler
 *       returns.
 * </ul>
 */
public interface RequestBody extends AsyncIterable<byte[]> {
    /** The declared length (Content-Length), or -1 for a chunked body. 0 for a request without a body. */
    long contentLength();

    /** Whether the request has a body at all (a Content-Length above 0, or chunked). */
    boolean isPresent();

    /**
     * Reads up to {@code len} bytes into {@code dst[off, off + len)}, waiting until at least one is there. Returns the
     * count, or -1 at the end of the body.
     */
    int read(byte[] dst, int off, int len);

    /**
     * The rest of the body as one array.
     *
     * @param maxBytes the most bytes accepted; a longer body throws {@link HttpError} 413 (a declared Content-Length
     *     past it fails before anything is read)
     */
    byte[] readAll(int maxBytes);

    /** {@link #readAll(int)} capped at {@link HttpLimits#maxBodySize()} (clamped to the largest array). */
    byte[] readAll();

    /** The body as an {@link InputStream} (blocking reads park the coroutine); closing it does not close anything. */
    InputStream asInputStream();

    /** Whether the whole body has been read (always true for a request without a body). */
    boolean isFullyRead();
}
