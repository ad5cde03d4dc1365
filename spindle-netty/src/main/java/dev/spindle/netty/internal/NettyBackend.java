package dev.spindle.netty.internal;

import dev.spindle.io.internal.Listener;
import dev.spindle.io.internal.NetBackend;
import dev.spindle.io.internal.Transport;
import dev.spindle.io.internal.UdpSocket;
import dev.spindle.loop.internal.EventLoop;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Not API: the {@code netty} backend ({@code -Dspindle.io.backend=netty}, or {@code SpindleNetty.use()}): native
 * stream and datagram sockets on the loop's {@link NettyPoller}, which the loop's own thread runs. Found by
 * {@link java.util.ServiceLoader} through {@code META-INF/services/dev.spindle.io.internal.NetBackend}.
 *
 * <p>Connecting is a non-blocking {@code connect(2)}, a wait for the socket to become writable and a check of
 * {@code SO_ERROR}; a connect cancelled while it waits (a timeout, say) closes the half-open socket.
 */
public final class NettyBackend implements NetBackend {
    /** For {@link java.util.ServiceLoader}. */
    public NettyBackend() {}

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public Transport connect(EventLoop loop, SocketAddress remote) throws IOException {
        NettyPoller poller = NettyPoller.of(loop);
        boolean domain = remote instanceof UnixDomainSocketAddress;
        SocketAddress to = Addresses.toNetty(remote);
        Socket s = domain
                ? LinuxSocket.newSocketDomain()
                : LinuxSocket.newSocketStream(((InetSocketAddress) remote).getAddress() instanceof Inet6Address);
        FdHandle fd = null;
        boolean ok = false;
        try {
            if (!domain) {
                s.setTcpNoDelay(true);
            }
            boolean connected = connect(s, to, remote);
            fd = new FdHandle(poller, s, domain, false, connected ? FdHandle.READ | FdHandle.WRITE : 0);
            while (!connected) {
                fd.await(FdHandle.WRITE, "connect");
                connected = finishConnect(s, remote);
                if (!connected) {
                    fd.clear(FdHandle.WRITE);
                }
            }
            NettyTransport t = new NettyTransport(fd);
            ok = true;
            return t;
        } finally {
            if (!ok) {
                if (fd != null) {
                    fd.close();
                } else {
                    FdHandle.closeQuietly(s);
                }
            }
        }
    }

    private static boolean connect(Socket s, SocketAddress to, SocketAddress remote) throws IOException {
        try {
            return s.connect(to);
        } catch (Errors.NativeIoException | ConnectException e) {
            throw connectError(e, remote);
        }
    }

    private static boolean finishConnect(Socket s, SocketAddress remote) throws IOException {
        try {
            return s.finishConnect();
        } catch (Errors.NativeIoException | ConnectException e) {
            throw connectError(e, remote);
        }
    }

    /** "connect(..) failed: Connection refused" becomes the JDK's "Connection refused", naming the peer. */
    private static ConnectException connectError(IOException e, SocketAddress remote) {
        String m = e.getMessage();
        int colon = m == null ? -1 : m.indexOf(": ");
        ConnectException c = new ConnectException((colon < 0 ? m : m.substring(colon + 2)) + ": " + remote);
        c.initCause(e);
        return c;
    }

    @Override
    public Listener listen(EventLoop loop, SocketAddress local, int backlog, boolean reusePort) throws IOException {
        return NettyListener.open(NettyPoller.of(loop), local, backlog, reusePort);
    }

    @Override
    public UdpSocket openUdp(
            EventLoop loop,
            InetSocketAddress local,
            InetSocketAddress remote,
            boolean reuseAddress,
            boolean reusePort,
            boolean broadcast)
            throws IOException {
        return NettyUdpSocket.open(NettyPoller.of(loop), local, remote, reuseAddress, reusePort, broadcast);
    }
}
