package dev.spindle.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * What NIO adds to one system call: a non-blocking {@link SocketChannel#read} that finds nothing, against the same
 * {@code read(2)} called straight through the FFM API on a non-blocking socket pair (with and without capturing
 * {@code errno}). The difference is NIO's own per-call cost (locks, state checks, JNI); the rest is the kernel's.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar dev.spindle.bench.ReadCallCost [calls]
 * </pre>
 */
public final class ReadCallCost {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM_NONBLOCK = 1 | 04000;

    private ReadCallCost() {}

    public static void main(String[] args) throws Throwable {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel accepted = server.accept()) {
            client.configureBlocking(false);
            ByteBuffer buf = ByteBuffer.allocateDirect(65536);
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    buf.clear();
                    client.read(buf);
                }
                report("NIO SocketChannel.read, nothing there", t0, calls);
            }
        }

        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        MethodHandle socketpair = linker.downcallHandle(
                libc.find("socketpair").orElseThrow(),
                FunctionDescriptor.of(
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS));
        FunctionDescriptor readSignature = FunctionDescriptor.of(
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
        MethodHandle readWithErrno = linker.downcallHandle(
                libc.find("read").orElseThrow(), readSignature, Linker.Option.captureCallState("errno"));
        MethodHandle readCritical =
                linker.downcallHandle(libc.find("read").orElseThrow(), readSignature, Linker.Option.critical(false));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(8);
            int rc = (int) socketpair.invokeExact(AF_UNIX, SOCK_STREAM_NONBLOCK, 0, fds);
            if (rc != 0) {
                throw new IllegalStateException("socketpair failed");
            }
            int fd = fds.get(ValueLayout.JAVA_INT, 0);
            MemorySegment mem = arena.allocate(65536);
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            long sink = 0;
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    sink += (long) readWithErrno.invokeExact(state, fd, mem, 65536L);
                }
                report("FFM read(2), errno captured, nothing there", t0, calls);
                t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    sink += (long) readCritical.invokeExact(fd, mem, 65536L);
                }
                report("FFM read(2), critical, nothing there", t0, calls);
            }
            if (sink > 0) {
                System.out.println("(unexpected data: " + sink + ")");
            }
        }
    }

    private static void report(String what, long t0, int calls) {
        System.out.printf("%-45s %6.1f ns/call%n", what, (System.nanoTime() - t0) / (double) calls);
    }
}
