package dev.spindle.redis;

import static dev.spindle.redis.Unbox.b;
import static dev.spindle.redis.Unbox.d;
import static dev.spindle.redis.Unbox.l;

import java.util.List;
import java.util.Map;

/**
 * String commands. A missing key reads as {@code null}.
 *
 * {@snippet :
 * redis.set("greeting", "hello");
 * redis.set("lock", "me", SetArgs.NONE.nx().ex(Duration.ofSeconds(10)));
 * long visits = redis.incr("visits");
 * String g = redis.get("greeting"); // "hello"
 * }
 */
public interface StringCommands<K, V> extends BaseCommands<K, V> {

    /** GET: the value, or null. */
    default V get(K key) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "GET", 2).key(key).idempotent().buildValue());
    }

    /** SET. */
    default void set(K key, V value) {
        execute(Cmd.of(codec(), "SET", 3).key(key).value(value).idempotent().build(Replies::string));
    }

    /** SET with options: true if set, false if its NX/XX condition stopped it. */
    default boolean set(K key, V value, SetArgs args) {
        return b(execute(Cmd.of(codec(), "SET")
                .key(key)
                .value(value)
                .args(args.args().toArray())
                .build(Replies::bool)));
    }

    /** SET ... GET: sets and returns the old value (null if none, or if a condition stopped the set). */
    default V setGet(K key, V value, SetArgs args) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "SET")
                .key(key)
                .value(value)
                .args(args.args().toArray())
                .arg("GET")
                .buildValue());
    }

    /** SETNX: true if the key was set (it did not exist). */
    default boolean setnx(K key, V value) {
        return b(execute(Cmd.of(codec(), "SETNX").key(key).value(value).build(Replies::bool)));
    }

    /** SETEX: set with a time to live in seconds. */
    default void setex(K key, long seconds, V value) {
        execute(Cmd.of(codec(), "SETEX")
                .key(key)
                .arg(seconds)
                .value(value)
                .idempotent()
                .build(Replies::string));
    }

    /** MGET: values in the order of the keys, null for missing ones. */
    @SuppressWarnings("unchecked")
    default List<V> mget(K... keys) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "MGET").keys(keys).idempotent().build(r -> Replies.values(c, r)));
    }

    /** MSET. */
    default void mset(Map<K, V> values) {
        execute(Cmd.of(codec(), "MSET").pairs(values).idempotent().build(Replies::string));
    }

    /** MSETNX: true if all were set (none existed). */
    default boolean msetnx(Map<K, V> values) {
        return b(execute(Cmd.of(codec(), "MSETNX").pairs(values).build(Replies::bool)));
    }

    /** GETDEL: the value, deleted; null if none. */
    default V getdel(K key) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "GETDEL").key(key).buildValue());
    }

    /** GETEX: the value, with its time to live changed. */
    default V getex(K key, Expiry expiry) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "GETEX").key(key).args(expiry.args().toArray()).buildValue());
    }

    /** INCR: the new value. */
    default long incr(K key) {
        return l(execute(Cmd.of(codec(), "INCR", 2).key(key).build(Replies::integerOrNull)));
    }

    /** INCRBY. */
    default long incrby(K key, long amount) {
        return l(execute(Cmd.of(codec(), "INCRBY").key(key).arg(amount).build(Replies::integerOrNull)));
    }

    /** INCRBYFLOAT. */
    default double incrbyfloat(K key, double amount) {
        return d(execute(Cmd.of(codec(), "INCRBYFLOAT").key(key).arg(amount).build(Replies::dbl)));
    }

    /** DECR. */
    default long decr(K key) {
        return l(execute(Cmd.of(codec(), "DECR").key(key).build(Replies::integerOrNull)));
    }

    /** DECRBY. */
    default long decrby(K key, long amount) {
        return l(execute(Cmd.of(codec(), "DECRBY").key(key).arg(amount).build(Replies::integerOrNull)));
    }

    /** APPEND: the new length. */
    default long append(K key, V value) {
        return l(execute(Cmd.of(codec(), "APPEND").key(key).value(value).build(Replies::integerOrNull)));
    }

    /** STRLEN. */
    default long strlen(K key) {
        return l(execute(Cmd.of(codec(), "STRLEN").key(key).idempotent().build(Replies::integerOrNull)));
    }

    /** GETRANGE: the substring between two offsets, both inclusive, negative from the end. */
    default V getrange(K key, long start, long end) {
        RedisCodec<K, V> c = codec();
        return execute(
                Cmd.of(c, "GETRANGE").key(key).arg(start).arg(end).idempotent().buildValue());
    }

    /** SETRANGE: the new length. */
    default long setrange(K key, long offset, V value) {
        return l(execute(
                Cmd.of(codec(), "SETRANGE").key(key).arg(offset).value(value).build(Replies::integerOrNull)));
    }
}
