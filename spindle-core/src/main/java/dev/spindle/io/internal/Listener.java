package dev.spindle.io.internal;

import java.io.IOException;
import java.net.SocketAddress;

/** Not API: a listening socket of a {@link NetBackend}. Loop-confined; {@link #accept} waits in a coroutine. */
public interface Listener extends AutoCloseable {
    /** Waits for the next connection and returns it. @throws java.nio.channels.ClosedChannelException once closed */
    Transport accept() throws IOException;

    SocketAddress localAddress();

    boolean isOpen();

    /** Stops listening; a coroutine waiting in {@link #accept} fails with {@code ClosedChannelException}. */
    @Override
    void close();
}
