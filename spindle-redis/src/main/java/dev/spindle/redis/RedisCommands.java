package dev.spindle.redis;

/**
 * Every typed command, named as Redis names them (lowerCamel: {@code hset}, {@code hgetall}, {@code xreadgroup}),
 * over keys of type {@code K} and values of type {@code V} (see {@link RedisCodec}). Results are Java types: a
 * {@link java.util.Map} for HGETALL, {@link ScoredValue}s for scored members, {@link StreamEntry}s for streams;
 * a missing value is {@code null} throughout (never an empty Optional), a count is a {@code long}.
 *
 * {@snippet :
 * RedisCommands<String, String> redis = RedisClient.create("redis://localhost");
 * redis.hset("user:1", Map.of("name", "Ada"));
 * }
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface RedisCommands<K, V>
        extends StringCommands<K, V>,
                KeyCommands<K, V>,
                HashCommands<K, V>,
                ListCommands<K, V>,
                SetCommands<K, V>,
                SortedSetCommands<K, V>,
                StreamCommands<K, V>,
                HyperLogLogCommands<K, V>,
                BitmapCommands<K, V>,
                GeoCommands<K, V>,
                ScriptingCommands<K, V>,
                ServerCommands<K, V> {}
