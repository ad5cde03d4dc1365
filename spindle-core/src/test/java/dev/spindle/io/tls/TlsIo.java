package dev.spindle.io.tls;

import dev.spindle.io.internal.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;

/** Test helpers: reading and writing whole messages over a transport, and JDK peers on platform threads. */
final class TlsIo {
    private TlsIo() {}

    static void write(Transport t, String s) throws IOException {
        t.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** Reads up to and including the next newline (a byte at a time: the TLS layer keeps the rest). */
    static String readLine(Transport t) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (t.read(one) < 0) {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(one.get(0));
            if (one.get(0) == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
        }
    }

    static byte[] readExactly(Transport t, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (t.read(buf) < 0) {
                throw new IOException("EOF after " + buf.position() + " of " + n + " bytes");
            }
        }
        return buf.array();
    }

    static byte[] readToEnd(Transport t) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
        while (t.read(buf.clear()) >= 0) {
            all.write(buf.array(), 0, buf.position());
        }
        return all.toByteArray();
    }

    /** Reads {@code n} bytes in reads of varying buffer sizes (small ones go through the TLS layer's own buffer). */
    static long readCrc(Transport t, long n) throws IOException {
        CRC32 crc = new CRC32();
        Random sizes = new Random(n);
        long left = n;
        while (left > 0) {
            int size = sizes.nextBoolean() ? 1 + sizes.nextInt(4096) : 64 * 1024;
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size, left));
            int got = t.read(buf);
            if (got < 0) {
                throw new IOException("EOF with " + left + " bytes still expected");
            }
            crc.update(buf.array(), 0, got);
            left -= got;
        }
        return crc.getValue();
    }

    /** Writes {@code n} pseudo-random bytes (seeded) in writes of varying sizes; returns their CRC. */
    static long writeRandom(Transport t, long n, long seed) throws IOException {
        CRC32 crc = new CRC32();
        Random r = new Random(seed);
        long left = n;
        while (left > 0) {
            byte[] chunk = new byte[(int) Math.min(1 + r.nextInt(100_000), left)];
            r.nextBytes(chunk);
            crc.update(chunk);
            t.write(ByteBuffer.wrap(chunk));
            left -= chunk.length;
        }
        return crc.getValue();
    }

    static long writeRandom(OutputStream out, long n, long seed) throws IOException {
        CRC32 crc = new CRC32();
        Random r = new Random(seed);
        long left = n;
        while (left > 0) {
            byte[] chunk = new byte[(int) Math.min(1 + r.nextInt(100_000), left)];
            r.nextBytes(chunk);
            crc.update(chunk);
            out.write(chunk);
            left -= chunk.length;
        }
        out.flush();
        return crc.getValue();
    }

    static long readCrc(InputStream in, long n) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[50_000];
        long left = n;
        while (left > 0) {
            int got = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (got < 0) {
                throw new IOException("EOF with " + left + " bytes still expected");
            }
            crc.update(buf, 0, got);
            left -= got;
        }
        return crc.getValue();
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    /** Runs {@code body} on a new platform thread: a JDK peer doing blocking I/O. */
    static <T> CompletableFuture<T> onThread(Callable<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("jdk-peer").start(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** A JDK peer that accepts one connection on {@code server} and runs {@code body} on it. */
    interface Peer<T> {
        T run(Socket s) throws Exception;
    }

    static <T> CompletableFuture<T> acceptOne(ServerSocket server, Peer<T> body) {
        return onThread(() -> {
            try (server;
                    Socket s = server.accept()) {
                s.setSoTimeout(20_000);
                return body.run(s);
            }
        });
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
