package dev.spindle.tutorial;

// tutorial:begin
import static dev.spindle.Spindle.*;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.spindle.io.Connection;
import dev.spindle.io.Server;
import dev.spindle.io.Streams;
import dev.spindle.netty.SpindleNetty;
import java.net.InetSocketAddress;

public class NettyBackend {
    static void func() {
        Server server = Streams.startServer(
                (reader, writer) -> {
                    for (String line : reader.lines()) { // echo every line, upper-cased
                        writer.write((line.toUpperCase() + "\n").getBytes(UTF_8));
                    }
                },
                "127.0.0.1",
                0);
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();

        try (Connection c = Streams.openConnection("127.0.0.1", port)) {
            for (String word : new String[] {"hello", "netty"}) {
                c.writer().write((word + "\n").getBytes(UTF_8));
                System.out.println("echo: " + new String(c.reader().readLine(), UTF_8).strip());
            }
        }
        server.close();
        System.out.println("sockets went through Netty: " + SpindleNetty.inUse());
    }

    public static void main(String[] args) {
        SpindleNetty.use(); // uvloop.install(): first thing, before any socket is opened
        run(NettyBackend::func);
    }
}
// tutorial:end
