package dev.spindle.redis;

import dev.spindle.redis.internal.RedisConnection;
import dev.spindle.task.LoopFuture;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands queued on the client side, then sent in one write with {@link #execute()}, their replies read in order
 * (redis-py's {@code pipeline(transaction=False)}). Not atomic: other clients' commands may run between them (use
 * {@link RedisClient#multi} for that).
 *
 * {@snippet :
 * Pipeline<String, String> p = redis.pipeline();
 * for (int i = 0; i < 100; i++) {
 *     p.set("k" + i, "v" + i);   // returns at once; nothing sent yet
 * }
 * p.get("k7");
 * List<Object> results = p.execute(); // 100 nulls for SET, then "v7"
 * }
 *
 * <h2>Contract</h2>
 * The typed methods queue and return a placeholder ({@code null}, {@code 0}, {@code false}). {@link #execute()}
 * returns each command's decoded result in order; a command the server refused has its {@link RedisServerError} in
 * its place (the others ran). The whole pipeline is bounded by the client's command timeout. After execute the
 * pipeline is empty and may be reused. Commands that iterate (SCAN) or block (BLPOP) cannot be queued. Use a pipeline
 * from one coroutine.
 *
 * <p>Cancelled while waiting for the replies, the commands were sent and may have run; the replies are read and
 * dropped, never seen by anyone else.
 */
public final class Pipeline<K, V> implements RedisCommands<K, V> {
    /** Sends a batch and returns its results in order: a single connection, or split by cluster node. */
    interface Runner {
        List<Object> run(List<RedisCommand<?>> commands);
    }

    private final Runner runner;
    private final RedisCodec<K, V> codec;
    /** Handed to the runner as it is by {@link #execute()}, which starts a new one of the last one's size. */
    private List<RedisCommand<?>> queued = new ArrayList<>(16);

    Pipeline(Runner runner, RedisCodec<K, V> codec) {
        this.runner = runner;
        this.codec = codec;
    }

    @Override
    public RedisCodec<K, V> codec() {
        return codec;
    }

    /** Queues {@code command}; returns null (its result comes from {@link #execute()}). */
    @Override
    public <T> T execute(RedisCommand<T> command) {
        if (command.isBlocking()) {
            throw new IllegalArgumentException(command.name() + " blocks: it cannot be pipelined");
        }
        queued.add(command);
        return null;
    }

    /** Commands queued so far. */
    public int size() {
        return queued.size();
    }

    /** Sends every queued command in one write and returns their results in order. */
    public List<Object> execute() {
        List<RedisCommand<?>> commands = queued;
        if (commands.isEmpty()) {
            return List.of();
        }
        // the list goes to the runner (a connection keeps it until the replies are in): a new one for the next use
        queued = new ArrayList<>(Math.max(16, commands.size()));
        return runner.run(commands);
    }

    /**
     * Sends {@code commands} on {@code c} as one batch (one reply slot for all, no suspension point) and awaits their
     * replies, up to {@code timeout} in all.
     */
    static List<Object> run(RedisConnection c, List<RedisCommand<?>> commands, java.time.Duration timeout) {
        LoopFuture<Object[]> batch = c.sendBatch(commands, timeout);
        Object[] replies;
        try {
            c.backpressure();
            replies = batch.await(); // TimedOut when the replies have not all come within the timeout
        } finally {
            if (!batch.isDone()) {
                batch.cancel(); // the replies are still read, and dropped
            }
        }
        List<Object> results = new ArrayList<>(replies.length);
        for (int i = 0; i < replies.length; i++) {
            try {
                results.add(commands.get(i).decode(replies[i]));
            } catch (RedisServerError e) {
                results.add(e);
            }
        }
        return results;
    }

    @Override
    public String toString() {
        return "Pipeline[" + queued.size() + " queued]";
    }
}
