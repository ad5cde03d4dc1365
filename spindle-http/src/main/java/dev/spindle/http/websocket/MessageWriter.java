package dev.spindle.http.websocket;

import java.io.OutputStream;

/**
 * A message of unknown length being sent as fragments (RFC 6455 §5.4), from {@link WebSocket#startTextMessage()} or
 * {@link WebSocket#startBinaryMessage()}: writes gather bytes, a frame goes out each time
 * {@link WebSocketOptions#fragmentSize()} bytes (64 KiB by default) are gathered, and {@link #close()} sends the
 * rest as the final frame.
 *
 * {@snippet :
 * try (MessageWriter out = ws.startTextMessage()) {
 *     for (String row : rows) {       // a large report, produced as it is read
 *         out.write(row);
 *     }
 * }                                   // the final frame: the peer now receives one text message
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>One message at a time.</b> Until {@link #close()}, other coroutines' data messages ({@code send}, another
 *       stream) wait; pings, pongs and the close frame may go between the fragments, as the RFC allows. Use a writer
 *       from the coroutine that started it, and always close it (try-with-resources), or the WebSocket's other
 *       senders wait forever.
 *   <li><b>Backpressure.</b> A write that sends a frame waits while the connection's send buffer is above its
 *       high-water mark, as {@link WebSocket#send(String)} does.
 *   <li><b>Text.</b> The message's bytes as a whole must be UTF-8 (a frame may end inside a character); {@link
 *       #write(String)} always gives UTF-8. The receiver checks it (1007 otherwise).
 *   <li><b>Compression.</b> With permessage-deflate, the message is one deflate stream, each frame flushed.
 *   <li><b>Cancellation and failures.</b> A cancelled write has sent or gathered its bytes (a frame is never cut).
 *       If the final frame cannot be sent ({@link #close()} cancelled, or failing other than by the WebSocket being
 *       closed), the message cannot be finished and the connection is aborted (the peer sees 1006). After the
 *       WebSocket closes, writes throw {@link WebSocketClosed}.
 * </ul>
 */
public interface MessageWriter extends AutoCloseable {
    /** Adds {@code data} to the message, sending a frame whenever a fragment's worth is gathered. */
    void write(byte[] data);

    /** {@link #write(byte[])} of {@code data[off, off + len)}. */
    void write(byte[] data, int off, int len);

    /** {@link #write(byte[])} of {@code text} in UTF-8. */
    void write(String text);

    /** Sends what is gathered now as a (non-final) frame, if anything is; waits like a write that sends a frame. */
    void flush();

    /** Sends what is gathered as the final frame and ends the message; closing twice does nothing more. */
    @Override
    void close();

    /** This writer as an {@link OutputStream} (closing the stream closes the message). */
    OutputStream asOutputStream();
}
