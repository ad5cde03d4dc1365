package dev.spindle.io.tls;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.io.ConnectOptions;
import dev.spindle.io.Connection;
import dev.spindle.io.ConnectionLost;
import dev.spindle.io.Server;
import dev.spindle.io.ServerOptions;
import dev.spindle.io.Streams;
import dev.spindle.loop.Loop;
import dev.spindle.task.LoopFuture;
import dev.spindle.time.TimedOut;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link dev.spindle.io.StreamWriter#sendFile} over TLS: the bytes must be encrypted, so the file goes through the
 * copying path; the peer must get exactly the plaintext range, between the writes around it, and a cancelled transfer
 * must abort the connection as on plain TCP.
 */
@Timeout(60)
class TlsSendFileTest {
    @TempDir
    Path dir;

    @Test
    void aFileAndARangeGoOutEncryptedBetweenTheWritesAroundThem() throws Exception {
        byte[] content = new byte[5 << 20];
        new Random(11).nextBytes(content);
        Path path = Files.write(dir.resolve("tls.bin"), content);
        run(() -> {
            LoopFuture<Long[]> sent = Loop.current().createFuture();
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                            writer.write("head".getBytes(StandardCharsets.US_ASCII));
                            long a = writer.sendFile(ch, 0, ch.size());
                            long b = writer.sendFile(ch, 1_000_001, 70_000);
                            writer.write("tail".getBytes(StandardCharsets.US_ASCII));
                            writer.close();
                            sent.setResult(new Long[] {a, b});
                        }
                    },
                    "127.0.0.1",
                    0,
                    ServerOptions.builder().tls(TestCerts.server()).build());
            int port = ((InetSocketAddress) server.addresses().getFirst()).getPort();
            Connection c = Streams.openConnection(
                    "localhost",
                    port,
                    ConnectOptions.builder().tls(TestCerts.client()).build());
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            for (byte[] b = c.reader().read(1 << 16);
                    b.length > 0;
                    b = c.reader().read(1 << 16)) {
                got.writeBytes(b);
            }
            assertArrayEquals(new Long[] {(long) content.length, 70_000L}, sent.await());
            ByteArrayOutputStream want = new ByteArrayOutputStream();
            want.writeBytes("head".getBytes(StandardCharsets.US_ASCII));
            want.writeBytes(content);
            want.writeBytes(Arrays.copyOfRange(content, 1_000_001, 1_070_001));
            want.writeBytes("tail".getBytes(StandardCharsets.US_ASCII));
            assertEquals(want.size(), got.size());
            assertArrayEquals(want.toByteArray(), got.toByteArray());
            c.close();
            server.close();
            return null;
        });
    }

    @Test
    void cancelledMidwayOverTlsTheConnectionIsAborted() throws Exception {
        byte[] content = new byte[16 << 20];
        new Random(12).nextBytes(content);
        Path path = Files.write(dir.resolve("tls-cancel.bin"), content);
        run(() -> {
            LoopFuture<Throwable> after = Loop.current().createFuture();
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                            assertThrows(
                                    TimedOut.class,
                                    () -> withTimeout(Duration.ofMillis(100), () -> writer.sendFile(ch, 0, ch.size())));
                            after.setResult(assertThrows(ConnectionLost.class, () -> writer.write(new byte[1])));
                        } catch (Throwable t) {
                            after.setException(t);
                        }
                    },
                    "127.0.0.1",
                    0,
                    ServerOptions.builder().tls(TestCerts.server()).build());
            int port = ((InetSocketAddress) server.addresses().getFirst()).getPort();
            Connection c = Streams.openConnection(
                    "localhost",
                    port,
                    ConnectOptions.builder().tls(TestCerts.client()).build());
            c.writer().write(new byte[] {'x'}); // the client reads nothing: the server's transfer stalls
            Throwable e = after.await();
            assertEquals(true, e.getMessage().contains("sendFile was cancelled"), e.getMessage());
            c.writer().abort();
            server.close();
            return null;
        });
    }
}
