package dev.spindle.io.internal;

import dev.spindle.loop.internal.EventLoop;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * Not API: JDK channels on the loop's own {@link SelectorPoller} (asyncio's selector event loop). The default
 * backend: it needs nothing beyond the JDK, and readiness never leaves the loop's thread.
 *
 * <p>Connecting is a non-blocking {@code connect}, a wait for {@code OP_CONNECT} and {@code finishConnect}; a
 * connect cancelled while it waits (a timeout, say) closes the half-open channel, so nothing leaks.
 */
final class NioBackend implements NetBackend {
    static final NioBackend INSTANCE = new NioBackend();

    private NioBackend() {}

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public Transport connect(EventLoop loop, SocketAddress remote) throws IOException {
        SelectorPoller poller = SelectorPoller.of(loop);
        ProtocolFamily family =
                remote instanceof UnixDomainSocketAddress ? StandardProtocolFamily.UNIX : familyOf(remote);
        SocketChannel ch = family == null ? SocketChannel.open() : SocketChannel.open(family);
        boolean ok = false;
        try {
            Readiness r = poller.register(ch);
            if (!ch.connect(remote)) {
                do {
                    r.await(SelectionKey.OP_CONNECT, "connect");
                } while (!ch.finishConnect());
            }
            NioTransport t = NioTransport.wrapRegistered(ch, r);
            ok = true;
            return t;
        } finally {
            if (!ok) {
                NioTransport.closeQuietly(ch);
            }
        }
    }

    @Override
    public Listener listen(EventLoop loop, SocketAddress local, int backlog, boolean reusePort) throws IOException {
        return NioListener.open(SelectorPoller.of(loop), local, backlog, reusePort);
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
        return NioUdpSocket.open(SelectorPoller.of(loop), local, remote, reuseAddress, reusePort, broadcast);
    }

    /**
     * The family of a socket for {@code address}: IPv4 or IPv6 by the address, or {@code null} for the JDK's default
     * (a dual-stack IPv6 socket where the host has IPv6) for the IPv4 wildcard, so that a server bound to "any"
     * takes connections of both families.
     */
    static ProtocolFamily familyOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && !inet.isUnresolved()) {
            if (inet.getAddress() instanceof Inet6Address) {
                return StandardProtocolFamily.INET6;
            }
            if (inet.getAddress() instanceof Inet4Address a && !a.isAnyLocalAddress()) {
                return StandardProtocolFamily.INET;
            }
        }
        return null;
    }
}
