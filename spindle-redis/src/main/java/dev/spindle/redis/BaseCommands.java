package dev.spindle.redis;

/**
 * What every command group stands on: a codec for keys and values, and a way to run one command. Implemented by
 * {@link RedisClient} (runs it now), {@link Pipeline} (queues it) and {@link Transaction}.
 *
 * <p>Inside a pipeline or a transaction's queued part, the typed methods return {@code null} (or {@code 0},
 * {@code false}) at once and their results come, typed and in order, from {@code execute()}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface BaseCommands<K, V> {
    /** The codec this view encodes keys and values with. */
    RedisCodec<K, V> codec();

    /**
     * Runs one command and returns its decoded reply.
     *
     * @throws RedisServerError if the server answered with an error
     * @throws RedisConnectionError if the connection could not be made or was lost (after the retries an idempotent
     *     command gets)
     * @throws dev.spindle.time.TimedOut if no reply came within the command timeout
     */
    <T> T execute(RedisCommand<T> command);

    /**
     * The raw escape hatch: any command, its reply as {@link RedisCommand#of(Object...)} describes.
     *
     * {@snippet :
     * Object enc = redis.call("OBJECT", "ENCODING", "user:1");
     * }
     */
    default Object call(Object... args) {
        return execute(RedisCommand.of(args));
    }
}
