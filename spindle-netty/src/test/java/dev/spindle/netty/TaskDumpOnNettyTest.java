package dev.spindle.netty;

import static dev.spindle.Spindle.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.io.Connection;
import dev.spindle.io.Server;
import dev.spindle.io.Streams;
import dev.spindle.loop.Loop;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.netty.internal.NettyPoller;
import dev.spindle.observe.TaskDump;
import dev.spindle.task.Task;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14: a task waiting on a Netty socket shows in a task dump as it does on core's NIO sockets: the kind of wait
 * ({@code socket-read}, {@code socket-accept}) and the socket's addresses.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskDumpOnNettyTest {

    @Test
    void aTaskBlockedInAReadOrAnAcceptIsDumpedWithItsSocketsAddresses() {
        SpindleNetty.use();
        run(() -> {
            Server server = Streams.startServer((r, w) -> r.read(100), "127.0.0.1", 0); // reads, never answers
            int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
            try (Connection c = Streams.openConnection("127.0.0.1", port)) {
                assertInstanceOf(NettyPoller.class, EventLoop.current().pollerOrNull());
                Task<byte[]> reader =
                        Spindle.spawn("netty-reader", () -> c.reader().readLine());
                Spindle.sleep(Duration.ofMillis(200)); // the reader parks on its socket
                TaskDump dump = Loop.current().dumpTasks();
                TaskDump.TaskEntry t = dump.task("netty-reader");
                assertNotNull(t, dump.toText());
                assertEquals(TaskDump.State.SUSPENDED, t.state(), t.toString());
                assertNotNull(t.waitsOn(), t.toString());
                assertEquals("socket-read", t.waitsOn().kind(), t.waitsOn().toString());
                String local = c.writer().localAddress().toString();
                String remote = c.writer().remoteAddress().toString();
                assertTrue(
                        t.waitsOn().detail().contains("NettySocket[connected local=" + local + " remote=" + remote),
                        t.waitsOn().detail() + " should name " + local + " and " + remote);
                String text = dump.toText();
                assertTrue(text.contains("socket-read"), text);

                TaskDump.TaskEntry accept = dump.loops().get(0).tasks().stream()
                        .filter(e -> e.waitsOn() != null && e.waitsOn().kind().equals("socket-accept"))
                        .findFirst()
                        .orElse(null);
                assertNotNull(accept, "the server's accept loop: " + text);
                assertTrue(
                        accept.waitsOn().detail().contains("NettySocket[listening local=/127.0.0.1:" + port),
                        accept.waitsOn().detail());
                reader.cancel();
                Spindle.gatherOutcomes(reader);
            }
            server.close();
            server.waitClosed();
        });
    }
}
