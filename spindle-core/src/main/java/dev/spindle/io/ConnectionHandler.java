package dev.spindle.io;

/**
 * What a {@link Server} runs for each connection it accepts (asyncio's {@code client_connected_cb}), as a task of its
 * own. The connection is closed when the handler returns (after what is buffered is sent) or throws (at once).
 *
 * {@snippet :
 * ConnectionHandler echo = (reader, writer) -> {
 *     byte[] data;
 *     while ((data = reader.read(65536)).length > 0) {
 *         writer.write(data);
 *         writer.drain();
 *     }
 * };
 * }
 *
 * <p>An exception thrown by the handler ends only its connection; it goes to the loop's
 * {@linkplain dev.spindle.loop.Loop#exceptionHandler() exception handler} with the peer's address in the message,
 * and the server keeps serving. A handler cancelled (the server's loop shutting down) just ends.
 */
@FunctionalInterface
public interface ConnectionHandler {
    /** Serves one connection; runs in the connection's own task, named {@code conn-<peer>}. */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}
