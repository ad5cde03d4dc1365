package dev.spindle.redis;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import dev.spindle.redis.internal.ConnectionPool;
import dev.spindle.redis.internal.Connector;
import dev.spindle.redis.internal.RedisConnection;
import dev.spindle.redis.internal.SharedConnection;
import java.util.List;
import java.util.Objects;

/**
 * A Redis client for coroutines (redis-py's {@code redis.asyncio.Redis}, Lettuce's {@code RedisClient}): every
 * command of {@link RedisCommands} with String keys and values, {@link #withCodec} for others, {@link #pipeline()},
 * {@link #multi} and {@link #transaction} for MULTI/EXEC, {@link #pubsub()}.
 *
 * {@snippet :
 * run(() -> {
 *     try (RedisClient redis = RedisClient.create("redis://localhost:6379")) {
 *         redis.hset("user:1", Map.of("name", "Ada", "lang", "en"));
 *         Map<String, String> user = redis.hgetall("user:1");
 *     }
 * });
 * }
 *
 * <h2>Connections</h2>
 * Nothing connects until the first command (lazy). Ordinary commands then share one connection per client, pipelined:
 * many coroutines' commands go out together and their replies come back in order ({@link RedisConfig.Sharing#MULTIPLEXED},
 * the default), or each borrows a pooled connection ({@link RedisConfig.Sharing#POOLED}). Blocking commands (BLPOP,
 * XREAD BLOCK...) and transactions always borrow a pooled connection of their own; pub/sub opens its own.
 *
 * <h2>Threads</h2>
 * A client belongs to the loop of the coroutine that first uses it: all its commands must come from coroutines of
 * that loop (many at once is the point); another loop gets an {@link IllegalStateException} and should create its own
 * client (connections are per loop, as in asyncio).
 *
 * <h2>Cancellation and timeouts</h2>
 * A command may be cancelled or time out at any point; no caller ever gets a reply that is not its own (see
 * {@link dev.spindle.redis.internal.RedisConnection} for how). A command without reply within
 * {@link RedisConfig#commandTimeout()} throws {@link dev.spindle.time.TimedOut}; whether it ran is unknown.
 *
 * <h2>Failures</h2>
 * A lost connection fails the commands in flight with {@link RedisConnectionError} and is re-made by the next
 * command, after a jittered exponential backoff if connecting fails. Commands marked idempotent (reads, SET, MSET...)
 * are retried up to {@link RedisConfig#retries()} times on a new connection; others fail, since they may have run.
 */
public final class RedisClient implements RedisCommands<String, String>, AutoCloseable {
    private final RedisConfig config;
    private Loop loop;
    private Connector connector;
    private SharedConnection shared;
    private ConnectionPool pool;
    private boolean closed;

