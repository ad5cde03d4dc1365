package dev.spindle.observe;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.taskGroup;
import static dev.spindle.Spindle.toThread;

import dev.spindle.Spindle;
import dev.spindle.io.Connection;
import dev.spindle.io.Server;
import dev.spindle.io.Streams;
import dev.spindle.loop.Loop;
import dev.spindle.queue.LoopQueue;
import dev.spindle.sync.LoopEvent;
import dev.spindle.sync.LoopLock;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A program whose tasks wait in every way a dump distinguishes, in two nested task groups: the fixture of the dump
 * tests, and (as a main) the child process that {@code spindle-ps} attaches to.
 *
 * <pre>
 * main
 * ├── TaskGroup g1
 * │   ├── sleeper            timer (1 h)
 * │   ├── lock-waiter        LoopLock held by main
 * │   ├── queue-getter       empty LoopQueue
 * │   ├── event-waiter       LoopEvent never set
 * │   ├── awaiter            awaits task 'forever'
 * │   ├── socket-reader      reads a socket the server never writes to
 * │   ├── jdk-blocker        LinkedBlockingQueue.take (a JDK call)
 * │   ├── thread-job         toThread job blocked on a latch
 * │   └── inner              opens TaskGroup g2
 * │       └── grandchild     awaits a LoopFuture
 * └── forever                awaits a LoopFuture (spawned outside the group)
 * </pre>
 */
public final class ObserveDemo {
    /** Completed with the loop once every task has had time to park. */
    final CompletableFuture<Loop> ready = new CompletableFuture<>();
    /** Completing it ends the program. */
    final CompletableFuture<Void> release = new CompletableFuture<>();

    private final CountDownLatch jobLatch = new CountDownLatch(1);
    private final LinkedBlockingQueue<String> jdkQueue = new LinkedBlockingQueue<>();

    public static void main(String[] args) throws Exception {
        ObserveDemo demo = new ObserveDemo();
        Thread t = Thread.ofPlatform().name("demo-loop").start(demo::run);
        demo.ready.get();
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the parent closes our stdin
        }
        demo.release.complete(null);
        t.join(10_000);
    }

    /** Runs the program on the calling thread until {@link #release} completes. */
    void run() {
        Spindle.run(() -> {
            LoopLock lock = new LoopLock();
            LoopQueue<String> queue = LoopQueue.fifo();
            LoopEvent event = new LoopEvent();
            LoopFuture<String> never = new LoopFuture<>();
            LoopFuture<String> deeper = new LoopFuture<>();
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        reader.read(1); // holds the connection open, writes nothing
                    },
                    "127.0.0.1",
                    0);
            int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
            Task<String> forever = spawn("forever", () -> never.await());
            try (var held = lock.acquire()) {
                taskGroup(g1 -> {
                    g1.spawn("sleeper", () -> {
                        sleep(Duration.ofHours(1));
                        return null;
                    });
                    g1.spawn("lock-waiter", () -> {
                        try (var h = lock.acquire()) {
                            return null;
                        }
                    });
                    g1.spawn("queue-getter", () -> queue.get());
                    g1.spawn("event-waiter", () -> {
                        event.await();
                        return null;
                    });
                    g1.spawn("awaiter", () -> forever.await());
                    g1.spawn("socket-reader", () -> {
                        try (Connection c = Streams.openConnection("127.0.0.1", port)) {
                            return c.reader().readLine();
                        }
                    });
                    g1.spawn("jdk-blocker", () -> jdkQueue.take());
                    g1.spawn(
                            "thread-job",
                            () -> toThread(() -> {
                                jobLatch.await();
                                return null;
                            }));
                    g1.spawn(
                            "inner",
                            () -> taskGroup(g2 -> {
                                g2.spawn("grandchild", () -> deeper.await());
                                return null;
                            }));
                    sleep(Duration.ofSeconds(1)); // everyone parks
                    ready.complete(Loop.current());
                    await(release);
                    throw new Done(); // cancels the group's children
                });
            } catch (dev.spindle.task.ExceptionGroup expected) {
                // Done, from the body
            } finally {
                jobLatch.countDown();
                jdkQueue.add("bye");
                forever.cancel();
                server.close();
            }
            return null;
        });
    }

    private static void await(CompletableFuture<Void> f) {
        Spindle.await(f);
    }

    /** Ends the demo's task group. */
    static final class Done extends RuntimeException {
        Done() {
            super("done", null, false, false);
        }
    }
}
