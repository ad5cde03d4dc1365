package dev.spindle.bench.jdkpoller;

import dev.spindle.io.internal.Listener;
import dev.spindle.io.internal.Transport;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A listening <em>blocking</em> {@link ServerSocketChannel} (TCP or Unix domain) of the {@link JdkPollerBackend}.
 * Loop-confined. {@link #accept} is the channel's blocking accept: the coroutine parks in the JDK's poller until a
 * connection arrives. {@link #close} from another coroutine wakes it with
 * {@link java.nio.channels.AsynchronousCloseException}; the descriptor itself is released only when the parked
 * accept has woken (the JDK defers it), so for a moment after {@code close} the port may still complete handshakes.
 * Cancelling the accepting coroutine interrupts it, which closes the listener ({@link dev.spindle.task.Cancelled}).
 *
 * <p>TCP listeners set {@code SO_REUSEADDR} and, when asked and the OS has it, {@code SO_REUSEPORT}, as the
 * {@code nio} backend does. A Unix domain listener removes its socket file on close (it does not clean up a stale
 * file before binding: bind refuses it).
 *
 * {@snippet :
 * Listener l = new JdkPollerBackend().listen(loop, new InetSocketAddress("127.0.0.1", 0), 128, false);
 * Transport t = l.accept(); // in a coroutine: parks in the JDK's poller
 * }
 */
final class JdkPollerListener implements Listener {
    private final ServerSocketChannel channel;
    private final SocketAddress local;
    /** The socket file of a Unix domain listener, {@code null} for TCP. */
    private final Path socketFile;

    private JdkPollerListener(ServerSocketChannel channel, Path socketFile) throws IOException {
        this.channel = channel;
        this.local = channel.getLocalAddress();
        this.socketFile = socketFile;
    }

    static JdkPollerListener open(SocketAddress local, int backlog, boolean reusePort) throws IOException {
        Objects.requireNonNull(local, "local");
        Path file = local instanceof UnixDomainSocketAddress unix ? unix.getPath() : null;
        ProtocolFamily family = file != null ? StandardProtocolFamily.UNIX : JdkPollerBackend.familyOf(local);
        ServerSocketChannel ch = family == null ? ServerSocketChannel.open() : ServerSocketChannel.open(family);
        try {
            if (file == null) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (reusePort && ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
            }
            ch.bind(local, backlog);
            return new JdkPollerListener(ch, file);
        } catch (IOException | RuntimeException e) {
            JdkPollerTransport.closeQuietly(ch);
            throw e;
        }
    }

    @Override
    public Transport accept() throws IOException {
        while (true) {
            SocketChannel c;
            try {
                c = channel.accept(); // blocking: never null
            } catch (ClosedByInterruptException e) {
                throw JdkPollerTransport.cancelledBy(e);
            }
            try {
                return JdkPollerTransport.wrap(c);
            } catch (IOException e) {
                // the peer reset before we could set it up: that connection is gone, not the listener
                JdkPollerTransport.closeQuietly(c);
            }
        }
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        JdkPollerTransport.closeQuietly(channel);
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException ignored) {
                // already gone, or not ours to remove
            }
        }
    }

    @Override
    public String toString() {
        return "JdkPollerListener[" + local + (channel.isOpen() ? "" : ", closed") + "]";
    }
}
