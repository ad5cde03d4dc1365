package dev.spindle.io.internal;

import dev.spindle.loop.internal.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ServiceLoader;

/**
 * Not API: what carries a loop's sockets: stream connections ({@link Transport}), listeners ({@link Listener}) and
 * UDP sockets ({@link UdpSocket}). The default is {@link NioBackend}: JDK channels on the loop's own
 * {@link SelectorPoller}. Another module may provide one through {@link ServiceLoader} (the {@code spindle-netty}
 * module provides {@code netty}); the system property {@value #PROPERTY} chooses it by {@link #name()}, which is the
 * one line a program changes to switch. Each backend installs its own {@link dev.spindle.loop.internal.IoPoller} on
 * the loops it serves, so a loop uses one backend for its life.
 */
public interface NetBackend {
    /** The system property that names the backend: {@code nio} (the default) or a provided one, e.g. {@code netty}. */
    String PROPERTY = "spindle.io.backend";

    /** The name {@link #PROPERTY} selects this backend by. */
    String name();

    /**
     * Connects to {@code remote} (an {@link java.net.InetSocketAddress} already resolved, or a
     * {@link java.net.UnixDomainSocketAddress}), waiting in the current coroutine. TCP connections get
     * {@code TCP_NODELAY}, as asyncio's do.
     */
    Transport connect(EventLoop loop, SocketAddress remote) throws IOException;

    /**
     * Listens on {@code local}. With {@code reusePort}, several listeners (one per loop) may bind the same address
     * and the kernel spreads connections among them (SO_REUSEPORT; ignored where the OS lacks it).
     */
    Listener listen(EventLoop loop, SocketAddress local, int backlog, boolean reusePort) throws IOException;

    /**
     * Opens a UDP socket bound to {@code local} ({@code null} for any address and port; a wildcard address binds every
     * local address, IPv4 and IPv6 where the system has both), connected to {@code remote} unless that is
     * {@code null}. Both addresses are resolved. The socket is IPv4 or IPv6 by a specific local address, else by the
     * peer, else dual-stack where the system has IPv6. Never waits: UDP's connect only records the peer. On failure
     * nothing is left open. Loop thread only.
     *
     * @param reuseAddress {@code SO_REUSEADDR}
     * @param reusePort {@code SO_REUSEPORT}, where the system has it (ignored elsewhere)
     * @param broadcast {@code SO_BROADCAST}
     */
    UdpSocket openUdp(
            EventLoop loop,
            InetSocketAddress local,
            InetSocketAddress remote,
            boolean reuseAddress,
            boolean reusePort,
            boolean broadcast)
            throws IOException;

    /** The backend chosen for this JVM: the one named by {@value #PROPERTY}, else {@code nio}. */
    static NetBackend current() {
        return Chosen.BACKEND;
    }

    /** Resolved once: a JVM uses one backend. */
    final class Chosen {
        static final NetBackend BACKEND = choose(System.getProperty(PROPERTY, "nio"));

        private Chosen() {}

        static NetBackend choose(String name) {
            if (name.equals("nio")) {
                return NioBackend.INSTANCE;
            }
            StringBuilder known = new StringBuilder("nio");
            for (NetBackend b : ServiceLoader.load(NetBackend.class)) {
                if (b.name().equals(name)) {
                    return b;
                }
                known.append(", ").append(b.name());
            }
            throw new IllegalStateException("-D" + PROPERTY + "=" + name + " names no I/O backend on the class path"
                    + " (found: " + known + "); for netty add the spindle-netty module");
        }
    }
}
