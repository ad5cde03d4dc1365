package dev.spindle.redis;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.Server;
import dev.spindle.io.StreamWriter;
import dev.spindle.io.Streams;
import dev.spindle.redis.internal.resp.RespParser;
import dev.spindle.task.Task;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Servers that break the protocol (a fake Redis on core's streams): malformed replies, truncated replies, a close
 * mid-reply, replies nobody asked for, an old server without HELLO. Each must fail the connection with a clear
 * error, never hang and never hand a caller a wrong value.
 */
@SpindleTest(time = TimeMode.REAL, timeoutMillis = 60_000, slowStepMillis = Servers.SLOW_STEP_MILLIS)
class HostileServerTest {

    /** A fake server: for each command (as strings), {@code answer} writes whatever it likes. */
    private static Server fake(BiConsumer<List<String>, StreamWriter> answer) {
        return Streams.startServer(
                (reader, writer) -> {
                    RespParser requests = new RespParser();
                    while (true) {
                        Object cmd = requests.next();
                        if (cmd == RespParser.NEED_MORE) {
                            ByteBuffer window = requests.writable();
                            int n = reader.read(window);
                            if (n < 0) {
                                return;
                            }
                            requests.filled(n);
                            continue;
                        }
                        List<String> args = new ArrayList<>();
                        for (Object a : (List<?>) cmd) {
                            args.add(new String((byte[]) a, StandardCharsets.UTF_8));
                        }
                        if (args.get(0).equals("HELLO")) {
                            writer.write("%1\r\n+proto\r\n:3\r\n".getBytes(US_ASCII));
                            continue;
                        }
                        answer.accept(args, writer);
                    }
                },
                "127.0.0.1",
                0);
    }

    private static RedisClient client(Server server, String options) {
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        return RedisClient.create("redis://127.0.0.1:" + port + "?retries=0&timeout=5s" + options);
    }

    private static void reply(StreamWriter w, String raw) {
        w.write(raw.getBytes(US_ASCII));
    }

    @Test
    void malformedReplyFailsTheConnectionWithAProtocolErrorAndTheNextCommandReconnects() {
        int[] calls = {0};
        try (Server server = fake((args, w) -> reply(w, calls[0]++ == 0 ? ":12x\r\n" : "$2\r\nok\r\n"));
                RedisClient redis = client(server, "")) {
            RedisConnectionError e = assertThrows(RedisConnectionError.class, () -> redis.get("a"));
            assertInstanceOf(RedisProtocolError.class, e.getCause());
            assertTrue(e.getMessage().contains("bad integer: 12x"), e.getMessage());
            assertEquals("ok", redis.get("a")); // a new connection
            server.close();
        }
    }

    @Test
    void everyCommandInFlightFailsWhenOneReplyIsMalformed() {
        try (Server server = fake((args, w) -> {
                    if (args.get(1).equals("bad")) {
                        reply(w, "?what\r\n");
                    }
                    // others get no reply: they wait in the FIFO behind the bad one
                });
                RedisClient redis = client(server, "")) {
            Task<String> first = spawn(() -> redis.get("waiting"));
            sleep(Duration.ofMillis(50));
            assertThrows(RedisConnectionError.class, () -> redis.get("bad"));
            RedisConnectionError e = assertThrows(RedisConnectionError.class, first::await);
            assertTrue(e.getMessage().contains("may or may not have run"), e.getMessage());
            server.close();
        }
    }

    @Test
    void closeMidReplyAndTruncatedReplyFailClearly() {
        try (Server server = fake((args, w) -> {
                    reply(w, "$10\r\nhalf");
                    w.close();
                });
                RedisClient redis = client(server, "")) {
            RedisConnectionError e = assertThrows(RedisConnectionError.class, () -> redis.get("x"));
            assertTrue(e.getMessage().contains("closed the connection"), e.getMessage());
            server.close();
        }
    }

    @Test
    void aReplyNobodyAskedForIsAProtocolErrorAndReachesNoOne() {
        try (Server server = fake((args, w) ->
                        reply(w, args.get(0).equals("SET") ? "+OK\r\n$5\r\nstale\r\n" : "$5\r\nfresh\r\n"));
                RedisClient redis = client(server, "")) {
            redis.set("a", "b");
            sleep(Duration.ofMillis(50)); // the unasked reply arrives while nothing waits: that connection is failed
            assertEquals("fresh", redis.get("a")); // from a new connection, never "stale"
            server.close();
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndDoesNotHang() {
        try (Server server = fake((args, w) -> {});
                RedisClient redis = RedisClient.create(client(server, "").config().toBuilder()
                        .commandTimeout(Duration.ofMillis(200))
                        .build())) {
            assertThrows(dev.spindle.time.TimedOut.class, () -> redis.get("x"));
            server.close();
        }
    }

    @Test
    void oldServerWithoutHelloFallsBackToResp2() {
        List<String> seen = new ArrayList<>();
        try (Server server = Streams.startServer(
                        (reader, writer) -> {
                            RespParser requests = new RespParser();
                            while (true) {
                                Object cmd = requests.next();
                                if (cmd == RespParser.NEED_MORE) {
                                    ByteBuffer window = requests.writable();
                                    int n = reader.read(window);
                                    if (n < 0) {
                                        return;
                                    }
                                    requests.filled(n);
                                    continue;
                                }
                                String name = new String((byte[]) ((List<?>) cmd).get(0), US_ASCII);
                                seen.add(name);
                                switch (name) {
                                    case "HELLO" -> reply(writer, "-ERR unknown command 'HELLO'\r\n");
                                    case "AUTH", "SELECT", "CLIENT" -> reply(writer, "+OK\r\n");
                                    default -> reply(writer, "*2\r\n$1\r\na\r\n$1\r\n1\r\n");
                                }
                            }
                        },
                        "127.0.0.1",
                        0);
                RedisClient redis = RedisClient.create("redis://:pw@127.0.0.1:"
                        + ((InetSocketAddress) server.addresses().get(0)).getPort() + "/2?client_name=old")) {
            assertEquals(java.util.Map.of("a", "1"), redis.hgetall("h")); // a RESP2 flat array, as a map
            assertEquals(List.of("HELLO", "AUTH", "CLIENT", "SELECT", "HGETALL"), seen);
            server.close();
        }
    }
}
