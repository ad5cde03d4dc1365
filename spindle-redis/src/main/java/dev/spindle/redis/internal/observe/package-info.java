/** Not API: the Redis client's JFR event, loaded only once JFR runs. */
package dev.spindle.redis.internal.observe;
