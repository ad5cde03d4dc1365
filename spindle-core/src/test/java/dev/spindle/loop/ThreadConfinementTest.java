package dev.spindle.loop;

import static dev.spindle.Spindle.gather;
import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.test.TestLoop.runTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.loop.internal.Carrier;
import dev.spindle.task.Task;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** No two coroutines of a loop ever run at once, and all of them run on the loop's thread. */
class ThreadConfinementTest {
    private int running; // deliberately unsynchronized: the loop is the only lock
    private long counter;
    private int overlaps;
    private int foreignCarriers;

    private void step(Thread loopThread) {
        if (running++ != 0) {
            overlaps++;
        }
        if (Carrier.currentCarrier() != loopThread) {
            foreignCarriers++;
        }
        long c = counter; // a read-modify-write that a second thread would break
        Thread.onSpinWait();
        counter = c + 1;
        running--;
    }

    @Test
    void coroutinesMixingSpindleAndJdkBlockingNeverOverlap() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 200, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket s = echo.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s;
                                    InputStream in = s.getInputStream();
                                    OutputStream out = s.getOutputStream()) {
                                int b;
                                while ((b = in.read()) >= 0) {
                                    out.write(b);
                                }
                            } catch (Exception ignored) {
                                // client gone
                            }
                        });
                    }
                } catch (Exception closed) {
                    // test over
                }
            });
            int tasks = 200;
            int rounds = 20;
            run(() -> {
                Thread loopThread = Carrier.currentCarrier();
                List<Task<Void>> all = new ArrayList<>();
                for (int i = 0; i < tasks; i++) {
                    int k = i;
                    all.add(spawn(() -> {
                        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), echo.getLocalPort())) {
                            for (int r = 0; r < rounds; r++) {
                                step(loopThread);
                                switch ((k + r) % 4) {
                                    case 0 -> sleep(Duration.ZERO);
                                    case 1 ->
                                        Thread.sleep(ThreadLocalRandom.current().nextInt(2));
                                    case 2 -> {
                                        s.getOutputStream().write(r);
                                        assertEquals(r, s.getInputStream().read());
                                    }
                                    default ->
                                        sleep(Duration.ofNanos(
                                                ThreadLocalRandom.current().nextInt(500_000)));
                                }
                                step(loopThread);
                            }
                        }
                    }));
                }
                gather(all);
            });
            server.interrupt();
        }
        assertEquals(0, overlaps, "two coroutines of one loop ran at the same time");
        assertEquals(0, foreignCarriers, "a coroutine ran on a thread other than its loop's");
        assertEquals(2L * tasks() * rounds(), counter, "lost updates mean unsynchronized state was raced");
    }

    private static int tasks() {
        return 200;
    }

    private static int rounds() {
        return 20;
    }

    @Test
    void callbacksAndCoroutinesAllRunOnTheLoopThread() {
        List<Boolean> onLoop = new ArrayList<>();
        runTest(() -> {
            Thread loopThread = Carrier.currentCarrier();
            assertTrue(Thread.currentThread().isVirtual());
            Loop loop = Loop.current();
            for (int i = 0; i < 50; i++) {
                loop.callSoon(() -> onLoop.add(Thread.currentThread() == loopThread));
                loop.callLater(Duration.ofMillis(i % 3), () -> onLoop.add(Thread.currentThread() == loopThread));
                spawn(() -> onLoop.add(Carrier.currentCarrier() == loopThread));
            }
            sleep(Duration.ofMillis(10));
        });
        assertEquals(150, onLoop.size());
        assertTrue(onLoop.stream().allMatch(b -> b));
    }
}
