package dev.spindle.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One server over two loops: both accept (SO_REUSEPORT), each connection is served whole by one loop. */
@Timeout(30)
class MultiLoopServerTest {
    @Test
    void connectionsAreSpreadOverTheLoopsAndEachIsServedByOne() throws Exception {
        Set<String> loopsSeen = ConcurrentHashMap.newKeySet();
        try (MultiLoopServer server = MultiLoopServer.start(
                2,
                (reader, writer) -> {
                    String loop = "loop@" + Integer.toHexString(System.identityHashCode(Loop.current()));
                    loopsSeen.add(loop);
                    for (String line : reader.lines()) {
                        writer.write((line + " via " + loop + "\n").getBytes(StandardCharsets.UTF_8));
                        writer.drain();
                    }
                },
                "127.0.0.1",
                0,
                ServerOptions.defaults())) {
            assertEquals(2, server.loops());
            int port = ((InetSocketAddress) server.addresses().getFirst()).getPort();
            List<Future<String>> replies = new ArrayList<>();
            try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
                for (int i = 0; i < 40; i++) {
                    int n = i;
                    replies.add(clients.submit(() -> {
                        try (Socket s = new Socket("127.0.0.1", port)) {
                            OutputStream out = s.getOutputStream();
                            out.write(("hello " + n + "\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                                    .readLine();
                        }
                    }));
                }
                for (int i = 0; i < 40; i++) {
                    String reply = replies.get(i).get();
                    assertEquals("hello " + i, reply.substring(0, reply.indexOf(" via ")));
                }
            }
            // 40 connections hashed by the kernel over two listeners: all on one has probability 2^-39
            assertEquals(2, loopsSeen.size(), "both loops served connections: " + loopsSeen);
        }
    }

    @Test
    void closeEndsEveryLoopAndTheyStopListening() throws Exception {
        MultiLoopServer server =
                MultiLoopServer.start(2, (reader, writer) -> reader.read(1), "127.0.0.1", 0, ServerOptions.defaults());
        int port = ((InetSocketAddress) server.addresses().getFirst()).getPort();
        server.close();
        server.join();
        assertThrows(java.net.ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void startingFromACoroutineIsRefusedAndBadArgumentsAreNamed() {
        assertThrows(
                IllegalArgumentException.class,
                () -> MultiLoopServer.start(-1, (r, w) -> {}, "127.0.0.1", 0, ServerOptions.defaults()));
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Spindle.run(
                        () -> MultiLoopServer.start(1, (r, w) -> {}, "127.0.0.1", 0, ServerOptions.defaults())));
        assertFalse(e.getMessage().isEmpty());
    }
}
