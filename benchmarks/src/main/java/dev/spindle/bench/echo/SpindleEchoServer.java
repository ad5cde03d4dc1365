package dev.spindle.bench.echo;

import static dev.spindle.Spindle.run;

import dev.spindle.io.Server;
import dev.spindle.io.ServerOptions;
import dev.spindle.io.Streams;
import java.nio.ByteBuffer;

/**
 * The echo server of the echo benchmark on Spindle: one loop, one coroutine per connection, written the way the
 * asyncio streams twin is (read up to 64 KiB, write it, drain). With {@code --bytes} the handler uses the
 * {@code byte[]} form ({@code reader.read(65536)}, as in asyncio); by default it reads into a direct
 * {@link ByteBuffer}, which the reader fills straight from the socket and the writer hands straight to the kernel.
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks.jar dev.spindle.bench.echo.SpindleEchoServer --port 9000
 * </pre>
 *
 * Runs until killed. {@code -Dspindle.io.backend=netty} switches it to the Netty backend (spindle-netty is in
 * benchmarks.jar; {@code --enable-native-access=ALL-UNNAMED} too), {@code -Dspindle.io.backend=jdk-poller} to this
 * module's {@link dev.spindle.bench.jdkpoller.JdkPollerBackend} (blocking JDK channels woken by the JDK's poller).
 */
public final class SpindleEchoServer {
    private SpindleEchoServer() {}

    public static void main(String[] args) {
        int port = 9000;
        boolean bytes = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--bytes")) {
                bytes = true;
            } else {
                System.err.println("usage: SpindleEchoServer [--port P] [--bytes]");
                System.exit(2);
            }
        }
        int p = port;
        boolean byteArrays = bytes;
        run(() -> {
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        if (byteArrays) {
                            byte[] data;
                            while ((data = reader.read(65536)).length > 0) {
                                writer.write(data);
                                writer.drain();
                            }
                        } else {
                            ByteBuffer buf = ByteBuffer.allocateDirect(65536);
                            while (reader.read(buf.clear()) > 0) {
                                writer.write(buf.flip());
                                writer.drain();
                            }
                        }
                    },
                    "127.0.0.1",
                    p,
                    ServerOptions.builder().backlog(1024).build());
            System.out.println("listening on " + server.addresses());
            server.serveForever();
        });
    }
}
