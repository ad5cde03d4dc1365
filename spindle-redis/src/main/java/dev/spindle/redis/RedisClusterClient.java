package dev.spindle.redis;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import dev.spindle.redis.internal.ConnectionPool;
import dev.spindle.redis.internal.Connector;
import dev.spindle.redis.internal.RedisConnection;
import dev.spindle.redis.internal.SharedConnection;
import dev.spindle.redis.internal.cluster.SlotHash;
import dev.spindle.redis.internal.cluster.Topology;
import dev.spindle.redis.internal.resp.ErrorReply;
import dev.spindle.sync.Held;
import dev.spindle.sync.LoopLock;
import dev.spindle.task.LoopFuture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Redis Cluster client: the commands of {@link RedisCommands}, each sent to the node that serves its key's slot.
 *
 * {@snippet :
 * try (RedisClusterClient cluster = RedisClusterClient.create(List.of("redis://10.0.0.1:7000", "redis://10.0.0.2:7000"))) {
 *     cluster.set("user:{42}:name", "Ada");      // {42} is a hash tag: both keys live in one slot
 *     cluster.set("user:{42}:lang", "en");
 *     cluster.mget("user:{42}:name", "user:{42}:lang");
 * }
 * }
 *
 * <h2>Routing</h2>
 * The slot map comes from CLUSTER SLOTS of the first seed that answers (the seeds' URL gives credentials, TLS and
 * options for every node). A command goes to the master of the slot of its first key (CRC16 of the key, or of its
 * {@code {hash tag}}); commands without keys go to any master. A {@code MOVED} reply patches the map, sends the
 * command again to the named node and refreshes the whole map in the background; an {@code ASK} reply sends
 * {@code ASKING} and the command to the named node, once. A lost node connection refreshes the map too, so a failover
 * (a replica promoted) is followed within a refresh; idempotent commands are retried meanwhile, with backoff.
 *
 * <h2>Per node</h2>
 * Each node gets what a {@link RedisClient} has: one multiplexed connection (or a pool, with
 * {@code sharing=pooled}), and a pool for blocking commands. With {@link ReadFrom#REPLICA_PREFERRED}, read-only
 * commands go to a replica of the slot (connections sent {@code READONLY}), falling back to the master.
 *
 * <h2>Limits</h2>
 * Multi-key commands need all their keys in one slot (the server answers CROSSSLOT otherwise: use hash tags).
 * {@link #scan()} walks every master in turn. MULTI/EXEC and WATCH run on one slot's master
 * ({@link #multi(String, RedisClient.TransactionBody)}, {@link #transaction}); sharded pub/sub has a connection per
 * slot's master ({@link #shardPubsub}); classic pub/sub uses any node ({@link #pubsub}).
 */
public final class RedisClusterClient implements RedisCommands<String, String>, AutoCloseable {

    /** Where read-only commands go. */
    public enum ReadFrom {
        /** Every command to the slot's master (the default: reads see every write). */
        MASTER,
        /** Read-only commands to a replica of the slot when there is one (reads may lag writes). */
        REPLICA_PREFERRED
    }

    private static final int MAX_REDIRECTS = 5;
    private static final Set<String> READ_ONLY = Set.of(
            "GET",
            "MGET",
            "EXISTS",
            "TTL",
            "PTTL",
            "PEXPIRETIME",
            "TYPE",
            "STRLEN",
            "GETRANGE",
            "HGET",
            "HMGET",
            "HGETALL",
            "HKEYS",
            "HVALS",
            "HLEN",
            "HEXISTS",
            "HSTRLEN",
            "HPTTL",
            "HTTL",
            "LRANGE",
            "LLEN",
            "LINDEX",
            "LPOS",
            "SMEMBERS",
            "SISMEMBER",
            "SMISMEMBER",
            "SCARD",
            "SINTER",
            "SUNION",
            "SDIFF",
            "SINTERCARD",
            "ZRANGE",
            "ZSCORE",
            "ZMSCORE",
            "ZCARD",
            "ZCOUNT",
            "ZLEXCOUNT",
            "ZRANK",
            "ZREVRANK",
            "XRANGE",
            "XREVRANGE",
            "XLEN",
            "GETBIT",
            "BITCOUNT",
            "BITPOS",
            "GEODIST",
            "GEOPOS",
            "GEOHASH",
            "GEOSEARCH",
            "EVAL_RO",
            "FCALL_RO");

    private final RedisConfig template;
    private final List<String> seeds;
    private final ReadFrom readFrom;
    private final Map<String, Node> nodes = new HashMap<>();
    private final LoopLock refreshLock = new LoopLock();
    private final dev.spindle.redis.internal.Backoff backoff;
    private Topology topology;
    /** Set by a MOVED: the next command reloads the whole map first. */
    private boolean stale;

    private int refreshes;
    private Loop loop;
    private boolean closed;

    private RedisClusterClient(RedisConfig template, List<String> seeds, ReadFrom readFrom) {
        this.template = template;
        this.seeds = List.copyOf(seeds);
        this.readFrom = Objects.requireNonNull(readFrom, "readFrom");
        this.backoff = new dev.spindle.redis.internal.Backoff(template.backoffBase(), template.backoffMax());
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seed node");
        }
    }

    /** A client of the cluster that the {@code seedUrls} nodes belong to; does not connect yet. */
    public static RedisClusterClient create(List<String> seedUrls) {
        return create(seedUrls, ReadFrom.MASTER);
    }

    public static RedisClusterClient create(List<String> seedUrls, ReadFrom readFrom) {
        List<String> seeds = new ArrayList<>();
        RedisConfig first = null;
        for (String url : seedUrls) {
            RedisConfig c = RedisConfig.fromUrl(url);
            if (c.unixSocket().isPresent()) {
                throw new IllegalArgumentException("cluster seeds are host:port nodes, not Unix sockets: " + url);
            }
            if (c.database() != 0) {
                throw new IllegalArgumentException("Redis Cluster has only database 0: " + url);
            }
            first = first == null ? c : first;
            seeds.add(c.address());
        }
        if (first == null) {
            throw new IllegalArgumentException("no seed node");
        }
        return new RedisClusterClient(first, seeds, readFrom);
    }

    @Override
    public RedisCodec<String, String> codec() {
        return RedisCodec.UTF8;
    }

    public <K, V> RedisCommands<K, V> withCodec(RedisCodec<K, V> codec) {
        return new View<>(this, codec);
    }

    @Override
    public <T> T execute(RedisCommand<T> command) {
        bind();
        if (stale) {
            stale = false;
            refreshQuietly();
        }
        byte[] key = command.routingKey();
        int slot = key == null ? -1 : SlotHash.slot(key);
        boolean replica = readFrom == ReadFrom.REPLICA_PREFERRED && READ_ONLY.contains(command.name());
        String target = route(slot, replica);
        boolean asking = false;
        int redirects = 0;
        for (int attempt = 0; ; ) {
            try {
                Node node = node(target, replica);
                Object reply = node.call(command, asking);
                asking = false;
                if (reply instanceof ErrorReply e
                        && (e.code().equals("MOVED") || e.code().equals("ASK"))) {
                    if (++redirects > MAX_REDIRECTS) {
                        throw new RedisServerError(e.message() + " (after " + MAX_REDIRECTS + " redirects)");
                    }
                    String[] parts = e.message().split(" ");
                    target = parts[2];
                    replica = false;
                    if (e.code().equals("MOVED")) {
                        topology.moved(Integer.parseInt(parts[1]), target);
                        stale = true;
                    } else {
                        asking = true;
                    }
                    continue;
                }
                if (reply instanceof ErrorReply e
                        && (e.code().equals("TRYAGAIN") || e.code().equals("CLUSTERDOWN"))
                        && command.isIdempotent()
                        && attempt++ < template.retries()) {
                    Spindle.sleep(backoff.delay(attempt));
                    refresh();
                    target = route(slot, replica);
                    continue;
                }
                return command.decode(reply);
            } catch (RedisConnectionError e) {
                if (closed) {
                    throw e;
                }
                refreshQuietly();
                if (!command.isIdempotent() || attempt++ >= template.retries()) {
                    throw e;
                }
                Spindle.sleep(backoff.delay(attempt));
                target = route(slot, replica);
            }
        }
    }

    /** A pipeline whose commands are split by node, one write per node, results in the order queued. */
    public Pipeline<String, String> pipeline() {
        return pipeline(RedisCodec.UTF8);
    }

    public <K, V> Pipeline<K, V> pipeline(RedisCodec<K, V> codec) {
        return new Pipeline<>(this::runPipeline, codec);
    }

    private List<Object> runPipeline(List<RedisCommand<?>> commands) {
        bind();
        Map<String, List<Integer>> byNode = new LinkedHashMap<>();
        for (int i = 0; i < commands.size(); i++) {
            byte[] key = commands.get(i).routingKey();
            String target = route(key == null ? -1 : SlotHash.slot(key), false);
            byNode.computeIfAbsent(target, t -> new ArrayList<>()).add(i);
        }
        Object[] results = new Object[commands.size()];
        List<LoopFuture<Object>> all = new ArrayList<>();
        Map<Integer, LoopFuture<Object>> slotOf = new HashMap<>();
        try {
            // every node's batch is sent before any reply is awaited: the nodes work in parallel
            for (Map.Entry<String, List<Integer>> e : byNode.entrySet()) {
                RedisConnection c = node(e.getKey(), false).shared.get();
                for (int i : e.getValue()) {
                    LoopFuture<Object> f = c.send(commands.get(i));
                    all.add(f);
                    slotOf.put(i, f);
                }
            }
            Spindle.withTimeout(template.commandTimeout(), () -> {
                for (int i = 0; i < commands.size(); i++) {
                    Object reply = slotOf.get(i).await();
                    if (reply instanceof ErrorReply err
                            && (err.code().equals("MOVED") || err.code().equals("ASK"))) {
                        results[i] = null; // redone alone below, with the redirect followed
                        slotOf.put(i, null);
                        continue;
                    }
                    try {
                        results[i] = commands.get(i).decode(reply);
                    } catch (RedisServerError x) {
                        results[i] = x;
                    }
                }
            });
        } finally {
            Slots.abandon(all);
        }
        for (int i = 0; i < commands.size(); i++) {
            if (slotOf.get(i) == null) {
                try {
                    results[i] = execute(commands.get(i));
                } catch (RedisServerError x) {
                    results[i] = x;
                }
            }
        }
        return java.util.Arrays.asList(results);
    }

    /** A pub/sub connection to one node (classic pub/sub messages reach every node of a cluster). */
    public PubSub pubsub() {
        bind();
        return new PubSub(node(route(-1, false), false).connector);
    }

    // ---- the whole cluster, and one slot --------------------------------------------------------------------

    /**
     * SCAN over the whole cluster: every master's keys, one master after the other, each page fetched when the last
     * one is used up. The masters are those of the slot map when the iteration starts; a master lost midway fails
     * the iteration with a {@link RedisConnectionError} (start again: SCAN's guarantees hold per node only).
     */
    @Override
    public Iterable<String> scan(ScanArgs args) {
        return scanAll(RedisCodec.UTF8, args);
    }

    <K, V> Iterable<K> scanAll(RedisCodec<K, V> codec, ScanArgs args) {
        bind();
        if (topology == null) {
            refresh();
        }
        List<String> masters = new ArrayList<>(topology.masters());
        List<Object> opts = args.args(true);
        return () -> new java.util.Iterator<K>() {
            private int next;
            private java.util.Iterator<K> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (next == masters.size()) {
                        return false;
                    }
                    Node node = node(masters.get(next++), false);
                    current = new Scan<K>(
                                    cursor -> {
                                        var page = Cmd.of(codec, "SCAN")
                                                .arg(cursor)
                                                .args(opts.toArray())
                                                .idempotent()
                                                .build(Replies::list);
                                        return page.decode(node.call(page, false));
                                    },
                                    items -> Replies.keys(codec, items))
                            .iterator();
                }
                return true;
            }

            @Override
            public K next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /**
     * MULTI/EXEC on the master of {@code routingKey}'s slot (see {@link RedisClient#multi}): every key the body uses
     * must be in that slot, which hash tags arrange ({@code "cart:{42}"} and {@code "stock:{42}"}); the server answers
     * CROSSSLOT otherwise and nothing runs. If the slot moved, the slot map is reloaded and the transaction sent to
     * the new master.
     *
     * {@snippet :
     * cluster.multi("cart:{42}", tx -> {
     *     tx.hset("cart:{42}", "apples", "3");
     *     tx.incr("stock:{42}:reserved");
     * });
     * }
     *
     * @throws RedisServerError if Redis refused to queue a command (EXECABORT): nothing ran
     */
    public List<Object> multi(String routingKey, RedisClient.TransactionBody<String, String> body) {
        Objects.requireNonNull(body, "body");
        return onSlotMaster(slotOf(List.of(routingKey)), c -> c.multi(body));
    }

    /**
     * The optimistic-locking loop of {@link RedisClient#transaction(List, RedisClient.TransactionBody)} on the master
     * of the watched keys' slot: they must share one slot (hash tags), as must every key the body uses.
     *
     * @throws IllegalArgumentException if no key is watched, or the watched keys are in different slots
     * @throws RedisWatchConflict if every attempt met a conflict
     */
    public List<Object> transaction(List<String> watch, RedisClient.TransactionBody<String, String> body) {
        Objects.requireNonNull(body, "body");
        if (watch.isEmpty()) {
            throw new IllegalArgumentException(
                    "a cluster transaction needs a watched key, whose slot chooses the node; without one use"
                            + " multi(routingKey, body)");
        }
        return onSlotMaster(slotOf(watch), c -> c.transaction(watch, body));
    }

    /**
     * A pub/sub connection to the master serving {@code shardChannel}'s slot, for sharded pub/sub
     * ({@link PubSub#ssubscribe}; Redis 7): shard channels hash to slots as keys do, so channels subscribed on one
     * connection must share a slot (hash tags). {@link #spublish} goes to the same node by itself. After a failover
     * the connection resubscribes to the address it was made for; make a new one to follow the new master.
     */
    public PubSub shardPubsub(String shardChannel) {
        bind();
        int slot = slotOf(List.of(shardChannel));
        return new PubSub(node(route(slot, false), false).connector);
    }

    private static int slotOf(List<String> keys) {
        int slot = -1;
        for (String k : keys) {
            int s = SlotHash.slot(k.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (slot >= 0 && s != slot) {
                throw new IllegalArgumentException("the keys " + keys + " are in different slots (" + slot + ", " + s
                        + "): put them in one with a hash tag, e.g. \"cart:{42}\" and \"stock:{42}\"");
            }
            slot = s;
        }
        return slot;
    }

    /** Runs {@code work} with the client of the slot's master; a MOVED answer reloads the map and goes there. */
    private List<Object> onSlotMaster(int slot, java.util.function.Function<RedisClient, List<Object>> work) {
        bind();
        for (int redirects = 0; ; redirects++) {
            String master = route(slot, false);
            try {
                return work.apply(node(master, false).client());
            } catch (RedisServerError e) {
                String m = String.valueOf(e.getMessage());
                if (redirects >= MAX_REDIRECTS || !(m.startsWith("MOVED") || m.contains("EXECABORT"))) {
                    throw e;
                }
                refresh();
                if (route(slot, false).equals(master)) {
                    throw e; // not a move: the transaction's own error
                }
            }
        }
    }

    // ---- topology -------------------------------------------------------------------------------------------

    private String route(int slot, boolean replica) {
        if (topology == null) {
            refresh();
        }
        if (slot < 0) {
            List<String> masters = new ArrayList<>(topology.masters());
            return masters.get(ThreadLocalRandom.current().nextInt(masters.size()));
        }
        String master = topology.master(slot);
        if (master == null) {
            throw new RedisConnectionError("no node of the cluster serves slot " + slot + " (CLUSTERDOWN?)");
        }
        if (replica) {
            String[] r = topology.replicas(slot);
            if (r.length > 0) {
                return r[ThreadLocalRandom.current().nextInt(r.length)];
            }
        }
        return master;
    }

    /** Loads the slot map from the first node that answers: known masters first, then the seeds. */
    private void refresh() {
        int seen = refreshes;
        try (Held ignored = refreshLock.acquire()) {
            if (refreshes != seen && topology != null) {
                return; // another coroutine refreshed while this one waited
            }
            List<String> candidates = new ArrayList<>();
            if (topology != null) {
                candidates.addAll(topology.nodes());
            }
            candidates.addAll(seeds);
            RedisException last = null;
            for (String address : candidates) {
                try {
                    Object reply = node(address, false)
                            .shared
                            .get()
                            .call(RedisCommand.of("CLUSTER", "SLOTS"), template.connectTimeout());
                    if (reply instanceof ErrorReply e) {
                        last = new RedisServerError(e.message());
                        continue;
                    }
                    topology = Topology.fromClusterSlots(reply, host(address));
                    refreshes++;
                    return;
                } catch (RedisConnectionError | dev.spindle.time.TimedOut e) {
                    last = e instanceof RedisException r ? r : new RedisConnectionError(e.getMessage(), e);
                }
            }
            throw new RedisConnectionError(
                    "no node of the cluster answered CLUSTER SLOTS (tried " + candidates + ")", last);
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RedisException ignored) {
            // the caller's own error says what failed; the next command tries again
        }
    }

    /** How many times the slot map was loaded. */
    public int topologyRefreshes() {
        return refreshes;
    }

    /** The master serving {@code key} now, as {@code host:port}. */
    public String masterOf(String key) {
        bind();
        return route(SlotHash.slot(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)), false);
    }

    private Node node(String address, boolean replica) {
        String id = replica ? address + "/ro" : address;
        Node n = nodes.get(id);
        if (n == null) {
            RedisConfig c =
                    template.toBuilder().host(host(address)).port(port(address)).build();
            n = new Node(c, replica);
            nodes.put(id, n);
        }
        return n;
    }

    private static String host(String address) {
        return address.substring(0, address.lastIndexOf(':'));
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private void bind() {
        Loop current = Loop.current();
        if (loop == null) {
            loop = current;
        } else if (loop != current) {
            throw new IllegalStateException("this RedisClusterClient belongs to the loop that first used it");
        }
        if (closed) {
            throw new IllegalStateException("this RedisClusterClient is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Node n : nodes.values()) {
            n.close();
        }
    }

    @Override
    public String toString() {
        return "RedisClusterClient[seeds " + seeds + ", " + nodes.size() + " nodes known]";
    }

    /** One node's connections. */
    private static final class Node {
        final RedisConfig config;
        final Connector connector;
        final SharedConnection shared;
        final ConnectionPool pool;

        /** A whole client for this node, made when a transaction first needs one (WATCH, MULTI/EXEC). */
        private RedisClient client;

        Node(RedisConfig config, boolean readOnly) {
            this.config = config;
            this.connector = new Connector(config, readOnly);
            this.shared = new SharedConnection(connector);
            this.pool = new ConnectionPool(connector);
        }

        RedisClient client() {
            if (client == null) {
                client = RedisClient.create(config);
            }
            return client;
        }

        void close() {
            shared.close();
            pool.close();
            if (client != null) {
                client.close();
            }
        }

        Object call(RedisCommand<?> command, boolean asking) {
            if (command.isBlocking()) {
                RedisConnection c = pool.acquire();
                try {
                    return callOn(c, command, asking);
                } finally {
                    pool.release(c);
                }
            }
            if (config.sharing() == RedisConfig.Sharing.POOLED) {
                RedisConnection c = pool.acquire();
                try {
                    return callOn(c, command, asking);
                } finally {
                    pool.release(c);
                }
            }
            return callOn(shared.get(), command, asking);
        }

        private Object callOn(RedisConnection c, RedisCommand<?> command, boolean asking) {
            java.time.Duration timeout = command.isBlocking() ? null : config.commandTimeout();
            if (!asking) {
                return c.call(command, timeout);
            }
            // ASKING must be the command right before this one on the same connection: sent in the same step
            LoopFuture<Object> ok = c.send(RedisCommand.of("ASKING"));
            try {
                Object reply = c.call(command, timeout);
                if (ok.isDone() && !ok.isCancelled() && ok.result() instanceof ErrorReply e) {
                    throw new RedisServerError(e.message());
                }
                return reply;
            } finally {
                Slots.abandon(List.of(ok));
            }
        }
    }

    private record View<K, V>(RedisClusterClient client, RedisCodec<K, V> codec) implements RedisCommands<K, V> {
        @Override
        public <T> T execute(RedisCommand<T> command) {
            return client.execute(command);
        }

        @Override
        public Iterable<K> scan(ScanArgs args) {
            return client.scanAll(codec, args);
        }
    }
}
