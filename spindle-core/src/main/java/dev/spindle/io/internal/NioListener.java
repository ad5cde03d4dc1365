package dev.spindle.io.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Not API: a listening {@link ServerSocketChannel} (TCP or Unix domain) on its loop's {@link SelectorPoller}.
 * Loop-confined. TCP listeners set {@code SO_REUSEADDR} (a restarted server may bind while old connections linger in
 * TIME_WAIT, as asyncio does on POSIX) and, when asked and the OS has it, {@code SO_REUSEPORT}.
 *
 * <p>A Unix domain listener owns its socket file: a stale one (a socket file left by a server that died) is removed
 * before binding, and the file is removed again on {@link #close()} unless another process replaced it meanwhile.
 */
public final class NioListener implements Listener {
    private final SelectorPoller poller;
    private final ServerSocketChannel channel;
    private final Readiness readiness;
    private final SocketAddress local;
    /** The socket file of a Unix domain listener and its identity when bound; {@code null} for TCP. */
    private final Path socketFile;

    private final Object socketFileKey;

    private NioListener(
            SelectorPoller poller, ServerSocketChannel channel, Readiness readiness, Path socketFile, Object key)
            throws IOException {
        this.poller = poller;
        this.channel = channel;
        this.readiness = readiness;
        this.local = channel.getLocalAddress();
        this.socketFile = socketFile;
        this.socketFileKey = key;
    }

    static NioListener open(SelectorPoller poller, SocketAddress local, int backlog, boolean reusePort)
            throws IOException {
        Objects.requireNonNull(local, "local");
        ServerSocketChannel ch;
        Path file = null;
        if (local instanceof UnixDomainSocketAddress unix) {
            file = unix.getPath();
            removeStaleSocket(file);
            ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        } else {
            java.net.ProtocolFamily family = NioBackend.familyOf(local);
            ch = family == null ? ServerSocketChannel.open() : ServerSocketChannel.open(family);
        }
        try {
            if (file == null) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (reusePort && ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
            }
            ch.bind(local, backlog);
            Object key = file == null ? null : fileKey(file);
            return new NioListener(poller, ch, poller.register(ch), file, key);
        } catch (IOException | RuntimeException e) {
            NioTransport.closeQuietly(ch);
            throw e;
        }
    }

    @Override
    public Transport accept() throws IOException {
        while (true) {
            SocketChannel c = channel.accept();
            if (c == null) {
                readiness.await(SelectionKey.OP_ACCEPT, "accept");
                continue;
            }
            try {
                return NioTransport.wrap(poller, c);
            } catch (IOException e) {
                // the peer reset before we could set it up: that connection is gone (wrap closed it), not the
                // listener, so take the next one
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
        NioTransport.closeQuietly(channel);
        readiness.closed();
        if (socketFile != null) {
            try {
                // only our own file: another server may have bound the same path since
                if (socketFileKey != null && socketFileKey.equals(fileKey(socketFile))) {
                    Files.deleteIfExists(socketFile);
                }
            } catch (IOException ignored) {
                // already gone, or not ours to remove
            }
        }
    }

    /** Removes a socket file nobody listens on any more; leaves anything else for bind to refuse. */
    private static void removeStaleSocket(Path file) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        if (!attrs.isOther()) {
            return; // a regular file or a directory: not a stale socket
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false); // a listener with a full backlog must not hold the loop
            probe.connect(UnixDomainSocketAddress.of(file));
            return; // someone listens there (or will answer): bind will fail with "address in use", as it should
        } catch (IOException refused) {
            // nobody listens: stale
        }
        Files.deleteIfExists(file);
    }

    private static Object fileKey(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "NioListener[" + local + (channel.isOpen() ? "" : ", closed") + "]";
    }
}
