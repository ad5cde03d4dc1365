package dev.spindle.redis;

import static dev.spindle.redis.Unbox.b;
import static dev.spindle.redis.Unbox.l;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Key-space commands. Times to live come as {@link Duration} and {@link Instant}; TTL and PTTL return Redis's own
 * -1 (no TTL) and -2 (no key).
 *
 * {@snippet :
 * redis.expire("session:1", Duration.ofMinutes(30));
 * for (String key : redis.scan(ScanArgs.NONE.match("session:*"))) {
 *     System.out.println(key + " " + redis.ttl(key));
 * }
 * }
 */
public interface KeyCommands<K, V> extends BaseCommands<K, V> {

    /** DEL: how many keys were removed. */
    @SuppressWarnings("unchecked")
    default long del(K... keys) {
        return l(execute(Cmd.of(codec(), "DEL").keys(keys).build(Replies::integerOrNull)));
    }

    /** UNLINK: DEL that frees memory in the background. */
    @SuppressWarnings("unchecked")
    default long unlink(K... keys) {
        return l(execute(Cmd.of(codec(), "UNLINK").keys(keys).build(Replies::integerOrNull)));
    }

    /** EXISTS: how many of the keys exist (a key given twice counts twice). */
    @SuppressWarnings("unchecked")
    default long exists(K... keys) {
        return l(execute(Cmd.of(codec(), "EXISTS").keys(keys).idempotent().build(Replies::integerOrNull)));
    }

    /** EXPIRE (PEXPIRE when {@code ttl} has a fraction of a second): true if the TTL was set. */
    default boolean expire(K key, Duration ttl) {
        return expire(key, ttl, null);
    }

    /** EXPIRE with a condition (NX, XX, GT, LT). */
    default boolean expire(K key, Duration ttl, ExpireCondition condition) {
        boolean ms = ttl.toMillis() % 1000 != 0;
        return b(execute(Cmd.of(codec(), ms ? "PEXPIRE" : "EXPIRE")
                .key(key)
                .arg(ms ? ttl.toMillis() : ttl.toSeconds())
                .when(condition != null, condition == null ? "" : condition.name())
                .build(Replies::bool)));
    }

    /** PEXPIREAT: expire at an instant. */
    default boolean expireat(K key, Instant when) {
        return expireat(key, when, null);
    }

    default boolean expireat(K key, Instant when, ExpireCondition condition) {
        return b(execute(Cmd.of(codec(), "PEXPIREAT")
                .key(key)
                .arg(when.toEpochMilli())
                .when(condition != null, condition == null ? "" : condition.name())
                .build(Replies::bool)));
    }

    /** PERSIST: true if a TTL was removed. */
    default boolean persist(K key) {
        return b(execute(Cmd.of(codec(), "PERSIST").key(key).build(Replies::bool)));
    }

    /** TTL in seconds; -1 without TTL, -2 without key. */
    default long ttl(K key) {
        return l(execute(Cmd.of(codec(), "TTL").key(key).idempotent().build(Replies::integerOrNull)));
    }

    /** PTTL in milliseconds; -1 without TTL, -2 without key. */
    default long pttl(K key) {
        return l(execute(Cmd.of(codec(), "PTTL").key(key).idempotent().build(Replies::integerOrNull)));
    }

    /** PEXPIRETIME: when the key expires, or null without TTL or key. */
    default Instant expiretime(K key) {
        Long ms = execute(Cmd.of(codec(), "PEXPIRETIME").key(key).idempotent().build(Replies::integerOrNull));
        return ms == null || ms < 0 ? null : Instant.ofEpochMilli(ms);
    }

    /** TYPE: {@code string}, {@code list}, {@code hash}, ... or {@code none}. */
    default String type(K key) {
        return execute(Cmd.of(codec(), "TYPE").key(key).idempotent().build(Replies::string));
    }

    /** RENAME. */
    default void rename(K key, K newKey) {
        execute(Cmd.of(codec(), "RENAME").key(key).key(newKey).build(Replies::string));
    }

    /** RENAMENX: true if renamed (the new name was free). */
    default boolean renamenx(K key, K newKey) {
        return b(execute(Cmd.of(codec(), "RENAMENX").key(key).key(newKey).build(Replies::bool)));
    }

    /** COPY: true if copied. */
    default boolean copy(K source, K destination, boolean replace) {
        return b(execute(Cmd.of(codec(), "COPY")
                .key(source)
                .key(destination)
                .when(replace, "REPLACE")
                .build(Replies::bool)));
    }

    /** TOUCH: how many keys exist; updates their last access time. */
    @SuppressWarnings("unchecked")
    default long touch(K... keys) {
        return l(execute(Cmd.of(codec(), "TOUCH").keys(keys).build(Replies::integerOrNull)));
    }

    /** KEYS: every key matching; blocks the server on large databases, prefer {@link #scan}. */
    default List<K> keys(String pattern) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "KEYS").arg(pattern).idempotent().build(r -> Replies.keys(c, r)));
    }

    /** RANDOMKEY, or null on an empty database. */
    default K randomkey() {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "RANDOMKEY").idempotent().build(r -> Replies.key(c, r)));
    }

    /** OBJECT ENCODING. */
    default String objectEncoding(K key) {
        return execute(Cmd.of(codec(), "OBJECT").arg("ENCODING").key(key).build(Replies::string));
    }

    /** SCAN as a for-each iterator over every key, one page per round trip. */
    default Iterable<K> scan() {
        return scan(ScanArgs.NONE);
    }

    default Iterable<K> scan(ScanArgs args) {
        RedisCodec<K, V> c = codec();
        List<Object> opts = args.args(true);
        return new Scan<>(
                cursor -> execute(Cmd.of(c, "SCAN")
                        .arg(cursor)
                        .args(opts.toArray())
                        .idempotent()
                        .build(Replies::list)),
                items -> Replies.keys(c, items));
    }
}
