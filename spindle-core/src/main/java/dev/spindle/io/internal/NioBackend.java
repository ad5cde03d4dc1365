package dev.spindle.io.internal;

import dev.spindle.loop.internal.EventLoop;
import java.io.IOException;
import java.net.SocketAddress;

/** Not API: JDK channels on the loop's own {@link SelectorPoller}. Work in progress (issue 4). */
final class NioBackend implements NetBackend {
    static final NioBackend INSTANCE = new NioBackend();

    private NioBackend() {}

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public Transport connect(EventLoop loop, SocketAddress remote) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Listener listen(EventLoop loop, SocketAddress local, int backlog, boolean reusePort) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }
}
