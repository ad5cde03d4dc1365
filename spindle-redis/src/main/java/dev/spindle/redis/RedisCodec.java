package dev.spindle.redis;

import java.nio.charset.StandardCharsets;

/**
 * How keys and values become bytes on the wire and come back: {@link #UTF8} (Strings, the default of {@link
 * RedisClient}), {@link #BYTES} (raw arrays, as redis-py without {@code decode_responses}), or your own, such as
 * {@link JsonCodec}. A codec is called on the loop's thread for every key and value, so it should be fast and
 * stateless; it must be thread-safe if one client is used from several loops.
 *
 * {@snippet :
 * RedisCommands<String, byte[]> bytes = client.withCodec(RedisCodec.of(RedisCodec.UTF8, RedisCodec.BYTES));
 * bytes.set("thumbnail", png);
 * }
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface RedisCodec<K, V> {
    byte[] encodeKey(K key);

    K decodeKey(byte[] bytes);

    byte[] encodeValue(V value);

    V decodeValue(byte[] bytes);

    /** Keys and values as UTF-8 strings. */
    RedisCodec<String, String> UTF8 = new RedisCodec<>() {
        @Override
        public byte[] encodeKey(String key) {
            return key.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decodeKey(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public byte[] encodeValue(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decodeValue(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "RedisCodec.UTF8";
        }
    };

    /** Keys and values as the bytes themselves (not copied: do not change an array after handing it over). */
    RedisCodec<byte[], byte[]> BYTES = new RedisCodec<>() {
        @Override
        public byte[] encodeKey(byte[] key) {
            return key;
        }

        @Override
        public byte[] decodeKey(byte[] bytes) {
            return bytes;
        }

        @Override
        public byte[] encodeValue(byte[] value) {
            return value;
        }

        @Override
        public byte[] decodeValue(byte[] bytes) {
            return bytes;
        }

        @Override
        public String toString() {
            return "RedisCodec.BYTES";
        }
    };

    /** The keys of {@code keys} with the values of {@code values}. */
    static <K, V> RedisCodec<K, V> of(RedisCodec<K, ?> keys, RedisCodec<?, V> values) {
        return new RedisCodec<>() {
            @Override
            public byte[] encodeKey(K key) {
                return keys.encodeKey(key);
            }

            @Override
            public K decodeKey(byte[] bytes) {
                return keys.decodeKey(bytes);
            }

            @Override
            public byte[] encodeValue(V value) {
                return values.encodeValue(value);
            }

            @Override
            public V decodeValue(byte[] bytes) {
                return values.decodeValue(bytes);
            }

            @Override
            public String toString() {
                return "RedisCodec.of(" + keys + ", " + values + ")";
            }
        };
    }
}
