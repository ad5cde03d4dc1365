package dev.spindle.io;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A failure of a stream operation: the base of {@link IncompleteRead}, {@link LimitOverrun} and
 * {@link ConnectionLost}, and what a failed connect or a failed name lookup throws. Unchecked, like every Spindle
 * exception; the {@linkplain #getCause() cause} is always the underlying {@link IOException} (an
 * {@link java.io.EOFException} for an early end of stream, a {@link java.net.ConnectException} for a refused
 * connect, for instance).
 *
 * {@snippet :
 * try {
 *     Connection c = Streams.openConnection("example.com", 80);
 * } catch (StreamError e) {
 *     System.err.println(e.getMessage()); // could not connect to example.com:80 ...
 * }
 * }
 */
public class StreamError extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    public StreamError(String message, IOException cause) {
        super(message, cause);
    }
}
