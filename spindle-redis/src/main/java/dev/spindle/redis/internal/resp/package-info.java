/**
 * RESP2/RESP3, the Redis protocol, as pure bytes in and values out: {@link
 * dev.spindle.redis.internal.resp.RespParser} (incremental, resumable anywhere, limits named) and {@link
 * dev.spindle.redis.internal.resp.RespWriter} (commands encoded into one reused buffer). No sockets here: the
 * connection layer feeds the parser and sends the writer's bytes.
 */
package dev.spindle.redis.internal.resp;
