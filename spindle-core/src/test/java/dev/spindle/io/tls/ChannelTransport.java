package dev.spindle.io.tls;

import dev.spindle.io.internal.Readiness;
import dev.spindle.io.internal.SelectorPoller;
import dev.spindle.io.internal.Transport;
import dev.spindle.loop.Loop;
import dev.spindle.loop.internal.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Test-only plain transport: a JDK {@link SocketChannel} on the loop's {@link SelectorPoller}, the smallest thing the
 * TLS layer can run over until the streams layer's own transport lands.
 */
final class ChannelTransport implements Transport {
    private final SocketChannel channel;
    private final Readiness readiness;

    private ChannelTransport(SocketChannel channel, Readiness readiness) {
        this.channel = channel;
        this.readiness = readiness;
    }

    static ChannelTransport of(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return new ChannelTransport(channel, poller().register(channel));
    }

    /** Connects to {@code port} on 127.0.0.1, waiting in the current coroutine. */
    static ChannelTransport connect(int port) throws IOException {
        SocketChannel ch = SocketChannel.open();
        Readiness r = poller().register(ch);
        if (!ch.connect(new InetSocketAddress("127.0.0.1", port))) {
            while (!ch.finishConnect()) {
                r.await(SelectionKey.OP_CONNECT, "connect");
            }
        }
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return new ChannelTransport(ch, r);
    }

    private static SelectorPoller poller() {
        return SelectorPoller.of((EventLoop) Loop.current());
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        while (true) {
            int n = channel.read(dst);
            if (n != 0) {
                return n;
            }
            readiness.await(SelectionKey.OP_READ, "read");
        }
    }

    @Override
    public int tryRead(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            if (channel.write(src) == 0) {
                readiness.await(SelectionKey.OP_WRITE, "write");
            }
        }
    }

    @Override
    public int tryWrite(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public SocketAddress localAddress() {
        return channel.socket().getLocalSocketAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.socket().getRemoteSocketAddress();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed anyway
        }
        readiness.closed();
    }

    /** A listening socket on 127.0.0.1 whose accept waits in a coroutine. */
    static final class Listener implements AutoCloseable {
        private final ServerSocketChannel server;
        private final Readiness readiness;

        Listener() throws IOException {
            server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            readiness = poller().register(server);
        }

        int port() {
            return server.socket().getLocalPort();
        }

        ChannelTransport accept() throws IOException {
            SocketChannel c;
            while ((c = server.accept()) == null) {
                readiness.await(SelectionKey.OP_ACCEPT, "accept");
            }
            return of(c);
        }

        @Override
        public void close() throws IOException {
            server.close();
            readiness.closed();
        }
    }
}
