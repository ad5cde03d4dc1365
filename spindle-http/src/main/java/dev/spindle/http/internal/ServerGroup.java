package dev.spindle.http.internal;

import dev.spindle.Spindle;
import dev.spindle.http.Handler;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.loop.Loop;
import dev.spindle.task.Task;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loops of one {@code HttpServer}: the caller's loop alone, or N loops on platform threads of their own sharing
 * the port with SO_REUSEPORT (core's {@code MultiLoopServer} does the same, but ends its loops at {@code close()},
 * with no way to stop accepting while in-flight requests finish; this class needs that for a graceful shutdown).
 *
 * <p>Thread-safe: the counters are atomic, and work on a loop is submitted to it.
 */
public final class ServerGroup {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final HttpServerOptions options;
    private final List<LoopServer> servers = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean shutdownBegun = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    /** Open connections over every loop (maxConnections). */
    final AtomicInteger open = new AtomicInteger();

    private List<SocketAddress> addresses = List.of();

    private ServerGroup(HttpServerOptions options) {
        this.options = options;
    }

    public static ServerGroup start(Handler handler, HttpServerOptions options) {
        ServerGroup g = new ServerGroup(options);
        if (Task.currentOrNull() != null) {
            LoopServer s = LoopServer.start(g, handler, options, options.port(), false);
            g.servers.add(s);
            g.addresses = s.addresses();
            Task.spawn(s.loop, "http-stopped-watch", () -> {
                s.stopped.await();
                g.stopped.complete(null);
            });
            return g;
        }
        int n = options.loops() == 0 ? Runtime.getRuntime().availableProcessors() : options.loops();
        try {
            int port = options.port();
            for (int i = 0; i < n; i++) {
                CompletableFuture<LoopServer> started = new CompletableFuture<>();
                int p = port;
                boolean reuse = n > 1;
                Thread t = Thread.ofPlatform()
                        .name("spindle-http-loop-" + i)
                        .start(() -> g.runLoop(handler, p, reuse, started));
                g.threads.add(t);
                LoopServer s = await(started);
                g.servers.add(s);
                if (i == 0) {
                    g.addresses = s.addresses();
                    port = ((InetSocketAddress) g.addresses.getFirst()).getPort();
                }
            }
        } catch (RuntimeException e) {
            g.stopLoopsAfterFailedStart();
            throw e;
        }
        Thread.ofPlatform().daemon().name("spindle-http-join").start(() -> {
            for (Thread t : g.threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            g.stopped.complete(null);
        });
        return g;
    }

    /** A loop failed to start: the others stop at once, and their threads are awaited. */
    private void stopLoopsAfterFailedStart() {
        shutdownBegun.set(true);
        for (LoopServer s : servers) {
            try {
                s.loop.submit(() -> {
                    s.shutdown(Duration.ZERO);
                    return null;
                });
            } catch (RuntimeException ignored) {
                // that loop ended already
            }
        }
        for (Thread t : threads) {
            try {
                t.join(START_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopped.complete(null);
    }

    private void runLoop(Handler handler, int port, boolean reuse, CompletableFuture<LoopServer> started) {
        try {
            Spindle.run(() -> {
                LoopServer s;
                try {
                    s = LoopServer.start(this, handler, options, port, reuse);
                } catch (RuntimeException e) {
                    started.completeExceptionally(e);
                    return;
                }
                started.complete(s);
                s.stopped.await();
            });
        } catch (RuntimeException e) {
            if (!started.completeExceptionally(e)) {
                System.getLogger("dev.spindle.http.error")
                        .log(System.Logger.Level.ERROR, "an HTTP server loop failed: " + e, e);
            }
        }
    }

    private static LoopServer await(CompletableFuture<LoopServer> f) {
        try {
            return f.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("an HTTP server loop did not start within " + START_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the HTTP server loops", e);
        }
    }

    public List<SocketAddress> addresses() {
        return addresses;
    }

    public int loops() {
        return servers.size();
    }

    public int connections() {
        return open.get();
    }

    public boolean isServing() {
        return !shutdownBegun.get();
    }

    public HttpServerOptions options() {
        return options;
    }

    public void onShutdown(Runnable hook) {
        hooks.add(hook);
    }

    /** Waits until every loop has stopped. */
    public void awaitStopped() {
        waitFor(stopped);
    }

    /** Shuts every loop down gracefully within {@code grace}, and waits for the end. */
    public void shutdown(Duration grace) {
        if (shutdownBegun.compareAndSet(false, true)) {
            for (Runnable r : hooks) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    System.getLogger("dev.spindle.http.error")
                            .log(System.Logger.Level.WARNING, "a server shutdown hook failed: " + e, e);
                }
            }
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (LoopServer s : servers) {
            Loop l = s.loop;
            if (!l.isClosed()) {
                try {
                    done.add(l.submit(() -> {
                        s.shutdown(grace);
                        return null;
                    }));
                } catch (RuntimeException e) {
                    // the loop ended meanwhile
                }
            }
        }
        waitFor(CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)));
        if (!threads.isEmpty()) {
            awaitStopped();
        }
    }

    private static void waitFor(CompletableFuture<?> f) {
        if (Task.currentOrNull() != null) {
            Spindle.await(f);
            return;
        }
        try {
            f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the HTTP server", e);
        }
    }

    /** SIGINT/SIGTERM: the first shuts down gracefully, a second at once. */
    public void serveUntilSignal() {
        if (Task.currentOrNull() != null) {
            throw new IllegalStateException("serveUntilSignal blocks its thread: call it from a plain thread");
        }
        SignalTrap trap = SignalTrap.install(count -> {
            Duration grace = count == 1 ? options.shutdownTimeout() : Duration.ZERO;
            Thread.ofPlatform().name("spindle-http-shutdown-" + count).start(() -> shutdown(grace));
        });
        try {
            awaitStopped();
        } finally {
            trap.uninstall();
        }
    }
}
