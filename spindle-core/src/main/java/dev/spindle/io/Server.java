package dev.spindle.io;

import dev.spindle.io.internal.Listener;
import dev.spindle.io.internal.Transport;
import dev.spindle.loop.ExceptionContext;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Task;
import dev.spindle.task.Tasks;
import dev.spindle.task.internal.Interruption;
import dev.spindle.task.internal.Suspension;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A listening server (asyncio's {@code Server}), made by {@link Streams#startServer} or
 * {@link Streams#startUnixServer}. It accepts from the moment it is made; each connection's
 * {@link ConnectionHandler} runs as a task of its own, named {@code conn-<peer>}.
 *
 * {@snippet :
 * Server server = Streams.startServer((reader, writer) -> {
 *     for (String line : reader.lines()) {
 *         writer.write((line.toUpperCase() + "\n").getBytes(UTF_8));
 *         writer.drain();
 *     }
 * }, "127.0.0.1", 8888);
 * System.out.println("listening on " + server.addresses());
 * server.serveForever(); // until close() or a cancel
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Loop-confined: use it from coroutines and callbacks of the loop that started it.
 *   <li><b>Connections.</b> A connection is closed when its handler ends: gracefully when it returns (what is
 *       buffered is sent first), at once when it throws or is cancelled. A handler's exception goes to the loop's
 *       exception handler, naming the peer; the server keeps serving the others. A connection closed gracefully
 *       stays open, with its flush task, until the peer has read what was buffered: a handler facing peers that may
 *       never read bounds its last {@link StreamWriter#drain()} with a timeout (or calls
 *       {@link StreamWriter#abort()}) before it returns.
 *   <li><b>Closing.</b> {@link #close()} stops accepting and closes the listening sockets (and removes a Unix
 *       domain socket file); connections being served go on. {@link #waitClosed()} waits until the server is closed
 *       and every handler has ended (asyncio 3.12's {@code wait_closed}).
 *   <li><b>Shutdown.</b> The accept loops and the handlers are tasks, so {@link dev.spindle.Spindle#run} ending
 *       cancels them like any task: the handlers' connections are closed, the server is closed, nothing hangs.
 *   <li><b>Accept errors.</b> An accept that fails for a reason other than a closed server (out of file
 *       descriptors, for instance) is reported to the exception handler and retried 100 ms later.
 * </ul>
 *
 * <h2>Cancellation</h2>
 * {@link #serveForever()} cancelled closes the server, then rethrows. {@link #waitClosed()} cancelled changes
 * nothing.
 */
public final class Server implements AutoCloseable {
    private static final Duration ACCEPT_RETRY = Duration.ofMillis(100);

    private final EventLoop loop;
    private final ConnectionHandler handler;
    private final ServerOptions options;
    private final List<Listener> listeners;
    private final List<SocketAddress> addresses;

    // Loop-confined.
    private final Set<Task<Void>> connections = new LinkedHashSet<>();
    private final WaitQueue closeWaiters = new WaitQueue();
    private final WaitQueue idleWaiters = new WaitQueue();
    private boolean closed;
    private boolean servingForever;

    Server(EventLoop loop, List<Listener> listeners, ConnectionHandler handler, ServerOptions options) {
        this.loop = loop;
        this.listeners = List.copyOf(listeners);
        this.handler = handler;
        this.options = options;
        List<SocketAddress> a = new ArrayList<>(listeners.size());
        for (Listener l : listeners) {
            a.add(l.localAddress());
        }
        this.addresses = List.copyOf(a);
    }

    /** Starts one accept loop per listening socket. */
    void start() {
        for (Listener l : listeners) {
            Task.spawn(loop, "accept-" + Peers.describe(l.localAddress()), () -> acceptLoop(l));
        }
    }

    /**
     * Serves until {@link #close()} is called, then returns. Serving does not need this call (the server accepts
     * from the start); it is the way to keep a coroutine on the server.
     *
     * @throws IllegalStateException if the server is closed, or another coroutine already serves forever
     * @throws dev.spindle.task.Cancelled if cancelled, after closing the server
     */
    public void serveForever() {
        Task<?> self = Suspension.currentTask("Server.serveForever");
        if (closed) {
            throw new IllegalStateException("the server on " + addresses + " is closed");
        }
        if (servingForever) {
            throw new IllegalStateException("the server on " + addresses + " already serves forever");
        }
        servingForever = true;
        try {
            while (!closed) {
                closeWaiters.park(self, null);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        } finally {
            servingForever = false;
        }
    }

    /**
     * Stops accepting and closes the listening sockets; connections being served go on. Closing twice does nothing
     * more. Does not wait: see {@link #waitClosed()}.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Listener l : listeners) {
            l.close();
        }
        closeWaiters.wakeAll(Boolean.TRUE);
        if (connections.isEmpty()) {
            idleWaiters.wakeAll(Boolean.TRUE);
        }
    }

    /**
     * Waits until the server is closed and every connection handler has ended.
     *
     * @throws dev.spindle.task.Cancelled if cancelled while waiting; nothing changes
     */
    public void waitClosed() {
        Task<?> self = Suspension.currentTask("Server.waitClosed");
        while (!closed || !connections.isEmpty()) {
            idleWaiters.park(self, null);
        }
    }

    /** The addresses the server listens on (with the ports the system chose for port 0). */
    public List<SocketAddress> addresses() {
        return addresses;
    }

    /** Whether the server accepts connections: until {@link #close()}. */
    public boolean isServing() {
        return !closed;
    }

    /** How many connections are being served (handlers not yet ended). */
    public int activeConnections() {
        return connections.size();
    }

    @Override
    public String toString() {
        return "Server[" + addresses + (closed ? ", closed" : "") + ", connections=" + connections.size() + "]";
    }

    // ---- accepting and serving ------------------------------------------------------------------------------

    private void acceptLoop(Listener listener) {
        try {
            while (!closed) {
                Transport t;
                try {
                    t = listener.accept();
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (closed || !listener.isOpen()) {
                        return;
                    }
                    loop.callExceptionHandler(new ExceptionContext(
                            "accept failed on " + Peers.describe(listener.localAddress()) + "; retrying in "
                                    + ACCEPT_RETRY.toMillis() + " ms",
                            e,
                            this));
                    Tasks.sleep(ACCEPT_RETRY);
                    continue;
                }
                if (closed) {
                    t.close();
                    return;
                }
                serve(t);
            }
        } finally {
            close(); // cancelled (a shutdown) or failed: the listening sockets must not outlive the accept loop
        }
    }

    private void serve(Transport t) {
        String peer = Peers.describe(t.remoteAddress());
        boolean[] started = {false};
        Task<Void> task = Task.spawn(loop, "conn-" + peer, () -> {
            started[0] = true;
            runHandler(t, peer);
        });
        connections.add(task);
        task.addDoneCallback(f -> {
            if (!started[0]) {
                t.close(); // cancelled before it ran: nobody else will close it
            }
            connections.remove(task);
            if (closed && connections.isEmpty()) {
                idleWaiters.wakeAll(Boolean.TRUE);
            }
        });
    }

    private void runHandler(Transport plain, String peer) {
        Transport t = plain;
        StreamWriter writer = null;
        boolean clean = false;
        try {
            if (options.tls().isPresent()) {
                try {
                    t = dev.spindle.io.internal.TlsTransport.server(
                            plain, options.tls().get());
                } catch (java.io.IOException e) {
                    throw new StreamError("TLS handshake with " + peer + " failed: " + e.getMessage(), e);
                }
            }
            StreamReader reader = new StreamReader(t, options.limit());
            writer = new StreamWriter(t).pairedWith(reader, null);
            handler.handle(reader, writer);
            clean = true;
        } catch (Throwable e) {
            Task<?> self = Task.current();
            if (Interruption.isCancellation(e, self.cancelling() > 0)) {
                throw e instanceof RuntimeException r ? r : new dev.spindle.task.Cancelled("cancelled", e);
            }
            loop.callExceptionHandler(
                    new ExceptionContext("connection handler failed for peer " + peer + ": " + e, e, self));
        } finally {
            if (writer == null) {
                t.close(); // the TLS handshake failed or was cancelled
            } else if (clean) {
                writer.close();
            } else {
                writer.abort();
            }
        }
    }
}
