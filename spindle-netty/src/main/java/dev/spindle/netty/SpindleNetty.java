package dev.spindle.netty;

import dev.spindle.io.internal.NetBackend;
import dev.spindle.netty.internal.IoDriver;

/**
 * Switches a program's sockets to Netty's native transports: the uvloop of Spindle. With this module on the class
 * path, either pass {@code -Dspindle.io.backend=netty} or call {@link #use()} first thing in {@code main}; streams,
 * servers, UDP endpoints and everything built on them then run on native sockets that each loop's own thread polls
 * through Netty's epoll (default) or io_uring handler ({@code -Dspindle.netty.driver=io_uring}). Nothing else
 * changes: same API, same semantics, same cancellation rules.
 *
 * {@snippet :
 * public static void main(String[] args) {
 *     SpindleNetty.use(); // before any socket is opened
 *     Spindle.run(() -> {
 *         var server = Streams.startServer((reader, writer) -> { ... }, "127.0.0.1", 8888);
 *         server.serveForever();
 *     });
 * }
 * }
 *
 * <p>Linux only (x86-64 native jars are declared; add others for other machines). A JVM uses one backend for its
 * life, chosen the first time any loop opens a socket.
 */
public final class SpindleNetty {
    private SpindleNetty() {}

    /**
     * Makes {@code netty} this JVM's I/O backend.
     *
     * @throws IllegalStateException if the backend was already chosen (a socket was opened before this call) and is
     *     not {@code netty}, or if Netty's native transport does not load on this machine
     */
    public static void use() {
        IoDriver driver = IoDriver.chosen();
        if (!driver.isAvailable()) {
            throw new IllegalStateException("Netty's native " + driver.name().toLowerCase(java.util.Locale.ROOT)
                    + " transport is not" + " available here (it needs Linux and the native jar for this CPU)");
        }
        System.setProperty(NetBackend.PROPERTY, "netty");
        String chosen = NetBackend.current().name();
        if (!chosen.equals("netty")) {
            throw new IllegalStateException("this JVM already does I/O through the " + chosen + " backend: call"
                    + " SpindleNetty.use() before opening any socket, or pass -D" + NetBackend.PROPERTY + "=netty");
        }
    }

    /** Whether this JVM's sockets go through Netty. */
    public static boolean inUse() {
        return NetBackend.current().name().equals("netty");
    }
}
