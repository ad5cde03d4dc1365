package dev.spindle.io.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/**
 * Not API: a {@link UdpSocket} made of a non-blocking {@link DatagramChannel} on the loop's {@link SelectorPoller}.
 * Waits park in {@link Readiness#await}, so a cancelled wait withdraws its interest and takes nothing.
 *
 * {@snippet :
 * InetSocketAddress local = new InetSocketAddress("127.0.0.1", 0);
 * UdpSocket s = NioUdpSocket.open(SelectorPoller.of(loop), local, null, false, false, false);
 * }
 */
final class NioUdpSocket implements UdpSocket {
    private final DatagramChannel channel;
    private final Readiness readiness;
    // Cached: a closed channel cannot tell them, and error messages need them.
    private final InetSocketAddress local;
    private final InetSocketAddress remote;

    private NioUdpSocket(DatagramChannel channel, Readiness readiness, InetSocketAddress remote) throws IOException {
        this.channel = channel;
        this.readiness = readiness;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.remote = remote;
    }

    /**
     * Opens a UDP socket bound to {@code local} ({@code null} for any address and port; a wildcard address binds
     * every local address, IPv4 and IPv6 where the system has both), connected to {@code remote} if that is not
     * {@code null}, and registers it on {@code poller}. Both addresses must be resolved. On failure nothing is left
     * open.
     */
    static NioUdpSocket open(
            SelectorPoller poller,
            InetSocketAddress local,
            InetSocketAddress remote,
            boolean reuseAddress,
            boolean reusePort,
            boolean broadcast)
            throws IOException {
        ProtocolFamily family = family(local, remote);
        DatagramChannel ch = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
        try {
            if (reuseAddress) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            if (reusePort && ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            if (broadcast) {
                ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            }
            ch.bind(local);
            if (remote != null) {
                ch.connect(remote); // UDP's connect only records the peer: it does not wait
            }
            return new NioUdpSocket(ch, poller.register(ch), remote);
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The family a socket needs: that of a specific local address, else that of the peer, else {@code null} (the
     * system default, dual-stack where IPv6 is there).
     */
    private static ProtocolFamily family(InetSocketAddress local, InetSocketAddress remote) {
        if (local != null && local.getAddress() != null && !local.getAddress().isAnyLocalAddress()) {
            return local.getAddress() instanceof Inet4Address
                    ? StandardProtocolFamily.INET
                    : StandardProtocolFamily.INET6;
        }
        if (remote != null) {
            return remote.getAddress() instanceof Inet4Address
                    ? StandardProtocolFamily.INET
                    : StandardProtocolFamily.INET6;
        }
        return null;
    }

    @Override
    public InetSocketAddress tryReceive(ByteBuffer dst) throws IOException {
        return (InetSocketAddress) channel.receive(dst);
    }

    @Override
    public boolean trySend(ByteBuffer src, InetSocketAddress to) throws IOException {
        boolean empty = !src.hasRemaining();
        int n = to == null ? channel.write(src) : channel.send(src, to);
        return n > 0 || empty;
    }

    @Override
    public void awaitReceivable(String what) throws ClosedChannelException {
        readiness.await(SelectionKey.OP_READ, what);
    }

    @Override
    public void awaitSendable(String what) throws ClosedChannelException {
        readiness.await(SelectionKey.OP_WRITE, what);
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        if (channel.isOpen()) {
            NioTransport.closeQuietly(channel); // cancels the key, so the waiters find it invalid
            readiness.closed();
        }
    }

    @Override
    public String toString() {
        return "NioUdpSocket[" + local + (remote == null ? "" : " -> " + remote) + (isOpen() ? "" : ", closed") + "]";
    }
}
