package dev.spindle.io;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import dev.spindle.task.internal.Sneaky;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One server spread over several loops, each on its own platform thread (uvicorn's workers, inside one JVM): every
 * loop listens on the same address with {@code SO_REUSEPORT}, and the kernel spreads incoming connections among
 * them. A connection stays on the loop that accepted it, so its handler is an ordinary coroutine of that loop, and
 * the loops share nothing unless the handler makes them.
 *
 * {@snippet :
 * try (MultiLoopServer server = MultiLoopServer.start(0, (reader, writer) -> {
 *     byte[] data;
 *     while ((data = reader.read(65536)).length > 0) {
 *         writer.write(data);
 *         writer.drain();
 *     }
 * }, "127.0.0.1", 8888, ServerOptions.defaults())) {
 *     server.join(); // until another thread calls close()
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Made and closed from a plain thread (not from a coroutine: it would block its loop).
 *       {@link #close()} and {@link #join()} may be called from any plain thread.
 *   <li><b>Ports.</b> With port 0 the first loop lets the system choose a port, and the others bind the same one.
 *   <li><b>Where SO_REUSEPORT is missing</b> (the option is not supported by the OS), starting fails with a
 *       {@link StreamError} naming it; use one loop there.
 *   <li><b>Closing.</b> {@link #close()} closes every loop's server; each loop then ends as {@link Spindle#run}
 *       does: handlers still running are cancelled and awaited. It waits for the loops' threads to end.
 * </ul>
 */
public final class MultiLoopServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final List<Worker> workers;
    private final List<SocketAddress> addresses;

    private MultiLoopServer(List<Worker> workers, List<SocketAddress> addresses) {
        this.workers = workers;
        this.addresses = addresses;
    }

    /** One loop, its thread, and its server once started. */
    private static final class Worker {
        final CompletableFuture<Server> started = new CompletableFuture<>();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        volatile Loop loop;
        Thread thread;
    }

    /**
     * Starts {@code loops} loops (0: one per available processor), each serving {@code host:port} with
     * {@code handler}, and returns once all of them listen.
     *
     * @throws StreamError if an address cannot be bound, or SO_REUSEPORT is not available
     * @throws IllegalArgumentException if {@code loops} is negative
     * @throws IllegalStateException if called from a coroutine
     */
    public static MultiLoopServer start(
            int loops, ConnectionHandler handler, String host, int port, ServerOptions options) {
        Objects.requireNonNull(handler, "handler");
        if (loops < 0) {
            throw new IllegalArgumentException("loops must be 0 (one per processor) or more, not " + loops);
        }
        if (dev.spindle.task.Task.currentOrNull() != null) {
            throw new IllegalStateException("MultiLoopServer.start blocks its thread: call it from a plain thread");
        }
        int n = loops == 0 ? Runtime.getRuntime().availableProcessors() : loops;
        ServerOptions o =
                ServerOptions.orDefaults(options).toBuilder().reusePort(true).build();
        List<Worker> workers = new ArrayList<>();
        List<SocketAddress> addresses = new ArrayList<>();
        int boundPort = port;
        try {
            for (int i = 0; i < n; i++) {
                Worker w = new Worker();
                workers.add(w);
                int p = boundPort;
                w.thread =
                        Thread.ofPlatform().name("spindle-server-loop-" + i).start(() -> serve(w, handler, host, p, o));
                Server s = awaitStart(w);
                if (i == 0) {
                    addresses.addAll(s.addresses());
                    boundPort = ((InetSocketAddress) addresses.getFirst()).getPort();
                }
            }
        } catch (RuntimeException e) {
            new MultiLoopServer(workers, addresses).close();
            throw e;
        }
        return new MultiLoopServer(List.copyOf(workers), List.copyOf(addresses));
    }

    private static void serve(Worker w, ConnectionHandler handler, String host, int port, ServerOptions o) {
        try {
            Spindle.run(() -> {
                w.loop = Loop.current();
                Server server;
                try {
                    server = Streams.startServer(handler, host, port, o);
                } catch (RuntimeException e) {
                    w.started.completeExceptionally(e);
                    return;
                }
                w.started.complete(server);
                server.serveForever();
            });
        } catch (RuntimeException e) {
            w.started.completeExceptionally(e);
        } finally {
            w.ended.complete(null);
        }
    }

    private static Server awaitStart(Worker w) {
        try {
            return w.started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw Sneaky.rethrow(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("a server loop did not start within " + START_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the server loops", e);
        }
    }

    /** The addresses every loop listens on. */
    public List<SocketAddress> addresses() {
        return addresses;
    }

    /** How many loops serve. */
    public int loops() {
        return workers.size();
    }

    /** Waits until the server is closed and every loop has ended. */
    public void join() {
        for (Worker w : workers) {
            w.ended.join();
        }
    }

    /** Closes every loop's server and waits for the loops to end. Closing twice does nothing more. */
    @Override
    public void close() {
        for (Worker w : workers) {
            Loop l = w.loop;
            Server s = w.started.isDone() && !w.started.isCompletedExceptionally() ? w.started.join() : null;
            if (l != null && s != null && !l.isClosed()) {
                try {
                    l.callSoonThreadsafe(s::close);
                } catch (RuntimeException ignored) {
                    // the loop ended meanwhile
                }
            }
        }
        join();
    }
}
