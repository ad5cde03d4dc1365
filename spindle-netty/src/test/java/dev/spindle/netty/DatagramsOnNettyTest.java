package dev.spindle.netty;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spindle.io.Connection;
import dev.spindle.io.Datagram;
import dev.spindle.io.DatagramEndpoint;
import dev.spindle.io.Server;
import dev.spindle.io.Streams;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.netty.internal.IoDriver;
import dev.spindle.netty.internal.NettyPoller;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * UDP endpoints on a loop whose I/O goes through Netty: a loop has one poller, so before datagrams had a Netty socket
 * a loop serving streams on Netty could not open one. Also run in the streams-suite execution, where it proves that
 * core's udp tests there run on Netty's poller.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatagramsOnNettyTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Datagrams and a TCP echo, interleaved on the current loop; closes everything it opened. */
    private static void datagramsAndStreamsTogether(DatagramEndpoint udp) throws Exception {
        try (DatagramEndpoint peer =
                DatagramEndpoint.connect("127.0.0.1", udp.localAddress().getPort())) {
            Server server = Streams.startServer(
                    (r, w) -> {
                        w.write(r.readLine());
                        w.drain();
                    },
                    "127.0.0.1",
                    0);
            int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
            try (Connection c = Streams.openConnection("127.0.0.1", port)) {
                peer.send(bytes("over udp"));
                c.writer().write(bytes("over tcp\n"));
                Datagram d = withTimeout(BOUND, () -> udp.receive());
                assertEquals(new Datagram(bytes("over udp"), peer.localAddress()), d);
                assertArrayEquals(bytes("over tcp\n"), c.reader().readLine());
                udp.send(bytes("answer"), d.sender());
                assertEquals("answer", withTimeout(BOUND, () -> peer.receive()).text());
            }
            server.close();
            server.waitClosed();
        }
    }

    @Test
    void anEndpointOpensItsSocketOnNettysPollerAndStreamsShareIt() {
        SpindleNetty.use();
        run(() -> {
            try (DatagramEndpoint udp = DatagramEndpoint.bind("127.0.0.1", 0)) {
                assertInstanceOf(NettyPoller.class, EventLoop.current().pollerOrNull());
                datagramsAndStreamsTogether(udp);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(IoDriver.class)
    void everyDriverCarriesDatagramsAndClosesTheLoopRightAfterThem(IoDriver driver) {
        assumeTrue(driver.isAvailable(), driver + " is not available here");
        SpindleNetty.use();
        run(() -> {
            NettyPoller poller = NettyPoller.of(EventLoop.current(), driver); // before an endpoint installs the default
            try (DatagramEndpoint udp = DatagramEndpoint.bind("127.0.0.1", 0)) {
                assertSame(poller, EventLoop.current().pollerOrNull());
                datagramsAndStreamsTogether(udp);
            }
            // The loop closes now, right after the sockets: io_uring's shutdown waits until each poll is removed.
        });
    }
}
