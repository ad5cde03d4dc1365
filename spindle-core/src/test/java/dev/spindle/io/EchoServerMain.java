package dev.spindle.io;

import static dev.spindle.Spindle.run;

/**
 * A Spindle echo server on one loop, for measuring by hand with the echo benchmark's load client:
 * {@code java --add-opens java.base/java.lang=ALL-UNNAMED -cp ... dev.spindle.io.EchoServerMain 127.0.0.1 9000}.
 * Runs until killed. (The benchmark's own server lives in the benchmarks module.)
 */
public final class EchoServerMain {
    private EchoServerMain() {}

    public static void main(String[] args) {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9000;
        boolean direct = args.length > 2 && args[2].equals("direct");
        ConnectionHandler arrays = (reader, writer) -> {
            byte[] data;
            while ((data = reader.read(65536)).length > 0) {
                writer.write(data);
                writer.drain();
            }
        };
        // The same without a copy in user space: read into a direct buffer, write from it.
        ConnectionHandler buffers = (reader, writer) -> {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(65536);
            while (reader.read(buf.clear()) > 0) {
                writer.write(buf.flip());
                writer.drain();
            }
        };
        run(() -> {
            Server server = Streams.startServer(
                    direct ? buffers : arrays,
                    host,
                    port,
                    ServerOptions.builder().backlog(1024).build());
            System.out.println("listening on " + server.addresses());
            server.serveForever();
        });
    }
}
