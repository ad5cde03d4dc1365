package dev.spindle.redis;

import static dev.spindle.redis.Unbox.l;

import java.time.Duration;
import java.util.List;

/**
 * List commands. The blocking ones (BLPOP, BRPOP, BLMOVE) wait on the server up to their own timeout
 * ({@link Duration#ZERO}: for ever) on a connection of their own: the client's command timeout never cuts them
 * short, and a caller cancelled while waiting closes that connection, so that no element is popped for nobody.
 *
 * {@snippet :
 * redis.rpush("jobs", "a", "b");
 * KeyValue<String, String> job = redis.blpop(Duration.ofSeconds(5), "jobs"); // jobs=a
 * }
 */
public interface ListCommands<K, V> extends BaseCommands<K, V> {

    @SuppressWarnings("unchecked")
    default long lpush(K key, V... values) {
        return l(execute(Cmd.of(codec(), "LPUSH").key(key).values(values).build(Replies::integerOrNull)));
    }

    @SuppressWarnings("unchecked")
    default long rpush(K key, V... values) {
        return l(execute(Cmd.of(codec(), "RPUSH").key(key).values(values).build(Replies::integerOrNull)));
    }

    @SuppressWarnings("unchecked")
    default long lpushx(K key, V... values) {
        return l(execute(Cmd.of(codec(), "LPUSHX").key(key).values(values).build(Replies::integerOrNull)));
    }

    @SuppressWarnings("unchecked")
    default long rpushx(K key, V... values) {
        return l(execute(Cmd.of(codec(), "RPUSHX").key(key).values(values).build(Replies::integerOrNull)));
    }

    /** LPOP, or null when empty. */
    default V lpop(K key) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "LPOP").key(key).buildValue());
    }

    /** LPOP of up to {@code count} elements; empty when the list is. */
    default List<V> lpop(K key, long count) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "LPOP").key(key).arg(count).build(r -> Replies.values(c, r)));
    }

    default V rpop(K key) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "RPOP").key(key).buildValue());
    }

    default List<V> rpop(K key, long count) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "RPOP").key(key).arg(count).build(r -> Replies.values(c, r)));
    }

    /** LRANGE, both ends inclusive, negative from the end ({@code 0, -1}: all). */
    default List<V> lrange(K key, long start, long stop) {
        RedisCodec<K, V> c = codec();
        return execute(
                Cmd.of(c, "LRANGE").key(key).arg(start).arg(stop).idempotent().build(r -> Replies.values(c, r)));
    }

    default long llen(K key) {
        return l(execute(Cmd.of(codec(), "LLEN").key(key).idempotent().build(Replies::integerOrNull)));
    }

    default V lindex(K key, long index) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "LINDEX").key(key).arg(index).idempotent().buildValue());
    }

    default void lset(K key, long index, V value) {
        execute(Cmd.of(codec(), "LSET").key(key).arg(index).value(value).build(Replies::string));
    }

    /** LINSERT before or after {@code pivot}: the new length, -1 without pivot, 0 without key. */
    default long linsert(K key, boolean before, V pivot, V value) {
        return l(execute(Cmd.of(codec(), "LINSERT")
                .key(key)
                .arg(before ? "BEFORE" : "AFTER")
                .value(pivot)
                .value(value)
                .build(Replies::integerOrNull)));
    }

    /** LREM: removes {@code count} occurrences (from the tail if negative, all if 0). */
    default long lrem(K key, long count, V value) {
        return l(
                execute(Cmd.of(codec(), "LREM").key(key).arg(count).value(value).build(Replies::integerOrNull)));
    }

    default void ltrim(K key, long start, long stop) {
        execute(Cmd.of(codec(), "LTRIM").key(key).arg(start).arg(stop).build(Replies::string));
    }

    /** LMOVE: pops from one end of {@code source}, pushes to an end of {@code destination}; null if empty. */
    default V lmove(K source, K destination, Direction from, Direction to) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "LMOVE")
                .key(source)
                .key(destination)
                .arg(from.name())
                .arg(to.name())
                .buildValue());
    }

    /** LPOS: the index of the first match, or null. */
    default Long lpos(K key, V value) {
        return execute(
                Cmd.of(codec(), "LPOS").key(key).value(value).idempotent().build(Replies::integerOrNull));
    }

    /**
     * LPOS with RANK (which match to start from, negative from the tail; 0 for the default), COUNT (0: all) and
     * MAXLEN (0: no limit): the indexes of the matches.
     */
    default List<Long> lpos(K key, V value, long rank, long count, long maxlen) {
        return execute(Cmd.of(codec(), "LPOS")
                .key(key)
                .value(value)
                .when(rank != 0, "RANK", rank)
                .arg("COUNT")
                .arg(count)
                .when(maxlen != 0, "MAXLEN", maxlen)
                .idempotent()
                .build(Replies::integers));
    }

    /** BLPOP: the first element of the first non-empty list, or null after {@code timeout}. */
    @SuppressWarnings("unchecked")
    default KeyValue<K, V> blpop(Duration timeout, K... keys) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "BLPOP")
                .keys(keys)
                .arg(Cmd.seconds(timeout))
                .blocking()
                .build(r -> Replies.keyValue(c, r)));
    }

    @SuppressWarnings("unchecked")
    default KeyValue<K, V> brpop(Duration timeout, K... keys) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "BRPOP")
                .keys(keys)
                .arg(Cmd.seconds(timeout))
                .blocking()
                .build(r -> Replies.keyValue(c, r)));
    }

    /** BLMOVE: LMOVE that waits up to {@code timeout} for an element; null after it. */
    default V blmove(K source, K destination, Direction from, Direction to, Duration timeout) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "BLMOVE")
                .key(source)
                .key(destination)
                .arg(from.name())
                .arg(to.name())
                .arg(Cmd.seconds(timeout))
                .blocking()
                .buildValue());
    }
}
