package dev.spindle.redis;

import dev.spindle.Spindle;
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
    private final List<RedisCommand<?>> queued = new ArrayList<>();

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
        List<RedisCommand<?>> commands = List.copyOf(queued);
        queued.clear();
        if (commands.isEmpty()) {
            return List.of();
        }
        return runner.run(commands);
    }

    /** Sends {@code commands} on {@code c} in one write and awaits their replies, up to {@code timeout} in all. */
    static List<Object> run(RedisConnection c, List<RedisCommand<?>> commands, java.time.Duration timeout) {
        List<LoopFuture<Object>> slots = c.sendAll(commands); // one write, no suspension point
        try {
            c.backpressure();
            return Spindle.withTimeout(timeout, () -> {
                List<Object> results = new ArrayList<>(slots.size());
                for (int i = 0; i < slots.size(); i++) {
                    Object reply = slots.get(i).await();
                    try {
                        results.add(commands.get(i).decode(reply));
                    } catch (RedisServerError e) {
                        results.add(e);
                    }
                }
                return results;
            });
        } finally {
            Slots.abandon(slots);
        }
    }

    @Override
    public String toString() {
        return "Pipeline[" + queued.size() + " queued]";
    }
}
