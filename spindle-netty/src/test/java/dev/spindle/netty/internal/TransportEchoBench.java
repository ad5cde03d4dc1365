package dev.spindle.netty.internal;

import static dev.spindle.Spindle.spawn;

import dev.spindle.Spindle;
import dev.spindle.io.internal.Listener;
import dev.spindle.io.internal.NetBackend;
import dev.spindle.io.internal.Transport;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Task;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rough transport-level echo benchmark (not a test): one server loop running the backend that
 * {@code -Dspindle.io.backend} names (and, for netty, the driver {@code -Dspindle.netty.driver} names), and one client
 * loop on another thread that always uses Netty epoll, so that only the server side changes between runs. 64
 * connections each send a message and wait for its echo, for a bounded time. Reports requests/s and the server loop
 * thread's CPU time per request (user and total), the comparable figure on a 2-core machine.
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -cp ... \
 *     -Dspindle.io.backend=netty dev.spindle.netty.internal.TransportEchoBench [connections] [bytes] [seconds]
 * </pre>
 */
public final class TransportEchoBench {
    private TransportEchoBench() {}

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 5;
        double warmup = 2;
        NetBackend serverBackend = NetBackend.current();
        String label = serverBackend.name()
                + (serverBackend.name().equals("netty")
                        ? "/" + IoDriver.chosen().name().toLowerCase()
                        : "");

        CompletableFuture<SocketAddress> bound = new CompletableFuture<>();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        AtomicLong serverThreadId = new AtomicLong();
        Thread server = Thread.ofPlatform()
                .name("echo-server")
                .start(() -> Spindle.run(() -> {
                    serverThreadId.set(Thread.currentThread().threadId());
                    EventLoop loop = EventLoop.current();
                    try (Listener l = serverBackend.listen(loop, new InetSocketAddress("127.0.0.1", 0), 1024, false)) {
                        bound.complete(l.localAddress());
                        Task<Void> acceptor = spawn(() -> {
                            while (true) {
                                Transport t = l.accept();
                                spawn(() -> {
                                    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                                    try (t) {
                                        while (t.read(buf.clear()) > 0) {
                                            t.write(buf.flip());
                                        }
                                    }
                                });
                            }
                        });
                        Spindle.await(stop);
                        acceptor.cancel();
                    }
                }));

        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] result = Spindle.run(() -> {
            NettyPoller.of(EventLoop.current(), IoDriver.EPOLL);
            SocketAddress address = Spindle.await(bound);
            AtomicLong requests = new AtomicLong();
            long start = System.nanoTime();
            long measureFrom = start + (long) (warmup * 1e9);
            long end = measureFrom + (long) (seconds * 1e9);
            List<Task<Void>> clients = new ArrayList<>();
            NettyBackend client = new NettyBackend();
            for (int i = 0; i < connections; i++) {
                clients.add(spawn(() -> {
                    try (Transport c = client.connect(EventLoop.current(), address)) {
                        ByteBuffer out = ByteBuffer.allocate(size);
                        ByteBuffer in = ByteBuffer.allocate(size);
                        while (System.nanoTime() < end) {
                            c.write(out.clear());
                            in.clear();
                            while (in.hasRemaining()) {
                                if (c.read(in) < 0) {
                                    throw new IllegalStateException("server closed");
                                }
                            }
                            requests.incrementAndGet();
                        }
                    }
                }));
            }
            Spindle.sleep(java.time.Duration.ofNanos(measureFrom - System.nanoTime()));
            long r0 = requests.get();
            long u0 = mx.getThreadUserTime(serverThreadId.get());
            long c0 = mx.getThreadCpuTime(serverThreadId.get());
            long t0 = System.nanoTime();
            Spindle.sleep(java.time.Duration.ofNanos(end - System.nanoTime()));
            long r1 = requests.get();
            long u1 = mx.getThreadUserTime(serverThreadId.get());
            long c1 = mx.getThreadCpuTime(serverThreadId.get());
            long t1 = System.nanoTime();
            for (Task<Void> t : clients) {
                t.await();
            }
            return new long[] {r1 - r0, u1 - u0, c1 - c0, t1 - t0};
        });
        stop.complete(null);
        server.join();
        double reqs = result[0];
        double secs = result[3] / 1e9;
        System.out.printf(
                "%-16s conns=%d size=%d  req/s=%,.0f  MiB/s=%.1f  server user us/req=%.2f  server cpu us/req=%.2f%n",
                label,
                connections,
                size,
                reqs / secs,
                reqs * size / secs / (1 << 20),
                result[1] / 1e3 / reqs,
                result[2] / 1e3 / reqs);
    }
}