    private RedisClient(RedisConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A client for {@code url} (see {@link RedisConfig#fromUrl}); does not connect yet. */
    public static RedisClient create(String url) {
        return new RedisClient(RedisConfig.fromUrl(url));
    }

    public static RedisClient create(RedisConfig config) {
        return new RedisClient(config);
    }

    public RedisConfig config() {
        return config;
    }

    @Override
    public RedisCodec<String, String> codec() {
        return RedisCodec.UTF8;
    }

    /** The same client (same connections) with keys and values of other types. */
    public <K, V> RedisCommands<K, V> withCodec(RedisCodec<K, V> codec) {
        return new CodecView<>(this, codec);
    }

    @Override
    public <T> T execute(RedisCommand<T> command) {
        bind();
        if (command.isBlocking()) {
            return onDedicated(c -> command.decode(c.call(command, null)));
        }
        for (int attempt = 0; ; attempt++) {
            try {
                Object reply;
                if (config.sharing() == RedisConfig.Sharing.MULTIPLEXED) {
                    reply = shared.get().call(command, config.commandTimeout());
                } else {
                    RedisConnection c = pool.acquire();
                    try {
                        reply = c.call(command, config.commandTimeout());
                    } finally {
                        pool.release(c);
                    }
                }
                return command.decode(reply);
            } catch (RedisConnectionError e) {
                if (!command.isIdempotent() || attempt >= config.retries() || closed) {
                    throw e;
                }
                Spindle.sleep(connector.backoff().delay(attempt));
            }
        }
    }

    // ---- pipelines, transactions, pub/sub ---------------------------------------------------------------------

    /** A pipeline of String commands: queue them, then {@link Pipeline#execute()} sends all in one write. */
    public Pipeline<String, String> pipeline() {
        return pipeline(RedisCodec.UTF8);
    }

    public <K, V> Pipeline<K, V> pipeline(RedisCodec<K, V> codec) {
        return new Pipeline<>(this::runPipeline, codec);
    }

    private List<Object> runPipeline(List<RedisCommand<?>> commands) {
        if (config.sharing() == RedisConfig.Sharing.MULTIPLEXED) {
            return Pipeline.run(multiplexed(), commands, config.commandTimeout());
        }
        return onDedicated(c -> Pipeline.run(c, commands, config.commandTimeout()));
    }

    /**
     * MULTI/EXEC: the commands {@code body} issues are queued, then sent with MULTI and EXEC in one write on a
     * connection of their own; returns their results in order (an error reply of one command is a
     * {@link RedisServerError} in its place, as Redis runs the others).
     *
     * {@snippet :
     * List<Object> r = redis.multi(tx -> {
     *     tx.incr("a");
     *     tx.incr("b");
     * }); // [1, 1]
     * }
     *
     * @throws RedisServerError if Redis refused to queue a command (EXECABORT): nothing ran
     */
    public List<Object> multi(TransactionBody<String, String> body) {
        return transaction(RedisCodec.UTF8, List.of(), 1, tx -> {
            tx.multi();
            body.run(tx);
        });
    }

    /**
     * The optimistic-locking loop (redis-py's {@code transaction}): WATCHes {@code watch}, runs {@code body} (whose
     * commands run at once until it calls {@link Transaction#multi()}, then are queued), then EXEC; when a watched
     * key changed meanwhile, runs it all again, up to 100 times.
     *
     * {@snippet :
     * redis.transaction(List.of("balance"), tx -> {
     *     long balance = Long.parseLong(tx.get("balance"));
     *     tx.multi();
     *     tx.set("balance", Long.toString(balance - 10));
     * });
     * }
     *
     * @throws RedisWatchConflict if every attempt met a conflict
     */
    public List<Object> transaction(List<String> watch, TransactionBody<String, String> body) {
        return transaction(RedisCodec.UTF8, watch, 100, body);
    }

    /** {@link #transaction(List, TransactionBody)} with a codec and a limit on attempts. */
    public <K, V> List<Object> transaction(
            RedisCodec<K, V> codec, List<K> watch, int maxAttempts, TransactionBody<K, V> body) {
        bind();
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            List<Object> result = onDedicated(c -> {
                Transaction<K, V> tx = new Transaction<>(this, c, codec);
                if (!watch.isEmpty()) {
                    c.markDirty(); // WATCH state until EXEC: a failure in between must not hand it to anyone
                    RedisCommand<String> w = Cmd.of(codec, "WATCH").keys(watch).build(Replies::string);
                    w.decode(c.call(w, config.commandTimeout()));
                }
                body.run(tx);
                return tx.exec();
            });
            if (result != null) {
                return result;
            }
        }
        throw new RedisWatchConflict("a watched key changed during each of " + maxAttempts + " attempts");
    }

    /** A transaction's body: its commands run on {@code tx}. */
    @FunctionalInterface
    public interface TransactionBody<K, V> {
        void run(Transaction<K, V> tx);
    }

    /**
     * A pub/sub connection of its own, with String messages.
     *
     * {@snippet :
     * try (PubSub sub = redis.pubsub()) {
     *     sub.subscribe("news");
     *     for (PubSub.Message m : sub.messages()) {
     *         System.out.println(m.channel() + ": " + m.text());
     *     }
     * }
     * }
     */
    public PubSub pubsub() {
        bind();
        return new PubSub(connector);
    }

    // ---- internals --------------------------------------------------------------------------------------------

    /** Runs {@code work} on a pooled connection held for it alone. */
    <T> T onDedicated(java.util.function.Function<RedisConnection, T> work) {
        bind();
        RedisConnection c = pool.acquire();
        try {
            // a transaction marks the connection dirty while it holds MULTI or WATCH state: the pool then closes it
            // rather than lend it out in that state; replies still due to cancelled callers are no such state
            return work.apply(c);
        } finally {
            pool.release(c);
        }
    }

    RedisConnection multiplexed() {
        bind();
        return shared.get();
    }

    private void bind() {
        Loop current = Loop.current();
        if (loop == null) {
            if (closed) {
                throw new IllegalStateException("this RedisClient is closed");
            }
            loop = current;
            connector = new Connector(config);
            shared = new SharedConnection(connector);
            pool = new ConnectionPool(connector);
        } else if (loop != current) {
            throw new IllegalStateException("this RedisClient belongs to the loop that first used it; "
                    + "make one client per loop (connections are bound to a loop)");
        }
        if (closed) {
            throw new IllegalStateException("this RedisClient is closed");
        }
    }

    /** Connections open now: the shared one, and the pool's (idle or lent). */
    public int openConnections() {
        return (shared != null && shared.currentOrNull() != null ? 1 : 0) + (pool != null ? pool.size() : 0);
    }

    /** Closes every connection; commands in flight fail with {@link RedisConnectionError}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (shared != null) {
            shared.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    @Override
    public String toString() {
        return "RedisClient[" + config + "]";
    }

    /** The client seen through another codec. */
    private record CodecView<K, V>(RedisClient client, RedisCodec<K, V> codec) implements RedisCommands<K, V> {
        @Override
        public <T> T execute(RedisCommand<T> command) {
            return client.execute(command);
        }

        @Override
        public String toString() {
            return client + " with " + codec;
        }
    }
}
