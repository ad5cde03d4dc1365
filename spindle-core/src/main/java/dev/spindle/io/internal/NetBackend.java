package dev.spindle.io.internal;

import dev.spindle.loop.internal.EventLoop;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ServiceLoader;

/**
 * Not API: what carries a loop's sockets. The default is {@link NioBackend}: JDK channels on the loop's own
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
