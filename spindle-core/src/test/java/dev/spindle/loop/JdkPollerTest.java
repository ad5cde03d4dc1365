package dev.spindle.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Regression: the JDK starts its socket poller threads (virtual threads) on first use, and a virtual thread made
 * inside a coroutine inherits the coroutine's loop as scheduler. If the first socket operation of the JVM happened
 * in a coroutine, the pollers died with that loop and every later socket call hung. Needs a fresh JVM, since the
 * pollers start once per JVM.
 */
class JdkPollerTest {
    public static void main(String[] args) throws Exception {
        for (int round = 0; round < 3; round++) {
            int r = round;
            // each round runs on a new loop; the first one makes the JVM's first socket calls from a coroutine
            int echoed = Spindle.run(() -> {
                try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
                    var accepted = Spindle.spawn(() -> {
                        try (Socket s = server.accept();
                                InputStream in = s.getInputStream();
                                OutputStream out = s.getOutputStream()) {
                            out.write(in.read());
                        }
                    });
                    try (Socket c = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                        c.getOutputStream().write(r + 40);
                        int v = c.getInputStream().read();
                        accepted.await();
                        return v;
                    }
                }
            });
            System.out.println("round " + round + " echoed " + echoed);
        }
    }

    @Test
    void socketsKeepWorkingAfterTheLoopThatFirstUsedThemCloses() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(
                        java,
                        "--add-opens",
                        "java.base/java.lang=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        JdkPollerTest.class.getName()))
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        boolean finished = p.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(finished, "socket I/O hung in a later loop: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("round 2 echoed 42"), out);
    }
}
