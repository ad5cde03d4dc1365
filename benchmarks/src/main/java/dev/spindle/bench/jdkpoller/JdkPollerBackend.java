package dev.spindle.bench.jdkpoller;

import dev.spindle.io.internal.Listener;
import dev.spindle.io.internal.NetBackend;
import dev.spindle.io.internal.Transport;
import dev.spindle.io.internal.UdpSocket;
import dev.spindle.loop.internal.EventLoop;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * The {@code jdk-poller} backend, for the echo benchmark only: <em>blocking</em> JDK channels used straight from the
 * loop's coroutines, so that the JDK's own poller, not the loop, waits for readiness. Issue 4's first candidate,
 * measured against the loop-owned selector that Spindle ships ({@code nio}).
 *
 * <p>How a wait goes: a coroutine is a virtual thread, so a blocking {@code read}, {@code write}, {@code accept} or
 * {@code connect} that would block registers the socket with the JDK's poller (see {@code jdk.pollerMode}: by
 * default on Linux, virtual-thread sub-pollers under a platform master poller; with {@code -Djdk.pollerMode=1},
 * platform {@code Read-Poller}/{@code Write-Poller} threads) and parks the coroutine. When the socket is ready, the
 * poller's thread unparks it, and the JDK hands the continuation to the loop's executor from that other thread:
 * through the loop's inbox, waking the loop's thread. The loop has no {@code IoPoller} of its own (it parks on its
 * inbox), so every wake-up of a socket crosses threads; the {@code nio} backend delivers readiness on the loop's
 * thread instead.
 *
 * <p><b>Why it is not shipped.</b> A cancel reaches a coroutine parked inside the JDK by interrupting its thread, and
 * an interrupted blocking channel operation closes the channel ({@link java.nio.channels.ClosedByInterruptException}).
 * So a cancelled {@code read} (a timeout, say) costs the connection, and a cancelled {@code accept} the listener,
 * where {@link Transport} promises that a cancelled wait leaves the connection usable. There is also no non-blocking
 * peek on a blocking channel: {@link JdkPollerTransport#tryRead} and {@code tryWrite} switch the channel to
 * non-blocking for the one call, which they can do only while no other coroutine is inside a read or write of it
 * (see there).
 *
 * <p>Chosen like any backend, before the first socket is opened:
 *
 * {@snippet :
 * // or: java -Dspindle.io.backend=jdk-poller ... (with benchmarks.jar on the class path)
 * System.setProperty(NetBackend.PROPERTY, "jdk-poller");
 * Spindle.run(() -> Streams.startServer(handler, "127.0.0.1", 9000).serveForever());
 * }
 *
 * Found by {@link java.util.ServiceLoader} through the benchmarks module's
 * {@code META-INF/services/dev.spindle.io.internal.NetBackend}.
 */
public final class JdkPollerBackend implements NetBackend {
    /** The name {@code -Dspindle.io.backend} selects this backend by. */
    public static final String NAME = "jdk-poller";

    /** For {@link java.util.ServiceLoader}. */
    public JdkPollerBackend() {}

    @Override
    public String name() {
        return NAME;
    }

    /** Not measured here: the echo benchmark is TCP only, so UDP is refused with a message that says so. */
    @Override
    public UdpSocket openUdp(
            EventLoop loop,
            InetSocketAddress local,
            InetSocketAddress remote,
            boolean reuseAddress,
            boolean reusePort,
            boolean broadcast) {
        throw new UnsupportedOperationException(
                "the jdk-poller backend is a TCP benchmark subject only; UDP needs the nio or netty backend");
    }

    /** A blocking connect: the coroutine parks in the JDK until the handshake ends (a cancel closes the socket). */
    @Override
    public Transport connect(EventLoop loop, SocketAddress remote) throws IOException {
        ProtocolFamily family =
                remote instanceof UnixDomainSocketAddress ? StandardProtocolFamily.UNIX : familyOf(remote);
        SocketChannel ch = family == null ? SocketChannel.open() : SocketChannel.open(family);
        boolean ok = false;
        try {
            try {
                ch.connect(remote);
            } catch (java.nio.channels.ClosedByInterruptException e) {
                throw JdkPollerTransport.cancelledBy(e);
            }
            JdkPollerTransport t = JdkPollerTransport.wrap(ch);
            ok = true;
            return t;
        } finally {
            if (!ok) {
                JdkPollerTransport.closeQuietly(ch);
            }
        }
    }

    @Override
    public Listener listen(EventLoop loop, SocketAddress local, int backlog, boolean reusePort) throws IOException {
        return JdkPollerListener.open(local, backlog, reusePort);
    }

    /**
     * IPv4 or IPv6 by the address, or {@code null} (the JDK's default, dual-stack where the host has IPv6) for the
     * IPv4 wildcard, so that a server bound to "any" takes both families, as the {@code nio} backend does.
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
