/**
 * How the client talks to servers (not API): {@link dev.spindle.redis.internal.RedisConnection} (one socket, its
 * in-flight FIFO and reader task: the cancellation-safety argument lives there),
 * {@link dev.spindle.redis.internal.SharedConnection} (the multiplexed connection),
 * {@link dev.spindle.redis.internal.ConnectionPool}, {@link dev.spindle.redis.internal.Connector} and
 * {@link dev.spindle.redis.internal.Backoff} (reconnects).
 */
package dev.spindle.redis.internal;
