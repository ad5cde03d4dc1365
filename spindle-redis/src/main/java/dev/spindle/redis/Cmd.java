package dev.spindle.redis;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;

/** Builds one command's arguments with the keys and values encoded by a codec; then {@link #build}s it. */
final class Cmd<K, V> {
    private final RedisCodec<K, V> codec;
    private Object[] args;
    private int n;
    private boolean idempotent;
    private boolean blocking;
    private int keyIndex = -1;

    private Cmd(RedisCodec<K, V> codec, Object name, int size) {
        this.codec = codec;
        this.args = new Object[size];
        args[n++] = name;
    }

    static <K, V> Cmd<K, V> of(RedisCodec<K, V> codec, String name) {
        return new Cmd<>(codec, name, 8);
    }

    /** A command of {@code size} arguments, its name included (more may be added; the array is then copied). */
    static <K, V> Cmd<K, V> of(RedisCodec<K, V> codec, String name, int size) {
        return new Cmd<>(codec, name, Math.max(size, 1));
    }

    Cmd<K, V> arg(Object a) {
        if (a == null) {
            throw new IllegalArgumentException("null argument for " + args[0]);
        }
        if (n == args.length) {
            args = Arrays.copyOf(args, n * 2);
        }
        args[n++] = a;
        return this;
    }

    Cmd<K, V> args(Object... as) {
        for (Object a : as) {
            arg(a);
        }
        return this;
    }

    /** A plain argument that routes the command in a cluster as a key would (SPUBLISH's shard channel). */
    Cmd<K, V> routingArg(String a) {
        if (keyIndex < 0) {
            keyIndex = n;
        }
        return arg(a);
    }

    Cmd<K, V> key(K key) {
        if (key == null) {
            throw new IllegalArgumentException("null key for " + args[0]);
        }
        if (keyIndex < 0) {
            keyIndex = n;
        }
        return arg(codec == RedisCodec.UTF8 ? key : codec.encodeKey(key)); // a String is sent as UTF-8 as it is
    }

    @SafeVarargs
    final Cmd<K, V> keys(K... keys) {
        if (keys.length == 0) {
            throw new IllegalArgumentException(args[0] + " needs at least one key");
        }
        for (K k : keys) {
            key(k);
        }
        return this;
    }

    Cmd<K, V> keys(Collection<? extends K> keys) {
        for (K k : keys) {
            key(k);
        }
        return this;
    }

    Cmd<K, V> value(V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value for " + args[0] + " (Redis has no null values)");
        }
        return arg(codec == RedisCodec.UTF8 ? value : codec.encodeValue(value));
    }

    @SafeVarargs
    final Cmd<K, V> values(V... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException(args[0] + " needs at least one value");
        }
        for (V v : values) {
            value(v);
        }
        return this;
    }

    Cmd<K, V> values(Collection<? extends V> values) {
        for (V v : values) {
            value(v);
        }
        return this;
    }

    Cmd<K, V> pairs(Map<? extends K, ? extends V> map) {
        if (map.isEmpty()) {
            throw new IllegalArgumentException(args[0] + " needs at least one field");
        }
        map.forEach((k, v) -> key(k).value(v));
        return this;
    }

    Cmd<K, V> when(boolean condition, Object... as) {
        return condition ? args(as) : this;
    }

    /** Marks the command safe to resend after a lost connection. */
    Cmd<K, V> idempotent() {
        idempotent = true;
        return this;
    }

    Cmd<K, V> blocking() {
        blocking = true;
        return this;
    }

    <T> RedisCommand<T> build(Function<Object, T> decoder) {
        return build(decoder, 0);
    }

    /** Builds a command whose reply is one value (or null) of the codec's: GET, HGET, LPOP... */
    @SuppressWarnings("unchecked")
    RedisCommand<V> buildValue() {
        if (codec == RedisCodec.UTF8) {
            // a bulk reply may then be decoded straight from the read buffer (RedisCommand.TEXT_REPLY)
            return build((Function<Object, V>) (Function<Object, ?>) UTF8_VALUE, RedisCommand.TEXT_REPLY);
        }
        RedisCodec<K, V> c = codec;
        return build(r -> Replies.value(c, r), 0);
    }

    private static final Function<Object, String> UTF8_VALUE =
            r -> r instanceof String s ? s : Replies.value(RedisCodec.UTF8, r);

    private <T> RedisCommand<T> build(Function<Object, T> decoder, int flags) {
        flags |= (idempotent ? RedisCommand.IDEMPOTENT : 0) | (blocking ? RedisCommand.BLOCKING : 0);
        return new RedisCommand<>(n == args.length ? args : Arrays.copyOf(args, n), decoder, flags, keyIndex);
    }

    /** A blocking command's timeout in Redis's seconds (fractions allowed since 6.0). */
    static String seconds(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + timeout);
        }
        return timeout.toMillis() % 1000 == 0
                ? Long.toString(timeout.toSeconds())
                : Double.toString(timeout.toMillis() / 1000.0);
    }
}
