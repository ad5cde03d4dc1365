package dev.spindle.redis;

import static dev.spindle.Spindle.gather;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.task.Task;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import dev.spindle.testservers.RedisServer;
import dev.spindle.time.TimedOut;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@SpindleTest(time = TimeMode.REAL, timeoutMillis = 60_000, slowStepMillis = Servers.SLOW_STEP_MILLIS)
class ClientTest {

    private static String k(String name) {
        return "client-test:" + name + ":" + UUID.randomUUID();
    }

    /** The tutorial's §4.1 program: connect, HSET a dict, HGETALL, close. */
    @Test
    void tutorialProgram() {
        String url = Servers.shared().url();
        try (RedisClient redis = RedisClient.create(url)) {
            String key = k("user");
            Map<String, String> user = new LinkedHashMap<>();
            user.put("name", "Ada");
            user.put("lang", "en");
            assertEquals(2, redis.hset(key, user));
            assertEquals(user, redis.hgetall(key));
            assertEquals(Map.of(), redis.hgetall(k("missing")));
        }
    }

    @ParameterizedTest(name = "RESP{0} {1}")
    @CsvSource({"3, MULTIPLEXED", "2, MULTIPLEXED", "3, POOLED", "2, POOLED"})
    void commandsOfEveryShapeOnEachProtocolAndSharing(int protocol, RedisConfig.Sharing sharing) {
        try (RedisClient redis = Servers.client(protocol, sharing)) {
            assertEquals("PONG", redis.ping());
            String s = k("s");
            assertNull(redis.get(s));
            redis.set(s, "héllo");
            assertEquals("héllo", redis.get(s));
            assertEquals(10, redis.incrby(k("n"), 10) * redis.incr(k("n2")));
            assertEquals(2.5, redis.incrbyfloat(k("f"), 2.5));
            String h = k("h");
            redis.hset(h, Map.of("a", "1", "b", "2"));
            assertEquals(Map.of("a", "1", "b", "2"), redis.hgetall(h));
            String z = k("z");
            redis.zadd(z, ZAddArgs.NONE, ScoredValue.of(1, "one"), ScoredValue.of(2, "two"));
            assertEquals(
                    List.of(new ScoredValue<>("two", 2.0), new ScoredValue<>("one", 1.0)),
                    redis.zrangeWithScores(z, 0, -1, true));
            assertEquals(2.0, redis.zscore(z, "two"));
            assertEquals(new ScoredValue<>("one", 1.0), redis.zpopmin(z));
            String st = k("stream");
            String id = redis.xadd(st, Map.of("f", "v"));
            Map<String, List<StreamEntry<String, String>>> read = redis.xread(Map.of(st, "0"), 10, null);
            assertEquals(List.of(new StreamEntry<>(id, Map.of("f", "v"))), read.get(st));
            assertEquals("hello", new String((byte[]) redis.call("ECHO", "hello"), StandardCharsets.UTF_8));
            assertEquals(protocol, proto(redis));
        }
    }

    /** The protocol of the connection HELLO runs on: a map on RESP3, a flat array on RESP2. */
    static int proto(RedisClient redis) {
        Object hello = redis.call("HELLO");
        if (hello instanceof Map<?, ?> m) {
            return ((Long) m.get("proto")).intValue();
        }
        List<?> l = (List<?>) hello;
        for (int i = 0; i < l.size(); i += 2) {
            if ("proto".equals(new String((byte[]) l.get(i), StandardCharsets.UTF_8))) {
                return ((Long) l.get(i + 1)).intValue();
            }
        }
        throw new AssertionError("no proto in " + l);
    }

    @Test
    void errorsAffectOnlyTheirCommand() {
        try (RedisClient redis = RedisClient.create(Servers.shared().url())) {
            String h = k("h");
            redis.hset(h, "f", "v");
            RedisServerError e = assertThrows(RedisServerError.class, () -> redis.incr(h));
            assertEquals("WRONGTYPE", e.code());
            assertThrows(RedisServerError.class, () -> redis.call("NO-SUCH-COMMAND"));
            assertEquals("v", redis.hget(h, "f")); // the connection is fine
            assertThrows(IllegalArgumentException.class, () -> redis.set(null, "v"));
            assertThrows(IllegalArgumentException.class, () -> redis.set("k", null));
        }
    }

