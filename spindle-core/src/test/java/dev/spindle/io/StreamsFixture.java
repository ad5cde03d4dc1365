package dev.spindle.io;

import static dev.spindle.Spindle.sleep;

import dev.spindle.loop.Loop;
import dev.spindle.sync.LoopEvent;
import dev.spindle.task.LoopFuture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Helpers for the streams tests. They use only the public API, so the whole suite runs on whichever backend
 * {@code -Dspindle.io.backend} selects (nio by default; {@code netty} with the spindle-netty module on the class
 * path). Real sockets on 127.0.0.1 only.
 */
final class StreamsFixture {
    private StreamsFixture() {}

    /** Plain blocking peers run here, off the loop: daemon platform threads. */
    private static final ExecutorService PEERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-peer");
        t.setDaemon(true);
        return t;
    });

    static int port(Server s) {
        return ((InetSocketAddress) s.addresses().get(0)).getPort();
    }

    /** Runs blocking peer code on a platform thread; await the result with {@code Spindle.await}. */
    static <T> CompletableFuture<T> peer(Callable<T> body) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return body.call();
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                },
                PEERS);
    }

    /** A raw blocking socket to 127.0.0.1:port (for peers that misbehave on purpose). */
    static Socket rawClient(int port) {
        try {
            Socket s = new Socket("127.0.0.1", port);
            s.setTcpNoDelay(true);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Both ends of one TCP connection on the current loop: the client's connection and the server's handler ends. */
    static final class Pair implements AutoCloseable {
        final Server server;
        final Connection client;
        final StreamReader serverReader;
        final StreamWriter serverWriter;
        private final LoopEvent release;

        private Pair(Server server, Connection client, StreamReader r, StreamWriter w, LoopEvent release) {
            this.server = server;
            this.client = client;
            this.serverReader = r;
            this.serverWriter = w;
            this.release = release;
        }

        /** Ends the handler (closing the server's end), closes the client and the server, waits for the handler. */
        @Override
        public void close() {
            release.set();
            client.writer().abort();
            server.close();
            server.waitClosed();
        }
    }

    static Pair pair() {
        return pair(ServerOptions.defaults(), ConnectOptions.defaults());
    }

    static Pair pair(ServerOptions serverOptions, ConnectOptions connectOptions) {
        LoopFuture<Object[]> accepted = Loop.current().createFuture();
        LoopEvent release = new LoopEvent();
        Server server = Streams.startServer(
                (r, w) -> {
                    accepted.setResult(new Object[] {r, w});
                    release.await();
                },
                "127.0.0.1",
                0,
                serverOptions);
        Connection client = Streams.openConnection("127.0.0.1", port(server), connectOptions);
        Object[] ends = accepted.await();
        return new Pair(server, client, (StreamReader) ends[0], (StreamWriter) ends[1], release);
    }

    /** Lets the loop run a few passes (each sleep(0) yields one). */
    static void passes(int n) {
        for (int i = 0; i < n; i++) {
            sleep(Duration.ZERO);
        }
    }

    /** Waits (bounded) until {@code condition} holds, letting the loop and the peers run. */
    static void eventually(String what, BooleanSupplier condition) {
        for (int i = 0; i < 2000; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            sleep(Duration.ofMillis(5));
        }
        throw new AssertionError("not within 10 s: " + what);
    }

    /** How many file descriptors this process has open (Linux). */
    static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many sockets this process has open (Linux): file descriptors that link to {@code socket:[...]}. */
    static long openSockets() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                        } catch (IOException gone) {
                            return false; // closed while listing (the listing's own descriptor, for one)
                        }
                    })
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A listening socket whose accept queue is full, so that a connect to it hangs (Linux drops SYNs then): the
     * address, and what to close afterwards. Built from plain blocking sockets on a peer thread.
     */
    static final class Blackhole implements AutoCloseable {
        final java.nio.channels.ServerSocketChannel listener;
        final java.util.List<Socket> fillers = new java.util.ArrayList<>();
        final InetSocketAddress address;
        boolean full;

        Blackhole() throws IOException {
            listener = java.nio.channels.ServerSocketChannel.open();
            listener.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            address = (InetSocketAddress) listener.getLocalAddress();
            for (int i = 0; i < 64 && !full; i++) {
                Socket s = new Socket();
                try {
                    s.connect(address, 200);
                    fillers.add(s);
                } catch (java.net.SocketTimeoutException e) {
                    s.close();
                    full = true;
                }
            }
        }

        @Override
        public void close() throws IOException {
            for (Socket s : fillers) {
                s.close();
            }
            listener.close();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
}
