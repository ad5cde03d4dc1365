package dev.spindle.netty.internal;

import dev.spindle.io.internal.Listener;
import dev.spindle.io.internal.Transport;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Not API: a listening native socket (TCP or Unix domain) on its loop's {@link NettyPoller}. Loop-confined; a
 * coroutine waiting in {@link #accept} parks in {@link FdHandle#await}, so cancelling it leaves the listener open.
 *
 * <p>Same socket rules as the JDK backend: TCP listeners set {@code SO_REUSEADDR}, and {@code SO_REUSEPORT} when
 * asked; a listener on the IPv4 wildcard takes both families (a dual-stack IPv6 socket) where the host has IPv6;
 * accepted TCP connections get {@code TCP_NODELAY}. A Unix domain listener removes a stale socket file (one nobody
 * listens on) before binding, refuses a path where anything else exists, and removes its own file when it closes,
 * unless another server replaced it meanwhile.
 */
public final class NettyListener implements Listener {
    /** ECONNABORTED: the peer gave up before we accepted it; that connection is gone, not the listener. */
    private static final int ECONNABORTED = 103;

    private final FdHandle fd;
    private final SocketAddress local;
    private final Path socketFile;
    private final Object socketFileKey;
    /** accept(2) writes the peer's address here; we ask the socket for it instead, so it is only scratch space. */
    private final byte[] peer = new byte[26];

    private NettyListener(FdHandle fd, Path socketFile, Object socketFileKey) {
        this.fd = fd;
        this.local = Addresses.local(fd.socket, fd.domain);
        this.socketFile = socketFile;
        this.socketFileKey = socketFileKey;
    }

    static NettyListener open(NettyPoller poller, SocketAddress local, int backlog, boolean reusePort)
            throws IOException {
        Socket s;
        Path file = null;
        SocketAddress bindTo;
        if (local instanceof UnixDomainSocketAddress unix) {
            file = unix.getPath();
            removeStaleSocket(file);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                // Netty's native bind unlinks whatever is at the path first, which would steal a live server's
                // address (or delete a file); refuse as bind(2) and the JDK do. (A server that binds the path between
                // this check and our bind still loses it: the same window as any check-then-bind.)
                throw new BindException("Address already in use: " + file);
            }
            s = LinuxSocket.newSocketDomain();
            bindTo = Addresses.toNetty(local);
        } else if (local instanceof InetSocketAddress inet && !inet.isUnresolved()) {
            InetAddress a = inet.getAddress();
            if (a instanceof Inet4Address && a.isAnyLocalAddress() && Socket.isIPv6Preferred()) {
                // "any" on IPv4 means any family to a server, as with the JDK's default sockets
                s = LinuxSocket.newSocketStream(true);
                bindTo = new InetSocketAddress(InetAddress.getByAddress(new byte[16]), inet.getPort());
            } else {
                s = LinuxSocket.newSocketStream(!(a instanceof Inet4Address));
                bindTo = inet;
            }
        } else {
            throw new IllegalArgumentException("cannot listen on " + local + ": not a resolved TCP or Unix address");
        }
        try {
            if (file == null) {
                s.setReuseAddress(true);
                if (reusePort) {
                    s.setReusePort(true);
                }
            }
            s.bind(bindTo);
            s.listen(backlog);
        } catch (Errors.NativeIoException e) {
            FdHandle.closeQuietly(s);
            throw NettyTransport.socketError(e);
        } catch (IOException | RuntimeException e) {
            FdHandle.closeQuietly(s);
            throw e;
        }
        Object key = file == null ? null : fileKey(file);
        return new NettyListener(new FdHandle(poller, s, file != null, true, FdHandle.READ), file, key);
    }

    @Override
    public Transport accept() throws IOException {
        while (true) {
            fd.checkOpen();
            if (fd.isReady(FdHandle.READ)) {
                int conn;
                try {
                    conn = fd.socket.accept(peer);
                } catch (Errors.NativeIoException e) {
                    if (e.expectedErr() == -ECONNABORTED) {
                        continue;
                    }
                    throw NettyTransport.socketError(e);
                }
                if (conn >= 0) {
                    Transport t = wrap(conn);
                    if (t != null) {
                        return t;
                    }
                    continue;
                }
                fd.clear(FdHandle.READ | FdHandle.READ_END); // EAGAIN: the backlog is empty until the next edge
            }
            fd.await(FdHandle.READ, "accept");
        }
    }

    /** The accepted descriptor as a transport, or {@code null} if the peer reset before it could be set up. */
    private Transport wrap(int conn) throws IOException {
        Socket s = new Socket(conn);
        try {
            if (!fd.domain) {
                s.setTcpNoDelay(true);
            }
        } catch (IOException e) {
            FdHandle.closeQuietly(s);
            return null;
        }
        // Optimistic: a client often speaks first, so the first read tries at once instead of waiting a pass.
        return new NettyTransport(new FdHandle(fd.poller(), s, fd.domain, false, FdHandle.READ | FdHandle.WRITE));
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public boolean isOpen() {
        return fd.isOpen();
    }

    @Override
    public void close() {
        if (!fd.isOpen()) {
            return;
        }
        fd.close();
        if (socketFile != null && socketFileKey != null) {
            try {
                if (socketFileKey.equals(fileKey(socketFile))) {
                    Files.deleteIfExists(socketFile);
                }
            } catch (IOException ignored) {
                // gone already, or not ours any more
            }
        }
    }

    /** Deletes {@code file} if it is a socket nobody accepts on; anything else is left for bind to refuse. */
    private static void removeStaleSocket(Path file) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!attrs.isOther()) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false); // never hold the loop, even on a listener whose backlog is full
            probe.connect(UnixDomainSocketAddress.of(file));
            return; // somebody listens there: bind will say the address is in use
        } catch (IOException refused) {
            // nobody does: a server died without removing it
        }
        Files.deleteIfExists(file);
    }

    private static Object fileKey(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "NettyListener[" + local + (fd.isOpen() ? "" : ", closed") + "]";
    }
}
