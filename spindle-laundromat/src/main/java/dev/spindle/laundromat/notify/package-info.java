/**
 * Redis through spindle-redis: the ready-notification queue, a stream with a consumer group
 * ({@link dev.spindle.laundromat.notify.ReadyQueue} adds, {@link dev.spindle.laundromat.notify.ReadyWorkers} reads
 * with XREADGROUP, records, XACKs, and claims what dead consumers left), and
 * {@link dev.spindle.laundromat.notify.RateLimiter}, a fixed window per customer in one Lua script.
 *
 * {@snippet :
 * ReadyWorkers workers = ReadyWorkers.start(redis, store, feed, 4);
 * RateLimiter.Decision d = new RateLimiter(redis, 120, Duration.ofSeconds(10)).hit("customer:7");
 * }
 */
package dev.spindle.laundromat.notify;
