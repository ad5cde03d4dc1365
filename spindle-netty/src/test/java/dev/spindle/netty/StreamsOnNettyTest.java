package dev.spindle.netty;

import static dev.spindle.Spindle.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.Connection;
import dev.spindle.io.Server;
import dev.spindle.io.Streams;
import dev.spindle.io.internal.NetBackend;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.netty.internal.NettyBackend;
import dev.spindle.netty.internal.NettyPoller;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-line switch: after {@link SpindleNetty#use()} the public streams API runs on Netty's sockets (also run in
 * the streams-suite execution, where it proves that suite's loops really poll Netty).
 */
@Timeout(30)
class StreamsOnNettyTest {
    @Test
    void afterUseTheStreamsApiRunsOnNettySocketsPolledByTheLoop(@TempDir Path dir) {
        SpindleNetty.use();
        assertTrue(SpindleNetty.inUse());
        assertInstanceOf(NettyBackend.class, NetBackend.current());
        run(() -> {
            Server server = Streams.startServer(
                    (r, w) -> {
                        byte[] line;
                        while ((line = r.readLine()).length > 0) {
                            w.write(line);
                            w.drain();
                        }
                    },
                    "127.0.0.1",
                    0);
            int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
            try (Connection c = Streams.openConnection("127.0.0.1", port)) {
                c.writer().write("hello\n".getBytes(StandardCharsets.UTF_8));
                assertArrayEquals(
                        "hello\n".getBytes(StandardCharsets.UTF_8), c.reader().readLine());
            }
            Server unix = Streams.startUnixServer((r, w) -> w.write(r.readLine()), dir.resolve("s.sock"));
            try (Connection c = Streams.openUnixConnection(dir.resolve("s.sock"))) {
                c.writer().write("unix\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("unix\n", new String(c.reader().readLine(), StandardCharsets.UTF_8));
            }
            assertInstanceOf(NettyPoller.class, EventLoop.current().pollerOrNull());
            unix.close();
            server.close();
            server.waitClosed();
        });
    }
}
