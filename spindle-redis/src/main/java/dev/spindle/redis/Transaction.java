package dev.spindle.redis;

import dev.spindle.Spindle;
import dev.spindle.redis.internal.RedisConnection;
import dev.spindle.redis.internal.resp.ErrorReply;
import dev.spindle.task.LoopFuture;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands of one MULTI/EXEC, on a connection held for it alone; given to the body of {@link RedisClient#multi}
 * and {@link RedisClient#transaction}. Before {@link #multi()}, commands run at once (reads of the watched keys);
 * after it they are queued (the typed methods return placeholders) and sent with MULTI and EXEC in one write when the
 * body returns.
 *
 * {@snippet :
 * redis.transaction(List.of("stock"), tx -> {
 *     long left = Long.parseLong(tx.get("stock"));
 *     tx.multi();
 *     tx.set("stock", Long.toString(left - 1));
 *     tx.rpush("orders", "o-17");
 * });
 * }
 *
 * <p>If the body throws or is cancelled, nothing queued is sent, and the connection (maybe in WATCH state) is closed
 * rather than reused.
 */
public final class Transaction<K, V> implements RedisCommands<K, V> {
    private final RedisClient client;
    private final RedisConnection connection;
    private final RedisCodec<K, V> codec;
    private final List<RedisCommand<?>> queued = new ArrayList<>();
    private boolean queuing;

    Transaction(RedisClient client, RedisConnection connection, RedisCodec<K, V> codec) {
        this.client = client;
        this.connection = connection;
        this.codec = codec;
    }

    @Override
    public RedisCodec<K, V> codec() {
        return codec;
    }

    /** From now on, commands are queued for EXEC. */
    public void multi() {
        queuing = true;
    }

    @Override
    public <T> T execute(RedisCommand<T> command) {
        if (command.isBlocking()) {
            throw new IllegalArgumentException(command.name() + " blocks: it cannot run in a transaction");
        }
        if (queuing) {
            queued.add(command);
            return null;
        }
        return command.decode(connection.call(command, client.config().commandTimeout()));
    }

    /** Sends MULTI, the queue, EXEC; null when a watched key changed (EXEC's nil). */
    List<Object> exec() {
        if (!queuing) {
            // the body never called multi(): nothing to run atomically; EXEC-less, so end the WATCH
            connection.call(RedisCommand.of("UNWATCH"), client.config().commandTimeout());
            connection.markClean();
            return List.of();
        }
        connection.markDirty();
        List<RedisCommand<?>> batch = new ArrayList<>(queued.size() + 2);
        batch.add(RedisCommand.of("MULTI"));
        batch.addAll(queued);
        batch.add(RedisCommand.of("EXEC"));
        List<LoopFuture<Object>> all = connection.sendAll(batch); // MULTI, the queue and EXEC in one write
        LoopFuture<Object> multi = all.get(0);
        List<LoopFuture<Object>> acks = all.subList(1, all.size() - 1);
        LoopFuture<Object> exec = all.get(all.size() - 1);
        try {
            return awaitExec(multi, acks, exec);
        } finally {
            Slots.abandon(all);
        }
    }

    private List<Object> awaitExec(LoopFuture<Object> multi, List<LoopFuture<Object>> acks, LoopFuture<Object> exec) {
        return Spindle.withTimeout(client.config().commandTimeout(), () -> {
            check(multi.await());
            RedisServerError refused = null;
            for (LoopFuture<Object> ack : acks) {
                if (ack.await() instanceof ErrorReply e && refused == null) {
                    refused = new RedisServerError(e.message());
                }
            }
            Object reply = exec.await();
            connection.markClean(); // EXEC (or its EXECABORT) ended MULTI and WATCH
            if (reply instanceof ErrorReply e) {
                throw refused != null ? refused : new RedisServerError(e.message());
            }
            if (reply == null) {
                return null;
            }
            List<?> raw = Replies.list(reply);
            List<Object> results = new ArrayList<>(raw.size());
            for (int i = 0; i < raw.size(); i++) {
                try {
                    results.add(queued.get(i).decode(raw.get(i)));
                } catch (RedisServerError err) {
                    results.add(err);
                }
            }
            return results;
        });
    }

    private static void check(Object reply) {
        if (reply instanceof ErrorReply e) {
            throw new RedisServerError(e.message());
        }
    }
}
