package dev.spindle.redis;

/**
 * A value and the key it came from (BLPOP, BRPOP, BZPOPMIN on several keys).
 *
 * {@snippet :
 * KeyValue<String, String> job = redis.blpop(Duration.ofSeconds(5), "high", "low"); // null after 5 s
 * }
 */
public record KeyValue<K, V>(K key, V value) {}
