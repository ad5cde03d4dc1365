package dev.spindle.redis;

import static dev.spindle.redis.Unbox.b;
import static dev.spindle.redis.Unbox.d;
import static dev.spindle.redis.Unbox.l;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Hash commands, field TTLs included (HEXPIRE and kin, Redis 7.4+; an older server answers them with
 * {@link RedisServerError} "unknown command"). Field names use the key codec.
 *
 * {@snippet :
 * redis.hset("user:1", Map.of("name", "Ada", "lang", "en"));
 * Map<String, String> user = redis.hgetall("user:1");   // {name=Ada, lang=en}
 * }
 */
public interface HashCommands<K, V> extends BaseCommands<K, V> {

    /** HSET of one field: 1 if the field is new, 0 if updated. */
    default long hset(K key, K field, V value) {
        return l(
                execute(Cmd.of(codec(), "HSET").key(key).key(field).value(value).build(Replies::integerOrNull)));
    }

    /** HSET of many fields (redis-py's {@code mapping=}): how many fields are new. */
    default long hset(K key, Map<K, V> fields) {
        return l(execute(Cmd.of(codec(), "HSET").key(key).pairs(fields).build(Replies::integerOrNull)));
    }

    /** HSETNX: true if the field was set (it did not exist). */
    default boolean hsetnx(K key, K field, V value) {
        return b(execute(
                Cmd.of(codec(), "HSETNX").key(key).key(field).value(value).build(Replies::bool)));
    }

    /** HGET, or null. */
    default V hget(K key, K field) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "HGET", 3).key(key).key(field).idempotent().buildValue());
    }

    /** HMGET: values in the order of the fields, null for missing ones. */
    @SuppressWarnings("unchecked")
    default List<V> hmget(K key, K... fields) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "HMGET").key(key).keys(fields).idempotent().build(r -> Replies.values(c, r)));
    }

    /** HGETALL: every field and value, in the server's order; empty if the key is missing. */
    default Map<K, V> hgetall(K key) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "HGETALL").key(key).idempotent().build(r -> Replies.map(c, r)));
    }

    /** HDEL: how many fields were removed. */
    @SuppressWarnings("unchecked")
    default long hdel(K key, K... fields) {
        return l(execute(Cmd.of(codec(), "HDEL").key(key).keys(fields).build(Replies::integerOrNull)));
    }

    default boolean hexists(K key, K field) {
        return b(execute(
                Cmd.of(codec(), "HEXISTS").key(key).key(field).idempotent().build(Replies::bool)));
    }

    default List<K> hkeys(K key) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "HKEYS").key(key).idempotent().build(r -> Replies.keys(c, r)));
    }

    default List<V> hvals(K key) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "HVALS").key(key).idempotent().build(r -> Replies.values(c, r)));
    }

    default long hlen(K key) {
        return l(execute(Cmd.of(codec(), "HLEN").key(key).idempotent().build(Replies::integerOrNull)));
    }

    default long hstrlen(K key, K field) {
        return l(execute(
                Cmd.of(codec(), "HSTRLEN").key(key).key(field).idempotent().build(Replies::integerOrNull)));
    }

    default long hincrby(K key, K field, long amount) {
        return l(execute(
                Cmd.of(codec(), "HINCRBY").key(key).key(field).arg(amount).build(Replies::integerOrNull)));
    }

    default double hincrbyfloat(K key, K field, double amount) {
        return d(execute(
                Cmd.of(codec(), "HINCRBYFLOAT").key(key).key(field).arg(amount).build(Replies::dbl)));
    }

    /** HRANDFIELD with a count: distinct fields if positive, maybe repeated if negative. */
    default List<K> hrandfield(K key, long count) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "HRANDFIELD").key(key).arg(count).build(r -> Replies.keys(c, r)));
    }

    /** HSCAN as a for-each iterator over the fields and values. */
    default Iterable<Map.Entry<K, V>> hscan(K key, ScanArgs args) {
        RedisCodec<K, V> c = codec();
        List<Object> opts = args.args(false);
        return new Scan<>(
                cursor -> execute(Cmd.of(c, "HSCAN")
                        .key(key)
                        .arg(cursor)
                        .args(opts.toArray())
                        .idempotent()
                        .build(Replies::list)),
                items -> List.copyOf(Replies.map(c, items).entrySet()));
    }

    // ---- field TTLs (Redis 7.4+) ----------------------------------------------------------------------------

    /**
     * HPEXPIRE: a TTL on some fields. Per field: 1 set, 0 condition not met, 2 deleted at once (TTL 0 or past), -2 no
     * such field.
     */
    @SuppressWarnings("unchecked")
    default List<Long> hexpire(K key, Duration ttl, ExpireCondition condition, K... fields) {
        return execute(Cmd.of(codec(), "HPEXPIRE")
                .key(key)
                .arg(ttl.toMillis())
                .when(condition != null, condition == null ? "" : condition.name())
                .arg("FIELDS")
                .arg((long) fields.length)
                .keys(fields)
                .build(Replies::integers));
    }

    /** HPEXPIREAT: fields expire at an instant; per-field results as {@link #hexpire}. */
    @SuppressWarnings("unchecked")
    default List<Long> hexpireat(K key, Instant when, ExpireCondition condition, K... fields) {
        return execute(Cmd.of(codec(), "HPEXPIREAT")
                .key(key)
                .arg(when.toEpochMilli())
                .when(condition != null, condition == null ? "" : condition.name())
                .arg("FIELDS")
                .arg((long) fields.length)
                .keys(fields)
                .build(Replies::integers));
    }

    /** HPTTL: per field, milliseconds left, -1 without TTL, -2 no such field. */
    @SuppressWarnings("unchecked")
    default List<Long> hpttl(K key, K... fields) {
        return execute(Cmd.of(codec(), "HPTTL")
                .key(key)
                .arg("FIELDS")
                .arg((long) fields.length)
                .keys(fields)
                .idempotent()
                .build(Replies::integers));
    }

    /** HTTL: per field, seconds left, -1 without TTL, -2 no such field. */
    @SuppressWarnings("unchecked")
    default List<Long> httl(K key, K... fields) {
        return execute(Cmd.of(codec(), "HTTL")
                .key(key)
                .arg("FIELDS")
                .arg((long) fields.length)
                .keys(fields)
                .idempotent()
                .build(Replies::integers));
    }

    /** HPERSIST: per field, 1 TTL removed, -1 had none, -2 no such field. */
    @SuppressWarnings("unchecked")
    default List<Long> hpersist(K key, K... fields) {
        return execute(Cmd.of(codec(), "HPERSIST")
                .key(key)
                .arg("FIELDS")
                .arg((long) fields.length)
                .keys(fields)
                .build(Replies::integers));
    }
}
