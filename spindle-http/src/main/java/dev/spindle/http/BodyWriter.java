package dev.spindle.http;

import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A response body being streamed. Each write hands the bytes to the connection and waits only while the client
 * lags (more than the writer's high-water mark buffered), at most {@link HttpServerOptions#writeTimeout()}.
 *
 * {@snippet :
 * try (BodyWriter out = res.stream()) {
 *     out.write("part 1\n");
 *     out.flush();          // now, not with the next writes (a progress line, say)
 *     out.write("part 2\n");
 * }                         // the last chunk; the connection goes on to the next request
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Framing.</b> Chunked, unless a Content-Length was set (then exactly that many bytes, or the connection is
 *       closed) or the client is HTTP/1.0 (then the end is the connection's close).
 *   <li><b>Compression.</b> When gzip applies, bytes are compressed as they come; {@link #flush()} pushes what the
 *       compressor holds (a sync flush) so that the client sees it now.
 *   <li><b>Closing.</b> {@link #close()} ends the body; the handler returning closes it too.
 * </ul>
 */
public interface BodyWriter extends AutoCloseable {
    void write(byte[] data);

    void write(byte[] data, int off, int len);

    /** Writes {@code src}'s remaining bytes. */
    void write(ByteBuffer src);

    /** Writes {@code text} as UTF-8. */
    void write(String text);

    /** Sends what is buffered (compressor included) now and waits until the connection has room. */
    void flush();

    /** Ends the body (the last chunk). Idempotent. */
    @Override
    void close();

    /** This writer as an {@link OutputStream}; closing the stream closes the writer. */
    OutputStream asOutputStream();
}
