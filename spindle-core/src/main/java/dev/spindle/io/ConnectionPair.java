package dev.spindle.io;

import java.util.Objects;

/**
 * Two connections joined to each other in memory, made by {@link Streams#memoryPair()}: what {@link #first()} writes,
 * {@link #second()} reads, and the other way round. Closing the pair closes both.
 *
 * {@snippet :
 * try (ConnectionPair p = Streams.memoryPair()) {
 *     p.first().writer().write("ping\n".getBytes(UTF_8));
 *     byte[] line = p.second().reader().readLine(); // "ping\n"
 * }
 * }
 *
 * <p>Loop-confined like its connections.
 *
 * @param first one end
 * @param second the other end
 */
public record ConnectionPair(Connection first, Connection second) implements AutoCloseable {
    public ConnectionPair {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
    }

    /** {@link Connection#close()} on both ends: each sends what it has buffered, then closes. */
    @Override
    public void close() {
        try {
            first.close();
        } finally {
            second.close();
        }
    }
}
