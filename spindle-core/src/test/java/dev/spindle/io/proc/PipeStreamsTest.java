package dev.spindle.io.proc;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.io.proc.SubprocessTest.BOUND;
import static dev.spindle.io.proc.SubprocessTest.bytes;
import static dev.spindle.io.proc.SubprocessTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.StreamReader;
import dev.spindle.io.StreamWriter;
import dev.spindle.io.internal.InboundPipe;
import dev.spindle.io.internal.OutboundPipe;
import dev.spindle.io.internal.PipeTransport;
import dev.spindle.loop.Loop;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** StreamReader and StreamWriter over the pipe transports themselves, with no process: what the pumps hold. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PipeStreamsTest {
    private static EventLoop loop() {
        return (EventLoop) Loop.current();
    }

    /** An endless stream of zeros that counts what was read from it. */
    private static final class Zeros extends InputStream {
        final AtomicLong read = new AtomicLong();

        @Override
        public int read() {
            read.incrementAndGet();
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 0);
            read.addAndGet(len);
            return len;
        }
    }

    @Test
    void anUnreadInboundPipeReadsExactlyItsLimitAhead() {
        run(() -> {
            Zeros zeros = new Zeros();
            InboundPipe pipe = PipeTransport.reading(loop(), zeros, "zeros", "spindle-test-zeros", 10_000);
            StreamReader reader = new StreamReader(pipe, 1000);
            withTimeout(BOUND, () -> {
                while (pipe.available() < 10_000) {
                    sleep(Duration.ofMillis(1));
                }
            });
            sleep(Duration.ofMillis(20)); // time for the pump to overrun, if it could
            assertEquals(10_000, pipe.available(), "the pump stops at the limit");
            assertEquals(10_000, zeros.read.get(), "and reads no more than it may hand over");
            // taking some makes room for as much again, and no more
            assertEquals(4000, pipe.read(ByteBuffer.allocate(4000)));
            withTimeout(BOUND, () -> {
                while (zeros.read.get() < 14_000) {
                    sleep(Duration.ofMillis(1));
                }
            });
            sleep(Duration.ofMillis(20));
            assertEquals(14_000, zeros.read.get());
            assertEquals(10_000, pipe.available());
            // a StreamReader on top reads ahead only what its own buffer has room for: bounded too
            assertEquals(4000, reader.readExactly(4000).length);
            pipe.close(); // ends the pump, which closes the stream
        });
    }

    @Test
    void aReadWokenByDataButCancelledBeforeItRanLeavesTheDataBuffered() throws Exception {
        Pipe os = Pipe.open();
        try (InputStream in = Channels.newInputStream(os.source());
                var sink = os.sink()) {
            run(() -> {
                InboundPipe pipe = PipeTransport.reading(loop(), in, "test pipe", "spindle-test-in", 1024);
                StreamReader reader = new StreamReader(pipe, 1024);
                Task<byte[]> r = spawn(() -> reader.read(100));
                sleep(Duration.ofMillis(5)); // r waits for data
                assertFalse(r.isDone());
                sink.write(ByteBuffer.wrap(bytes("two\n"))); // a few bytes: the OS pipe takes them at once
                // The pump hands the bytes to the loop in a callback, which wakes r: r becomes ready behind this
                // coroutine (ready since the previous pass), so this sees the bytes and cancels r before r runs.
                withTimeout(BOUND, () -> {
                    while (pipe.available() == 0) {
                        sleep(Duration.ZERO);
                    }
                });
                r.cancel();
                assertThrows(Cancelled.class, r::await);
                assertEquals(4, pipe.available(), "the cancelled read took nothing");
                assertEquals("two\n", text(reader.read(100)));
                sink.close();
                assertEquals(0, withTimeout(BOUND, () -> reader.read(100)).length);
                assertTrue(reader.atEof());
            });
        }
    }

    @Test
    void closingTheWriterWritesEverythingThenClosesThePipe() throws Exception {
        Pipe os = Pipe.open();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        // a slow platform-thread consumer of the OS pipe
        Thread consumer = Thread.ofPlatform().start(() -> {
            try (InputStream in = Channels.newInputStream(os.source())) {
                byte[] b = new byte[4096];
                int n;
                while ((n = in.read(b)) > 0) {
                    received.write(b, 0, n);
                    Thread.sleep(0, 100_000);
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        byte[] payload = new byte[300_000];
        new java.util.Random(7).nextBytes(payload);
        run(() -> {
            OutputStream out = Channels.newOutputStream(os.sink());
            OutboundPipe pipe = PipeTransport.writing(
                    loop(), out, "test pipe", "spindle-test-out", 8192, new CompletableFuture<Void>());
            StreamWriter writer = new StreamWriter(pipe);
            writer.write(payload);
            assertTrue(pipe.buffered() <= 8192, "the pipe holds at most its limit: " + pipe.buffered());
            assertTrue(writer.writeBufferSize() >= payload.length - 8192, "the writer holds the rest");
            writer.close();
            assertTrue(writer.isClosing());
            withTimeout(BOUND, () -> writer.waitClosed());
            assertFalse(pipe.isOpen());
        });
        consumer.join(BOUND.toMillis());
        assertFalse(consumer.isAlive(), "the consumer read the end of the pipe");
        assertEquals(
                java.util.HexFormat.of().formatHex(payload),
                java.util.HexFormat.of().formatHex(received.toByteArray()));
    }
}
