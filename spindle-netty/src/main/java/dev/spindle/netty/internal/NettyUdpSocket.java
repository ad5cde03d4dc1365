package dev.spindle.netty.internal;

import dev.spindle.io.internal.UdpSocket;
import io.netty.channel.ChannelException;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * Not API: a {@link UdpSocket} made of a native datagram socket on its loop's {@link NettyPoller}, received from with
 * {@code recvfrom(2)} and sent with {@code sendto(2)} (or {@code send(2)} when connected) through Netty's unix
 * {@link Socket}. Waits park in {@link FdHandle#await}: readiness is edge-triggered and armed once, so a cancelled wait
 * has nothing to withdraw, and an event that arrived for it stays recorded for the next try.
 *
 * {@snippet :
 * InetSocketAddress local = new InetSocketAddress("127.0.0.1", 0);
 * UdpSocket s = NettyUdpSocket.open(NettyPoller.of(loop), local, null, false, false, false);
 * }
 *
 * <h2>Readiness</h2>
 * {@link FdHandle} keeps the level: a receive that finds the queue empty ({@code EAGAIN}) clears {@code READ} (and the
 * sticky {@code READ_END}, which for UDP only ever carries an error the next call has now reported), and every datagram
 * that arrives after that raises a new edge. A {@code tryReceive} on a socket not known readable returns {@code null}
 * without a system call. Sending clears {@code WRITE} only when the send buffer refuses a datagram.
 *
 * <h2>Buffers</h2>
 * Netty's native calls take native memory: direct buffers are used as they are; heap buffers go through the poller's
 * scratch buffer (one copy, within the call), which is larger than any datagram.
 *
 * <h2>Errors</h2>
 * As the JDK's {@code DatagramChannel} reports them: {@link PortUnreachableException} for a refused datagram on a
 * connected socket, {@link BindException} when the address is taken, a {@link SocketException} with the system's
 * words otherwise (e.g. "Message too long"), and {@link ClosedChannelException} after {@link #close()}.
 */
final class NettyUdpSocket implements UdpSocket {
    private static final int EADDRINUSE = 98;
    private static final int EADDRNOTAVAIL = 99;

    private final FdHandle fd;
    private final Socket socket;
    private final ByteBuffer scratch;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;

    private NettyUdpSocket(FdHandle fd, InetSocketAddress remote) {
        this.fd = fd;
        this.socket = fd.socket;
        this.scratch = fd.poller().scratch;
        this.local = socket.localAddress();
        this.remote = remote;
    }

    /**
     * Opens a datagram socket with the options asked for, binds it to {@code local} ({@code null}: any address and
     * port), connects it to {@code remote} if not {@code null}, and registers it on {@code poller}. The family follows
     * core's rule (see {@code NetBackend.openUdp}): a specific local address's, else the peer's, else dual-stack IPv6
     * where the system prefers it. On failure the socket is closed.
     */
    static NettyUdpSocket open(
            NettyPoller poller,
            InetSocketAddress local,
            InetSocketAddress remote,
            boolean reuseAddress,
            boolean reusePort,
            boolean broadcast)
            throws IOException {
        LinuxSocket s;
        try {
            s = LinuxSocket.newSocketDgram(ipv6(local, remote));
        } catch (ChannelException e) {
            throw ioError(e); // socket(2) failed: too many open files, say
        }
        try {
            if (reuseAddress) {
                s.setReuseAddress(true);
            }
            if (reusePort) {
                s.setReusePort(true);
            }
            if (broadcast) {
                s.setBroadcast(true);
            }
            // Bound at once, as the JDK's channel is, so that its port is known before anything is sent.
            bind(s, local != null ? local : new InetSocketAddress(0));
            if (remote != null) {
                connect(s, remote); // UDP's connect only records the peer: it does not wait
            }
        } catch (ChannelException e) {
            FdHandle.closeQuietly(s);
            throw ioError(e); // Netty reports a failed setsockopt(2) so
        } catch (IOException | RuntimeException e) {
            FdHandle.closeQuietly(s);
            throw e;
        }
        // Optimistic, as a fresh socket is: the first receive looks once, the first send just sends.
        FdHandle fd = new FdHandle(poller, s, false, false, FdHandle.READ | FdHandle.WRITE);
        return new NettyUdpSocket(fd, remote);
    }

    /** IPv6 (dual-stack where the system allows) unless a specific local address or the peer is IPv4. */
    private static boolean ipv6(InetSocketAddress local, InetSocketAddress remote) {
        InetAddress a = local != null
                        && local.getAddress() != null
                        && !local.getAddress().isAnyLocalAddress()
                ? local.getAddress()
                : remote != null ? remote.getAddress() : null;
        return a == null ? Socket.isIPv6Preferred() : !(a instanceof Inet4Address);
    }

    private static void bind(Socket s, InetSocketAddress local) throws IOException {
        try {
            s.bind(local); // an IPv4 wildcard on a dual-stack socket binds "::", as the JDK does
        } catch (Errors.NativeIoException e) {
            int err = -e.expectedErr();
            if (err == EADDRINUSE || err == EADDRNOTAVAIL) {
                BindException b = new BindException(message(e));
                b.initCause(e);
                throw b;
            }
            throw NettyTransport.socketError(e);
        }
    }

    private static void connect(Socket s, InetSocketAddress remote) throws IOException {
        try {
            s.connect(remote);
        } catch (Errors.NativeIoException e) {
            throw NettyTransport.socketError(e);
        } catch (ConnectException e) {
            // "connect(..) failed: Network is unreachable": keep the system's words, as the JDK does
            SocketException c = new SocketException(message(e));
            c.initCause(e);
            throw c;
        }
    }

    @Override
    public InetSocketAddress tryReceive(ByteBuffer dst) throws IOException {
        fd.checkOpen();
        if (!fd.isReady(FdHandle.READ)) {
            return null; // the queue was empty at the last look, and nothing arrived since the last poll
        }
        DatagramSocketAddress from;
        try {
            if (dst.isDirect()) {
                int pos = dst.position();
                from = socket.recvFrom(dst, pos, dst.limit());
                if (from != null) {
                    dst.position(pos + from.receivedAmount());
                }
            } else {
                // Asks for no more than dst has room for, so that a longer datagram is cut as it would be in dst.
                int room = Math.min(dst.remaining(), scratch.capacity());
                from = socket.recvFrom(scratch, 0, room);
                if (from != null) {
                    int n = from.receivedAmount();
                    dst.put(dst.position(), scratch, 0, n);
                    dst.position(dst.position() + n);
                }
            }
        } catch (PortUnreachableException e) {
            throw refused(e);
        } catch (Errors.NativeIoException e) {
            throw NettyTransport.socketError(e);
        } catch (SocketException | ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            // recvfrom's other failures arrive as plain IOExceptions "recvfrom() failed: <reason>"
            SocketException s = new SocketException(message(e));
            s.initCause(e);
            throw s;
        }
        if (from == null) {
            // EAGAIN: nothing is queued, and no error either (one pending would have been reported instead)
            fd.clear(FdHandle.READ | FdHandle.READ_END);
            return null;
        }
        // A plain address: Netty's subclass carries its receive bookkeeping, which is no business of the caller's.
        return new InetSocketAddress(from.getAddress(), from.getPort());
    }

    @Override
    public boolean trySend(ByteBuffer src, InetSocketAddress to) throws IOException {
        fd.checkOpen();
        int len = src.remaining();
        if (len > 0 && !fd.isReady(FdHandle.WRITE)) {
            return false; // the send buffer was full at the last try, and no room appeared since
        }
        int n;
        try {
            if (src.isDirect()) {
                n = sendNow(src, src.position(), src.limit(), to);
            } else {
                if (len > scratch.capacity()) {
                    // Longer than any UDP datagram can be: what sendto(2) would answer, without copying it.
                    throw new SocketException("Message too long");
                }
                scratch.put(0, src, src.position(), len);
                n = sendNow(scratch, 0, len, to);
            }
        } catch (PortUnreachableException e) {
            throw refused(e);
        } catch (Errors.NativeIoException e) {
            if (e.expectedErr() == Errors.ERROR_ECONNREFUSED_NEGATIVE) {
                throw refused(e); // send(2) on a connected socket reports the refusal as a plain error
            }
            throw NettyTransport.socketError(e);
        }
        if (n == 0 && len > 0) {
            fd.clear(FdHandle.WRITE); // EAGAIN
            return false;
        }
        src.position(src.limit()); // a datagram goes whole or not at all
        return true;
    }

    private int sendNow(ByteBuffer buf, int pos, int limit, InetSocketAddress to) throws IOException {
        return to == null
                ? socket.send(buf, pos, limit)
                : socket.sendTo(buf, pos, limit, to.getAddress(), to.getPort());
    }

    private PortUnreachableException refused(IOException e) {
        PortUnreachableException p = new PortUnreachableException("ICMP Port Unreachable from " + remote);
        p.initCause(e);
        return p;
    }

    /** Netty's unchecked report of a failed system call, as the {@link IOException} the JDK would throw. */
    private static IOException ioError(ChannelException e) {
        if (e.getCause() instanceof Errors.NativeIoException n) {
            return NettyTransport.socketError(n);
        }
        SocketException s = new SocketException(message(e.getCause() instanceof IOException io ? io : e));
        s.initCause(e);
        return s;
    }

    /** "recvfrom() failed: Connection refused" or "bind(..) failed: ..." without the call's name. */
    private static String message(Exception e) {
        String m = e.getMessage();
        int colon = m == null ? -1 : m.indexOf(": ");
        return colon < 0 ? m : m.substring(colon + 2);
    }

    @Override
    public void awaitReceivable(String what) throws ClosedChannelException {
        fd.await(FdHandle.READ, what);
    }

    @Override
    public void awaitSendable(String what) throws ClosedChannelException {
        fd.await(FdHandle.WRITE, what);
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
        return fd.isOpen();
    }

    @Override
    public void close() {
        fd.close();
    }

    /** The socket's registration and readiness (for tests). */
    FdHandle handle() {
        return fd;
    }

    @Override
    public String toString() {
        return "NettyUdpSocket[" + local + (remote == null ? "" : " -> " + remote) + (fd.isOpen() ? "" : ", closed")
                + "]";
    }
}
