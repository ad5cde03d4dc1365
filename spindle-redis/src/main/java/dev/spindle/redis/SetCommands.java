package dev.spindle.redis;

import static dev.spindle.redis.Unbox.b;
import static dev.spindle.redis.Unbox.l;

import java.util.List;
import java.util.Set;

/**
 * Set commands. Members come back as a {@link Set} in the server's order (with {@link RedisCodec#BYTES}, a set of
 * arrays compares them by identity: use the list-returning commands or a String codec to look members up).
 *
 * {@snippet :
 * redis.sadd("tags", "redis", "java");
 * boolean has = redis.sismember("tags", "java"); // true
 * }
 */
public interface SetCommands<K, V> extends BaseCommands<K, V> {

    @SuppressWarnings("unchecked")
    default long sadd(K key, V... members) {
        return l(execute(Cmd.of(codec(), "SADD").key(key).values(members).build(Replies::integerOrNull)));
    }

    @SuppressWarnings("unchecked")
    default long srem(K key, V... members) {
        return l(execute(Cmd.of(codec(), "SREM").key(key).values(members).build(Replies::integerOrNull)));
    }

    default Set<V> smembers(K key) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "SMEMBERS").key(key).idempotent().build(r -> Replies.valueSet(c, r)));
    }

    default boolean sismember(K key, V member) {
        return b(execute(
                Cmd.of(codec(), "SISMEMBER").key(key).value(member).idempotent().build(Replies::bool)));
    }

    @SuppressWarnings("unchecked")
    default List<Boolean> smismember(K key, V... members) {
        return execute(Cmd.of(codec(), "SMISMEMBER")
                .key(key)
                .values(members)
                .idempotent()
                .build(Replies::bools));
    }

    default long scard(K key) {
        return l(execute(Cmd.of(codec(), "SCARD").key(key).idempotent().build(Replies::integerOrNull)));
    }

    /** SPOP of one random member, or null. */
    default V spop(K key) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "SPOP").key(key).buildValue());
    }

    default Set<V> spop(K key, long count) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "SPOP").key(key).arg(count).build(r -> Replies.valueSet(c, r)));
    }

    /** SRANDMEMBER with a count: distinct if positive, maybe repeated if negative. */
    default List<V> srandmember(K key, long count) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "SRANDMEMBER").key(key).arg(count).build(r -> Replies.values(c, r)));
    }

    @SuppressWarnings("unchecked")
    default Set<V> sinter(K... keys) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "SINTER").keys(keys).idempotent().build(r -> Replies.valueSet(c, r)));
    }

    @SuppressWarnings("unchecked")
    default Set<V> sunion(K... keys) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "SUNION").keys(keys).idempotent().build(r -> Replies.valueSet(c, r)));
    }

    @SuppressWarnings("unchecked")
    default Set<V> sdiff(K... keys) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "SDIFF").keys(keys).idempotent().build(r -> Replies.valueSet(c, r)));
    }

    @SuppressWarnings("unchecked")
    default long sinterstore(K destination, K... keys) {
        return l(execute(
                Cmd.of(codec(), "SINTERSTORE").key(destination).keys(keys).build(Replies::integerOrNull)));
    }

    @SuppressWarnings("unchecked")
    default long sunionstore(K destination, K... keys) {
        return l(execute(
                Cmd.of(codec(), "SUNIONSTORE").key(destination).keys(keys).build(Replies::integerOrNull)));
    }

    @SuppressWarnings("unchecked")
    default long sdiffstore(K destination, K... keys) {
        return l(execute(
                Cmd.of(codec(), "SDIFFSTORE").key(destination).keys(keys).build(Replies::integerOrNull)));
    }

    /** SINTERCARD: the size of the intersection, counting at most {@code limit} (0: no limit). */
    @SuppressWarnings("unchecked")
    default long sintercard(long limit, K... keys) {
        return l(execute(Cmd.of(codec(), "SINTERCARD")
                .arg((long) keys.length)
                .keys(keys)
                .when(limit > 0, "LIMIT", limit)
                .idempotent()
                .build(Replies::integerOrNull)));
    }

    default boolean smove(K source, K destination, V member) {
        return b(execute(Cmd.of(codec(), "SMOVE")
                .key(source)
                .key(destination)
                .value(member)
                .build(Replies::bool)));
    }

    /** SSCAN as a for-each iterator. */
    default Iterable<V> sscan(K key, ScanArgs args) {
        RedisCodec<K, V> c = codec();
        List<Object> opts = args.args(false);
        return new Scan<>(
                cursor -> execute(Cmd.of(c, "SSCAN")
                        .key(key)
                        .arg(cursor)
                        .args(opts.toArray())
                        .idempotent()
                        .build(Replies::list)),
                items -> Replies.values(c, items));
    }
}