    @Test
    void manyCoroutinesShareOneMultiplexedConnection() {
        try (RedisClient redis = RedisClient.create(Servers.shared().url())) {
            String prefix = k("m");
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                tasks.add(spawn(() -> {
                    redis.set(prefix + n, "v" + n);
                    return redis.get(prefix + n);
                }));
            }
            List<String> got = gather(tasks);
            for (int i = 0; i < 200; i++) {
                assertEquals("v" + i, got.get(i));
            }
            assertEquals(1, redis.openConnections());
        }
    }

    @Test
    void pipelineSendsAllAndReturnsResultsInOrderWithErrorsInPlace() {
        try (RedisClient redis = RedisClient.create(Servers.shared().url())) {
            String a = k("a");
            Pipeline<String, String> p = redis.pipeline();
            p.set(a, "1");
            assertEquals(0, p.incr(a));
            p.hset(a, "f", "v"); // WRONGTYPE
            p.get(a);
            assertEquals(4, p.size());
            List<Object> r = p.execute();
            assertEquals("OK", r.get(0));
            assertEquals(2L, r.get(1));
            assertInstanceOf(RedisServerError.class, r.get(2));
            assertEquals("2", r.get(3));
            assertEquals(List.of(), p.execute());
            assertThrows(IllegalArgumentException.class, () -> p.blpop(Duration.ofSeconds(1), a));
        }
    }

    @Test
    void multiExecAndWatchRetries() {
        try (RedisClient redis = RedisClient.create(Servers.shared().url());
                RedisClient other = RedisClient.create(Servers.shared().url())) {
            String a = k("a");
            String b = k("b");
            assertEquals(List.of(1L, 1L), redis.multi(tx -> {
                tx.incr(a);
                tx.incr(b);
            }));
            String bal = k("balance");
            redis.set(bal, "100");
            int[] attempts = {0};
            List<Object> r = redis.transaction(List.of(bal), tx -> {
                long v = Long.parseLong(tx.get(bal));
                if (attempts[0]++ == 0) {
                    other.set(bal, "50"); // a concurrent writer: the first EXEC must fail
                }
                tx.multi();
                tx.set(bal, Long.toString(v - 10));
            });
            assertEquals(2, attempts[0]);
            assertEquals(1, r.size());
            assertEquals("40", redis.get(bal));
            RedisServerError abort = assertThrows(RedisServerError.class, () -> redis.multi(tx -> tx.call("NOPE")));
            assertTrue(abort.getMessage().contains("unknown command"), abort.getMessage());
            assertThrows(
                    RedisWatchConflict.class,
                    () -> redis.transaction(RedisCodec.UTF8, List.of(bal), 2, tx -> {
                        other.incr(bal);
                        tx.multi();
                        tx.incr(bal);
                    }));
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @CsvSource({"3", "2"})
    void pubSubWithForEachAndReceive(int protocol) {
        try (RedisClient redis = Servers.client(protocol, RedisConfig.Sharing.MULTIPLEXED);
                PubSub sub = redis.pubsub()) {
            String ch = k("ch");
            sub.subscribe(ch);
            sub.psubscribe(ch + ".*");
            assertNull(sub.receive(Duration.ofMillis(50)));
            assertEquals(1, redis.publish(ch, "hi"));
            assertEquals(1, redis.publish(ch + ".x", "there"));
            PubSub.Message m = sub.receive(Duration.ofSeconds(5));
            assertEquals(new PubSub.Message("message", ch, null, "hi".getBytes()).toString(), m.toString());
            PubSub.Message p = sub.receive(Duration.ofSeconds(5));
            assertEquals("pmessage", p.kind());
            assertEquals(ch + ".*", p.pattern());
            assertEquals("there", p.text());
            // for-each in a coroutine, ended by close
            Task<List<String>> reader = spawn(() -> {
                List<String> got = new ArrayList<>();
                for (PubSub.Message msg : sub.messages()) {
                    got.add(msg.text());
                    if (got.size() == 3) {
                        break;
                    }
                }
                return got;
            });
            for (int i = 0; i < 3; i++) {
                redis.publish(ch, "m" + i);
            }
            assertEquals(List.of("m0", "m1", "m2"), reader.await());
            sub.unsubscribe(ch);
            assertEquals(0, redis.publish(ch, "nobody"));
        }
    }

    @Test
    void blockingCommandsOutliveTheCommandTimeoutOnTheirOwnConnection() {
        RedisConfig cfg = RedisConfig.fromUrl(Servers.shared().url() + "?timeout=200ms");
        try (RedisClient redis = RedisClient.create(cfg)) {
            String q = k("q");
            Task<KeyValue<String, String>> waiter = spawn(() -> redis.blpop(Duration.ofSeconds(5), q));
            sleep(Duration.ofMillis(600)); // three command timeouts
            assertEquals("PONG", redis.ping()); // the shared connection is not held by BLPOP
            redis.rpush(q, "job");
            assertEquals(new KeyValue<>(q, "job"), waiter.await());
            assertNull(redis.blpop(Duration.ofMillis(100), q));
            // a cancelled BLPOP does not pop an element for nobody
            Task<KeyValue<String, String>> gone = spawn(() -> redis.blpop(Duration.ZERO, q));
            sleep(Duration.ofMillis(100));
            gone.cancel();
            assertThrows(dev.spindle.task.Cancelled.class, gone::await);
            sleep(Duration.ofMillis(200)); // the server sees the closed socket before the push below
            redis.rpush(q, "kept");
            assertEquals(List.of("kept"), redis.lrange(q, 0, -1));
            // an ordinary command does time out
            assertThrows(TimedOut.class, () -> redis.call("DEBUG", "SLEEP", "0.5"));
            sleep(Duration.ofMillis(500));
            assertEquals("PONG", redis.ping());
            // so does a pipeline, as a whole; its replies are dropped when they come, and later commands get their own
            String late = k("late");
            Pipeline<String, String> p = redis.pipeline();
            p.call("DEBUG", "SLEEP", "0.5");
            p.set(late, "ran");
            p.get(late);
            TimedOut t = assertThrows(TimedOut.class, p::execute);
            assertTrue(t.getMessage().contains("a pipeline of 3 commands"), t.getMessage());
            assertEquals(0, p.size());
            sleep(Duration.ofMillis(500));
            assertEquals("ran", redis.get(late));
            assertEquals("PONG", redis.ping());
        }
    }

    @Test
    void unixSocketAuthAclNameAndDatabase() {
        try (RedisServer secured = RedisServer.start("--requirepass", "s3cret")) {
            secured.command("AUTH", "s3cret");
            String unixUrl = "unix://" + secured.unixSocket() + "?password=s3cret&db=3&client_name=spindle-test";
            try (RedisClient redis = RedisClient.create(unixUrl)) {
                redis.set("where", "db3");
                assertEquals("spindle-test", redis.clientGetname());
                assertEquals(1, redis.dbsize());
            }
            try (RedisClient wrong = RedisClient.create("redis://:nope@127.0.0.1:" + secured.port())) {
                RedisConnectionError e = assertThrows(RedisConnectionError.class, wrong::ping);
                assertTrue(e.getMessage().contains("WRONGPASS"), e.getMessage());
            }
            try (RedisClient admin = RedisClient.create("redis://:s3cret@127.0.0.1:" + secured.port())) {
                admin.call("ACL", "SETUSER", "app", "on", ">app%pw", "~*", "+@all");
            }
            for (int protocol : new int[] {2, 3}) {
                try (RedisClient app = RedisClient.create(
                        "redis://app:app%25pw@127.0.0.1:" + secured.port() + "/3?protocol=" + protocol)) {
                    assertEquals("db3", app.get("where"));
                    assertEquals(protocol, proto(app));
                }
            }
        }
    }

    @Test
    void bytesAndCodecViews() {
        try (RedisClient redis = RedisClient.create(Servers.shared().url())) {
            RedisCommands<byte[], byte[]> raw = redis.withCodec(RedisCodec.BYTES);
            byte[] key = k("bin").getBytes();
            byte[] value = {0, (byte) 0xff, '\r', '\n', 7};
            raw.set(key, value);
            assertArrayEquals(value, raw.get(key));
            RedisCommands<String, byte[]> mixed = redis.withCodec(RedisCodec.of(RedisCodec.UTF8, RedisCodec.BYTES));
            assertArrayEquals(value, mixed.get(new String(key)));
            assertFalse(redis.exists(k("nothing")) > 0);
        }
    }

    @Test
    void clientIsBoundToItsLoopAndLazy() throws Exception {
        RedisClient redis = RedisClient.create("redis://127.0.0.1:1"); // nothing listens: lazy, so no error yet
        assertEquals(0, redis.openConnections());
        RedisConnectionError e = assertThrows(RedisConnectionError.class, redis::ping);
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
        redis.close();
        assertThrows(IllegalStateException.class, redis::ping);
    }
}
