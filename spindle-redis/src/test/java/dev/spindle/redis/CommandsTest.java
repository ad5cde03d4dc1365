package dev.spindle.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The typed commands against a real server, on RESP2 and RESP3: both must decode to the same Java values. */
@SpindleTest(time = TimeMode.REAL, timeoutMillis = 60_000, slowStepMillis = Servers.SLOW_STEP_MILLIS)
class CommandsTest {

    private static String k(String name) {
        return "cmd-test:" + name + ":" + UUID.randomUUID();
    }

    private static RedisClient client(int protocol) {
        return Servers.client(protocol, RedisConfig.Sharing.MULTIPLEXED);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void strings(int protocol) {
        try (RedisClient r = client(protocol)) {
            String a = k("a");
            assertTrue(r.set(a, "1", SetArgs.NONE.nx().ex(Duration.ofSeconds(100))));
            assertFalse(r.set(a, "2", SetArgs.NONE.nx()));
            assertTrue(r.ttl(a) > 90);
            assertTrue(r.set(a, "3", SetArgs.NONE.xx().keepTtl()));
            assertTrue(r.ttl(a) > 90);
            assertEquals("3", r.setGet(a, "4", SetArgs.NONE));
            assertTrue(r.set(a, "5", SetArgs.NONE.ex(Duration.ofMillis(1500))));
            assertTrue(r.pttl(a) > 1000 && r.pttl(a) <= 1500);
            assertTrue(r.set(a, "6", SetArgs.NONE.exAt(Instant.now().plusSeconds(50))));
            assertTrue(r.ttl(a) > 40);
            String b = k("b");
            r.mset(Map.of(b, "x", a, "y"));
            assertEquals(List.of("y", "x"), r.mget(a, b));
            assertEquals(java.util.Arrays.asList("y", null), r.mget(a, k("none")));
            assertFalse(r.msetnx(Map.of(a, "z")));
            assertEquals("y", r.getex(a, Expiry.in(Duration.ofSeconds(10))));
            assertTrue(r.ttl(a) <= 10);
            assertEquals("y", r.getex(a, Expiry.persist()));
            assertEquals(-1, r.ttl(a));
            assertEquals("y", r.getdel(a));
            assertNull(r.get(a));
            assertEquals(2, r.append(a, "ab"));
            assertEquals(4, r.append(a, "cd"));
            assertEquals("bc", r.getrange(a, 1, 2));
            assertEquals(4, r.strlen(a));
            String n = k("n");
            assertEquals(1, r.incr(n));
            assertEquals(11, r.incrby(n, 10));
            assertEquals(10, r.decr(n));
            assertEquals(5, r.decrby(n, 5));
            assertEquals(5.5, r.incrbyfloat(n, 0.5));
            assertTrue(r.setnx(k("nx"), "v"));
            r.setex(b, 100, "e");
            assertTrue(r.ttl(b) > 90);
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void keysAndScan(int protocol) {
        try (RedisClient r = client(protocol)) {
            String prefix = k("scan");
            Set<String> made = new HashSet<>();
            for (int i = 0; i < 250; i++) {
                made.add(prefix + ":" + i);
            }
            Pipeline<String, String> p = r.pipeline();
            made.forEach(key -> p.set(key, "v"));
            p.execute();
            Set<String> seen = new HashSet<>();
            for (String key : r.scan(ScanArgs.NONE.match(prefix + ":*").count(20))) {
                seen.add(key);
            }
            assertEquals(made, seen);
            Set<String> typed = new HashSet<>();
            r.scan(ScanArgs.NONE.match(prefix + ":*").type("hash")).forEach(typed::add);
            assertEquals(Set.of(), typed);
            String one = prefix + ":1";
            assertEquals(2, r.exists(one, one));
            assertEquals("string", r.type(one));
            assertTrue(r.expire(one, Duration.ofSeconds(100)));
            assertFalse(r.expire(one, Duration.ofSeconds(50), ExpireCondition.GT));
            assertTrue(r.expire(one, Duration.ofSeconds(50), ExpireCondition.LT));
            Instant at = Instant.now().plusSeconds(500);
            assertTrue(r.expireat(one, at));
            assertEquals(at.toEpochMilli(), r.expiretime(one).toEpochMilli());
            assertTrue(r.persist(one));
            assertNull(r.expiretime(one));
            assertEquals(-2, r.ttl(k("absent")));
            String moved = k("moved");
            r.rename(one, moved);
            assertFalse(r.renamenx(prefix + ":2", moved));
            assertTrue(r.copy(moved, k("copy"), false));
            assertEquals(1, r.touch(moved));
            assertEquals(1, r.unlink(moved));
            assertEquals(249, r.del(made.toArray(new String[0])));
            assertThrows(IllegalArgumentException.class, () -> r.del());
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void hashes(int protocol) {
        try (RedisClient r = client(protocol)) {
            String h = k("h");
            Map<String, String> m = new LinkedHashMap<>();
            m.put("a", "1");
            m.put("b", "2");
            assertEquals(2, r.hset(h, m));
            assertEquals(0, r.hset(h, "a", "10"));
            assertEquals("10", r.hget(h, "a"));
            assertFalse(r.hsetnx(h, "a", "x"));
            assertEquals(java.util.Arrays.asList("10", null), r.hmget(h, "a", "zz"));
            assertEquals(List.of("a", "b"), r.hkeys(h));
            assertEquals(List.of("10", "2"), r.hvals(h));
            assertEquals(2, r.hlen(h));
            assertTrue(r.hexists(h, "b"));
            assertEquals(12, r.hincrby(h, "a", 2));
            assertEquals(2.5, r.hincrbyfloat(h, "b", 0.5));
            assertEquals(2, r.hstrlen(h, "a"));
            assertEquals(2, r.hrandfield(h, 5).size());
            Map<String, String> scanned = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : r.hscan(h, ScanArgs.NONE)) {
                scanned.put(e.getKey(), e.getValue());
            }
            assertEquals(Map.of("a", "12", "b", "2.5"), scanned);
            assertEquals(1, r.hdel(h, "a", "nope"));
            // field TTLs are Redis 7.4+; this server is 7.0, which must say so with a server error
            RedisServerError e =
                    assertThrows(RedisServerError.class, () -> r.hexpire(h, Duration.ofSeconds(5), null, "b"));
            assertTrue(e.getMessage().toLowerCase().contains("unknown command"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void lists(int protocol) {
        try (RedisClient r = client(protocol)) {
            String l = k("l");
            assertEquals(3, r.rpush(l, "a", "b", "c"));
            assertEquals(4, r.lpush(l, "z"));
            assertEquals(List.of("z", "a", "b", "c"), r.lrange(l, 0, -1));
            assertEquals("a", r.lindex(l, 1));
            r.lset(l, 1, "A");
            assertEquals(5, r.linsert(l, true, "b", "ab"));
            assertEquals(Long.valueOf(2), r.lpos(l, "ab"));
            r.rpush(l, "ab");
            assertEquals(List.of(2L, 5L), r.lpos(l, "ab", 0, 0, 0));
            assertEquals(List.of(5L), r.lpos(l, "ab", -1, 1, 0));
            assertEquals(2, r.lrem(l, 0, "ab"));
            String dst = k("dst");
            assertEquals("c", r.lmove(l, dst, Direction.RIGHT, Direction.LEFT));
            assertEquals(List.of("c"), r.lrange(dst, 0, -1));
            assertEquals("z", r.lpop(l));
            assertEquals(List.of("b", "A"), r.rpop(l, 5));
            assertNull(r.lpop(l));
            assertEquals(List.of(), r.lpop(l, 2));
            assertEquals(0, r.lpushx(l, "x"));
            r.rpush(l, "1", "2", "3");
            r.ltrim(l, 1, -1);
            assertEquals(2, r.llen(l));
            assertEquals("2", r.blmove(l, dst, Direction.LEFT, Direction.RIGHT, Duration.ofSeconds(1)));
            assertEquals(new KeyValue<>(l, "3"), r.brpop(Duration.ofSeconds(1), l));
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void setsAndSortedSets(int protocol) {
        try (RedisClient r = client(protocol)) {
            String s1 = k("s1");
            String s2 = k("s2");
            assertEquals(3, r.sadd(s1, "a", "b", "c"));
            r.sadd(s2, "b", "c", "d");
            assertEquals(Set.of("a", "b", "c"), r.smembers(s1));
            assertTrue(r.sismember(s1, "a"));
            assertEquals(List.of(true, false), r.smismember(s1, "a", "z"));
            assertEquals(Set.of("b", "c"), r.sinter(s1, s2));
            assertEquals(Set.of("a", "b", "c", "d"), r.sunion(s1, s2));
            assertEquals(Set.of("a"), r.sdiff(s1, s2));
            assertEquals(2, r.sintercard(0, s1, s2));
            assertEquals(1, r.sintercard(1, s1, s2));
            assertEquals(2, r.sinterstore(k("x"), s1, s2));
            assertTrue(r.smove(s1, s2, "a"));
            assertEquals(2, r.scard(s1));
            assertEquals(1, r.srem(s1, "b"));
            assertEquals("c", r.spop(s1));
            List<String> scanned = new ArrayList<>();
            r.sscan(s2, ScanArgs.NONE).forEach(scanned::add);
            assertEquals(Set.of("a", "b", "c", "d"), new HashSet<>(scanned));

            String z = k("z");
            assertEquals(1, r.zadd(z, 1, "a"));
            assertEquals(2, r.zadd(z, ZAddArgs.NONE, ScoredValue.of(2, "b"), ScoredValue.of(3, "c")));
            assertEquals(0, r.zadd(z, ZAddArgs.NONE.nx(), ScoredValue.of(10, "a")));
            assertEquals(1, r.zadd(z, ZAddArgs.NONE.gt().ch(), ScoredValue.of(5, "a")));
            assertEquals(0, r.zadd(z, ZAddArgs.NONE.lt().ch(), ScoredValue.of(6, "a")));
            assertEquals(0, r.zadd(z, ZAddArgs.NONE.xx(), ScoredValue.of(1, "new")));
            assertEquals(7.0, r.zaddIncr(z, ZAddArgs.NONE, 2, "a"));
            assertNull(r.zaddIncr(z, ZAddArgs.NONE.nx(), 2, "a"));
            assertEquals(List.of("b", "c", "a"), r.zrange(z, 0, -1));
            assertEquals(List.of("a", "c", "b"), r.zrange(z, 0, -1, true));
            assertEquals(
                    List.of(ScoredValue.of(2, "b"), ScoredValue.of(3, "c")), r.zrangeByScoreWithScores(z, "2", "(7"));
            assertEquals(List.of("c", "a"), r.zrangeByScore(z, "(2", "+inf"));
            assertEquals(List.of("c"), r.zrangeByScore(z, "-inf", "+inf", 1, 1));
            assertEquals(3, r.zcount(z, "-inf", "+inf"));
            assertEquals(Long.valueOf(0), r.zrank(z, "b"));
            assertEquals(Long.valueOf(2), r.zrevrank(z, "b"));
            assertNull(r.zrank(z, "nobody"));
            assertEquals(java.util.Arrays.asList(2.0, null), r.zmscore(z, "b", "nobody"));
            assertEquals(9.0, r.zincrby(z, 2, "a"));
            assertEquals(List.of(ScoredValue.of(9, "a")), r.zpopmax(z, 1));
            assertEquals(ScoredValue.of(2, "b"), r.zpopmin(z));
            String lex = k("lex");
            r.zadd(
                    lex,
                    ZAddArgs.NONE,
                    ScoredValue.of(0, "apple"),
                    ScoredValue.of(0, "banana"),
                    ScoredValue.of(0, "cherry"));
            assertEquals(List.of("banana", "cherry"), r.zrangeByLex(lex, "[b", "+"));
            assertEquals(2, r.zlexcount(lex, "(apple", "+"));
            assertEquals(1, r.zremrangebyrank(lex, 0, 0));
            assertEquals(new KeyValue<>(lex, ScoredValue.of(0, "banana")), r.bzpopmin(Duration.ofSeconds(1), lex));
            assertNull(r.bzpopmax(Duration.ofMillis(100), k("empty")));
            List<ScoredValue<String>> all = new ArrayList<>();
            r.zscan(lex, ScanArgs.NONE).forEach(all::add);
            assertEquals(List.of(ScoredValue.of(0, "cherry")), all);
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void streams(int protocol) {
        try (RedisClient r = client(protocol)) {
            String s = k("s");
            String id1 = r.xadd(s, Map.of("n", "1"));
            String id2 = r.xadd(s, XAddArgs.NONE.id("*").maxlen(1000), Map.of("n", "2"));
            assertNull(r.xadd(k("none"), XAddArgs.NONE.noMkStream(), Map.of("n", "0")));
            assertEquals(2, r.xlen(s));
            assertEquals(
                    List.of(id1, id2),
                    r.xrange(s, "-", "+").stream().map(StreamEntry::id).toList());
            assertEquals(id2, r.xrevrange(s, "+", "-", 1).get(0).id());
            r.xgroupCreate(s, "g", "0", false);
            Map<String, List<StreamEntry<String, String>>> got = r.xreadgroup("g", "c1", Map.of(s, ">"), 10, null);
            assertEquals(2, got.get(s).size());
            assertEquals(Map.of("n", "1"), got.get(s).get(0).fields());
            PendingSummary ps = r.xpending(s, "g");
            assertEquals(2, ps.count());
            assertEquals(id1, ps.lowestId());
            assertEquals(Map.of("c1", 2L), ps.consumers());
            List<PendingEntry> pe = r.xpending(s, "g", null, "-", "+", 10, "c1");
            assertEquals(2, pe.size());
            assertEquals(1, pe.get(0).deliveries());
            assertEquals(1, r.xack(s, "g", id1));
            List<StreamEntry<String, String>> claimed = r.xclaim(s, "g", "c2", Duration.ZERO, id2);
            assertEquals(id2, claimed.get(0).id());
            AutoClaim<String, String> ac = r.xautoclaim(s, "g", "c3", Duration.ZERO, "0-0", 10);
            assertEquals(
                    List.of(id2), ac.claimed().stream().map(StreamEntry::id).toList());
            assertEquals("0-0", ac.nextId());
            Map<String, Object> info = r.xinfoStream(s);
            assertEquals(2L, info.get("length"));
            assertEquals("g", r.xinfoGroups(s).get(0).get("name"));
            assertFalse(r.xinfoConsumers(s, "g").isEmpty());
            assertTrue(r.xgroupCreateconsumer(s, "g", "c9"));
            assertEquals(0, r.xgroupDelconsumer(s, "g", "c9"));
            r.xgroupSetid(s, "g", "$");
            // a blocking XREAD times out empty, then sees a new entry
            assertEquals(Map.of(), r.xread(Map.of(s, "$"), 1, Duration.ofMillis(100)));
            assertEquals(1, r.xtrim(s, XAddArgs.NONE.maxlen(1).exact()));
            assertEquals(1, r.xdel(s, id2));
            assertTrue(r.xgroupDestroy(s, "g"));
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void hyperLogLogBitmapsGeo(int protocol) {
        try (RedisClient r = client(protocol)) {
            String h = k("hll");
            assertTrue(r.pfadd(h, "a", "b", "a"));
            assertEquals(2, r.pfcount(h));
            String h2 = k("hll2");
            r.pfadd(h2, "c");
            r.pfmerge(h2, h);
            assertEquals(3, r.pfcount(h2));
            String b = k("bits");
            assertFalse(r.setbit(b, 7, true));
            assertTrue(r.getbit(b, 7));
            assertEquals(1, r.bitcount(b));
            assertEquals(1, r.bitcount(b, 7, 7, true));
            assertEquals(7, r.bitpos(b, true));
            assertEquals(1, r.bitop("OR", k("or"), b));
            assertEquals(List.of(1L), r.bitfield(b, "GET", "u8", 0));
            String g = k("geo");
            r.geoadd(g, 2.3522, 48.8566, "paris");
            r.geoadd(g, 4.8357, 45.7640, "lyon");
            double km = r.geodist(g, "paris", "lyon", GeoUnit.KM);
            assertTrue(km > 390 && km < 395, "Paris-Lyon " + km);
            assertNull(r.geodist(g, "paris", "atlantis", GeoUnit.KM));
            List<GeoCoordinates> pos = r.geopos(g, "paris", "atlantis");
            assertEquals(2.3522, pos.get(0).longitude(), 1e-4);
            assertNull(pos.get(1));
            assertEquals(1, r.geohash(g, "paris").size());
            List<GeoResult<String>> near = r.geosearch(g, 2.35, 48.85, 100, GeoUnit.KM);
            assertEquals(1, near.size());
            assertEquals("paris", near.get(0).member());
            assertEquals(2, r.geosearch(g, "paris", 500, GeoUnit.KM).size());
        }
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void scriptingAndServer(int protocol) {
        try (RedisClient r = client(protocol)) {
            String key = k("hits");
            assertEquals(5L, r.eval("return redis.call('INCRBY', KEYS[1], ARGV[1])", List.of(key), List.of("5")));
            assertEquals(
                    List.of(1L, "two", List.of("x")),
                    r.eval("return {1, ARGV[1], {ARGV[2]}}", List.of(), List.of("two", "x")));
            assertNull(r.eval("return nil", List.of(), List.of()));
            RedisServerError err = assertThrows(
                    RedisServerError.class, () -> r.eval("return redis.error_reply('MY bad')", List.of(), List.of()));
            assertEquals("MY", err.code());
            Script script = Script.of("return redis.call('INCR', KEYS[1]) .. ''");
            r.scriptFlush(); // the first call meets NOSCRIPT and loads it
            assertEquals("6", r.evalsha(script, List.of(key), List.of()));
            assertEquals(List.of(true), r.scriptExists(script.sha1()));
            assertEquals("7", r.evalsha(script, List.of(key), List.of()));
            assertEquals(script.sha1(), r.scriptLoad(script.source()));
            assertEquals("7", r.evalRo("return redis.call('GET', KEYS[1])", List.of(key), List.of()));
            assertEquals(
                    "lib" + protocol,
                    r.functionLoad(
                            "#!lua name=lib" + protocol + "\nredis.register_function('hello" + protocol
                                    + "', function(keys, args) return 'hi ' .. args[1] end)",
                            true));
            assertEquals("hi ada", r.fcall("hello" + protocol, List.of(), List.of("ada")));
            r.functionDelete("lib" + protocol);
            assertEquals("PONG", r.ping());
            assertEquals("echo", r.echo("echo"));
            assertTrue(r.dbsize() > 0);
            assertTrue(r.info("server").get("redis_version").startsWith("7."));
            assertFalse(r.info().isEmpty());
            assertTrue(Duration.between(r.time(), Instant.now()).abs().getSeconds() < 5);
            assertEquals(Map.of("maxmemory-policy", "noeviction"), r.configGet("maxmemory-policy"));
            assertTrue(r.clientId() > 0);
            assertTrue(r.clientList().contains("id="));
            assertNotNull(r.memoryUsage(key));
            assertNotNull(r.lastsave());
            assertEquals(0, r.publish(k("ch"), "nobody"));
            assertEquals(Map.of("nochan", 0L), r.pubsubNumsub("nochan"));
            assertFalse(r.keys(key).isEmpty());
            assertEquals("string", r.type(key));
            assertNotNull(r.randomkey());
            assertArrayEquals("raw".getBytes(), (byte[]) r.call("ECHO", "raw"));
        }
    }
}
