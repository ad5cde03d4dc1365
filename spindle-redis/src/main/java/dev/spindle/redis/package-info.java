/**
 * Spindle's Redis client: {@link dev.spindle.redis.RedisClient} and its typed commands
 * ({@link dev.spindle.redis.RedisCommands}), configuration ({@link dev.spindle.redis.RedisConfig}), codecs,
 * {@link dev.spindle.redis.Pipeline}, {@link dev.spindle.redis.Transaction}, {@link dev.spindle.redis.PubSub}.
 *
 * <p>Shared rules: every method must be called from a coroutine of the loop the client belongs to (its connections
 * are that loop's); each may suspend only that coroutine. Errors are unchecked: {@link
 * dev.spindle.redis.RedisServerError} (the server said no; the connection is fine), {@link
 * dev.spindle.redis.RedisConnectionError} (connect failed or connection lost), {@link
 * dev.spindle.redis.RedisProtocolError} (bytes that are not RESP; the connection is closed), {@link
 * dev.spindle.redis.RedisPoolExhausted}, {@link dev.spindle.redis.RedisWatchConflict}, and core's
 * {@link dev.spindle.time.TimedOut} and {@link dev.spindle.task.Cancelled}. A cancelled or timed-out command never
 * lets anyone read a reply that is not their own.
 *
 * {@snippet :
 * run(() -> {
 *     try (RedisClient redis = RedisClient.create("redis://localhost")) {
 *         redis.set("greeting", "hello");
 *         System.out.println(redis.get("greeting"));
 *     }
 * });
 * }
 */
package dev.spindle.redis;
