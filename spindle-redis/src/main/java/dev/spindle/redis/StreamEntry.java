package dev.spindle.redis;

import java.util.Map;

/**
 * One entry of a stream: its id ({@code 1700000000000-0}) and its fields in order.
 *
 * {@snippet :
 * for (StreamEntry<String, String> e : redis.xrange("events", "-", "+")) {
 *     System.out.println(e.id() + " " + e.fields());
 * }
 * }
 */
public record StreamEntry<K, V>(String id, Map<K, V> fields) {}
