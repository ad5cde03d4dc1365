package dev.spindle.redis;

import static dev.spindle.Spindle.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.redis.internal.cluster.SlotHash;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import dev.spindle.testservers.RedisCluster;
import dev.spindle.testservers.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A real cluster of 3 masters and 3 replicas on free ports; the failover test, which kills a master, runs last. */
@SpindleTest(time = TimeMode.REAL, timeoutMillis = 90_000, slowStepMillis = Servers.SLOW_STEP_MILLIS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start(3, 1);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static int slot(String key) {
        return SlotHash.slot(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @Order(1)
    void slotsFollowTheSpecification() {
        assertEquals(0x31C3, crc("123456789"));
        assertEquals(12182, slot("foo"));
        assertEquals(5061, slot("bar"));
        assertEquals(slot("{user1000}.following"), slot("{user1000}.followers"));
        assertEquals(slot("bar"), slot("foo{bar}{zap}"));
        assertEquals(slot("{bar"), slot("foo{{bar}}zap"));
        // the server agrees, for a few keys
        for (String k : List.of("a", "user:{42}:x", "foo{}{bar}", "ééé")) {
            assertEquals(":" + slot(k), cluster.node(0).command("CLUSTER", "KEYSLOT", k), "slot of " + k);
        }
    }

    private static int crc(String s) {
        // the CRC of a key without a hash tag is its slot's source: check it through slot() on a 16-bit-safe input
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        int crc = 0;
        for (byte x : b) {
            crc ^= (x & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
            }
        }
        assertEquals(crc & 16383, slot(s));
        return crc;
    }

    @Test
    @Order(2)
    void commandsGoToTheNodeOfTheirSlotAndPipelinesSplitByNode() {
        try (RedisClusterClient redis =
                RedisClusterClient.create(cluster.seedUrls().subList(0, 2))) {
            Set<String> masters = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                redis.set("ck:" + i, "v" + i);
                masters.add(redis.masterOf("ck:" + i));
            }
            assertEquals(3, masters.size(), "keys spread over every master");
            for (int i = 0; i < 300; i++) {
                assertEquals("v" + i, redis.get("ck:" + i));
            }
            redis.set("user:{7}:name", "Ada");
            redis.set("user:{7}:lang", "en");
            assertEquals(List.of("Ada", "en"), redis.mget("user:{7}:name", "user:{7}:lang"));
            RedisServerError cross = org.junit.jupiter.api.Assertions.assertThrows(
                    RedisServerError.class, () -> redis.mget("ck:1", "ck:2", "ck:3"));
            assertEquals("CROSSSLOT", cross.code());

            Pipeline<String, String> p = redis.pipeline();
            for (int i = 0; i < 300; i++) {
                p.get("ck:" + i);
            }
            p.incr("ck:1"); // an error in place
            List<Object> r = p.execute();
            for (int i = 0; i < 300; i++) {
                assertEquals("v" + i, r.get(i));
            }
            assertInstanceOf(RedisServerError.class, r.get(300));
            assertEquals("PONG", redis.ping());
        }
    }

    @Test
    @Order(2)
    void scanWalksEveryMasterAndTransactionsRunOnTheirSlotsMaster() {
        try (RedisClusterClient redis =
                RedisClusterClient.create(cluster.seedUrls().subList(0, 1))) {
            Set<String> written = new HashSet<>();
            Set<String> masters = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                redis.set("scan:" + i, "v");
                written.add("scan:" + i);
                masters.add(redis.masterOf("scan:" + i));
            }
            assertEquals(3, masters.size());
            Set<String> seen = new HashSet<>();
            for (String k : redis.scan(ScanArgs.NONE.match("scan:*").count(7))) {
                seen.add(k);
            }
            assertEquals(written, seen, "every key of every master, none of the others");
            Set<byte[]> raw = new HashSet<>();
            redis.withCodec(RedisCodec.BYTES)
                    .scan(ScanArgs.NONE.match("scan:1*"))
                    .forEach(raw::add);
            assertEquals(111, raw.size(), "scan:1, scan:10-19, scan:100-199 through another codec");

            List<Object> r = redis.multi("cart:{42}", tx -> {
                tx.set("cart:{42}", "3");
                tx.incr("stock:{42}");
            });
            assertEquals(List.of("OK", 1L), r);
            assertEquals("3", redis.get("cart:{42}"));
            redis.set("balance:{7}", "100");
            List<Object> t = redis.transaction(List.of("balance:{7}"), tx -> {
                long balance = Long.parseLong(tx.get("balance:{7}"));
                tx.multi();
                tx.set("balance:{7}", Long.toString(balance - 10));
            });
            assertEquals(List.of("OK"), t);
            assertEquals("90", redis.get("balance:{7}"));
            IllegalArgumentException spread = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> redis.transaction(List.of("a", "b"), tx -> {}));
            assertTrue(spread.getMessage().contains("different slots"), spread.getMessage());
            String elsewhere = null; // a key on another master than cart:{42}'s
            for (int i = 0; elsewhere == null; i++) {
                if (!redis.masterOf("elsewhere:" + i).equals(redis.masterOf("cart:{42}"))) {
                    elsewhere = "elsewhere:" + i;
                }
            }
            String other = elsewhere;
            RedisServerError cross = org.junit.jupiter.api.Assertions.assertThrows(
                    RedisServerError.class,
                    () -> redis.multi("cart:{42}", tx -> {
                        tx.set("cart:{42}", "4");
                        tx.incr(other);
                    }));
            assertTrue(
                    cross.getMessage().contains("CROSSSLOT")
                            || cross.getMessage().contains("EXECABORT")
                            || cross.getMessage().contains("MOVED"),
                    cross.getMessage());
            assertEquals("3", redis.get("cart:{42}"), "nothing of the refused transaction ran");
        }
    }

    @Test
    @Order(2)
    void shardChannelsAreSubscribedAndPublishedOnTheirSlotsMaster() {
        try (RedisClusterClient redis =
                RedisClusterClient.create(cluster.seedUrls().subList(0, 1))) {
            // three channels on three different masters
            List<String> channels = new ArrayList<>();
            Set<String> masters = new HashSet<>();
            for (int i = 0; channels.size() < 3; i++) {
                String ch = "news:" + i;
                if (masters.add(redis.masterOf(ch))) {
                    channels.add(ch);
                }
            }
            List<PubSub> subs = new ArrayList<>();
            try {
                for (String ch : channels) {
                    PubSub sub = redis.shardPubsub(ch);
                    sub.ssubscribe(ch);
                    subs.add(sub);
                }
                int topologyBefore = redis.topologyRefreshes();
                for (String ch : channels) {
                    assertEquals(1L, redis.spublish(ch, "hello " + ch), "one subscriber on the channel's node");
                }
                assertEquals(topologyBefore, redis.topologyRefreshes(), "no MOVED: SPUBLISH went to the right node");
                for (int i = 0; i < channels.size(); i++) {
                    PubSub.Message m = subs.get(i).receive(java.time.Duration.ofSeconds(10));
                    assertEquals(channels.get(i), m.channel());
                    assertEquals("hello " + channels.get(i), m.text());
                }
            } finally {
                subs.forEach(PubSub::close);
            }
        }
    }

    @Test
    @Order(3)
    void movedAndAskRedirectsAreFollowed() {
        try (RedisClusterClient redis = RedisClusterClient.create(cluster.seedUrls())) {
            String key = "redirect-me";
            int slot = slot(key);
            assertEquals("PONG", redis.ping()); // loads the map
            RedisServer source = cluster.masterOf(slot);
            RedisServer target = null;
            for (RedisServer n : cluster.nodes()) {
                if (n != source && n.commandText("ROLE").length() > 0 && isMaster(n)) {
                    target = n;
                    break;
                }
            }
            String sourceId = toThread(() -> bulk(source, "CLUSTER", "MYID"));
            RedisServer dest = target;
            String targetId = toThread(() -> bulk(dest, "CLUSTER", "MYID"));

            // ASK: the slot is migrating; the key is not on the source, so the source sends the client to the target
            toThread(() -> {
                dest.command("CLUSTER", "SETSLOT", String.valueOf(slot), "IMPORTING", sourceId);
                source.command("CLUSTER", "SETSLOT", String.valueOf(slot), "MIGRATING", targetId);
                return null;
            });
            redis.set(key, "asked");
            assertEquals("asked", redis.get(key));

            // MOVED: the migration ends, every node is told the new owner; the client's map is now stale
            toThread(() -> {
                for (RedisServer n : cluster.nodes()) {
                    n.command("CLUSTER", "SETSLOT", String.valueOf(slot), "NODE", targetId);
                }
                return null;
            });
            int before = redis.topologyRefreshes();
            assertEquals("asked", redis.get(key)); // MOVED followed
            redis.set(key, "moved");
            assertEquals("moved", redis.get(key));
            assertTrue(redis.topologyRefreshes() > before, "a MOVED reloads the map");
            assertEquals(dest.port(), Integer.parseInt(redis.masterOf(key).split(":")[1]));
        }
    }

    private static boolean isMaster(RedisServer n) {
        return n.commandText("INFO", "replication").contains("role:master");
    }

    /**
     * CLUSTER SLOTS lists a replica only once it is linked to its master, which may come later than CLUSTER NODES
     * shows it (and later again after the previous test's resharding): wait, at most 30 s, until every range has one.
     */
    private static void awaitReplicasInSlotMap() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        try (RedisClusterClient probe = RedisClusterClient.create(cluster.seedUrls())) {
            while (true) {
                Object slots = probe.call("CLUSTER", "SLOTS");
                boolean all = slots instanceof List<?> ranges
                        && !ranges.isEmpty()
                        && ranges.stream().allMatch(r -> r instanceof List<?> range && range.size() >= 4);
                if (all) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("replicas never appeared in CLUSTER SLOTS: " + slots);
                }
                dev.spindle.Spindle.sleep(java.time.Duration.ofMillis(100));
            }
        }
    }

    private static String bulk(RedisServer n, String... args) {
        return n.commandText(args).trim();
    }

    @Test
    @Order(4)
    void readsMayGoToReplicas() {
        awaitReplicasInSlotMap();
        try (RedisClusterClient redis =
                RedisClusterClient.create(cluster.seedUrls(), RedisClusterClient.ReadFrom.REPLICA_PREFERRED)) {
            redis.set("replicated", "yes");
            // a replica may lag the write: read until it has it, then a few more times
            int yes = 0;
            for (int i = 0; i < 200 && yes < 20; i++) {
                if ("yes".equals(redis.get("replicated"))) {
                    yes++;
                } else {
                    dev.spindle.Spindle.sleep(java.time.Duration.ofMillis(10));
                }
            }
            assertEquals(20, yes);
            long replicaGets = 0;
            StringBuilder seen = new StringBuilder();
            for (RedisServer n : cluster.nodes()) {
                String info = toThread(() -> n.commandText("INFO", "commandstats"));
                boolean master = isMaster(n);
                seen.append(n.port())
                        .append(master ? " master" : " replica")
                        .append(info.contains("cmdstat_get:") ? " GET" : "")
                        .append("; ");
                if (!master && info.contains("cmdstat_get:")) {
                    replicaGets++;
                }
            }
            assertTrue(replicaGets > 0, "a replica served GET: " + seen + " slots " + redis.call("CLUSTER", "SLOTS"));
        }
    }

    @Test
    @Order(5)
    void aMasterKilledFailsOverAndTheClientFollows() {
        try (RedisClusterClient redis = RedisClusterClient.create(cluster.seedUrls())) {
            String key = "survivor";
            redis.set(key, "before");
            RedisServer master = cluster.masterOf(slot(key));
            toThread(() -> {
                master.kill();
                return null;
            });
            // SET is idempotent: retried with backoff while the replica takes over (node timeout 1 s)
            List<Throwable> failures = new ArrayList<>();
            long deadline = System.nanoTime() + 30_000_000_000L;
            boolean done = false;
            while (!done && System.nanoTime() < deadline) {
                try {
                    redis.set(key, "after");
                    done = true;
                } catch (RedisException e) {
                    failures.add(e);
                }
            }
            assertTrue(done, "the cluster came back: " + failures);
            assertEquals("after", redis.get(key));
            assertNotEquals(master.port(), Integer.parseInt(redis.masterOf(key).split(":")[1]));
        }
    }
}
