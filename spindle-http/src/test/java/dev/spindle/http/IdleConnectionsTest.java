package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 10,000 idle keep-alive connections held at once from this one process against a server in a child JVM: every one
 * served, every one still open, and the server's heap and RSS per idle connection measured (printed; bounded loosely
 * so that a leak fails the test, not a figure on a busy machine).
 */
class IdleConnectionsTest {
    static final int CONNECTIONS = Integer.getInteger("spindle.http.idleConnections", 10_000);
    static final byte[] GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void tenThousandIdleKeepAliveConnections() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "--add-opens",
                        "java.base/java.lang=ALL-UNNAMED",
                        "--enable-native-access=ALL-UNNAMED",
                        "-Xmx512m",
                        "-Dspindle.io.backend=" + System.getProperty("spindle.io.backend", "nio"),
                        "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                        "-cp",
                        System.getProperty("java.class.path"),
                        IdleMain.class.getName())
                .redirectErrorStream(true)
                .start();
        List<Socket> sockets = new ArrayList<>(CONNECTIONS);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("port "), String.valueOf(line));
            int port = Integer.parseInt(line.substring(5).trim());
            long[] before = stats(port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            byte[] buf = new byte[512];
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                s.setSoTimeout(10_000);
                sockets.add(s);
                s.getOutputStream().write(GET);
                int n = s.getInputStream().read(buf); // the whole small response comes in one segment
                String head = new String(buf, 0, Math.max(n, 0), StandardCharsets.US_ASCII);
                assertTrue(head.startsWith("HTTP/1.1 200") && head.endsWith("ok"), head);
                assertTrue(System.nanoTime() < deadline, "opening the connections took more than 120 s");
            }
            long[] after = stats(port);
            assertEquals(CONNECTIONS + 1, after[0], "every idle connection is still open (plus the stats one)");
            double heapPer = (after[1] - before[1]) / (double) CONNECTIONS;
            double rssPer = (after[2] - before[2]) / (double) CONNECTIONS;
            System.out.printf(
                    "idle keep-alive connections (%s backend): %d held; server heap %.0f bytes/connection, RSS %.0f"
                            + " bytes/connection (heap %d -> %d, RSS %d -> %d)%n",
                    System.getProperty("spindle.io.backend", "nio"),
                    CONNECTIONS,
                    heapPer,
                    rssPer,
                    before[1],
                    after[1],
                    before[2],
                    after[2]);
            assertTrue(heapPer < 64 * 1024, "more than 64 KiB of heap per idle connection: " + heapPer);
            // one more request on the first and the last connection: idle ones still work
            for (Socket s : List.of(sockets.getFirst(), sockets.getLast())) {
                s.getOutputStream().write(GET);
                int n = s.getInputStream().read(buf);
                assertTrue(new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }

    /** {connections, heap bytes, RSS bytes} from the child. */
    private static long[] stats(int port) throws Exception {
        try (TestServer.Raw c = new TestServer.Raw(port)) {
            c.send("GET /stats HTTP/1.1\r\nHost: x\r\n\r\n");
            String[] parts = c.read().text().split(" ");
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])};
        }
    }
}
