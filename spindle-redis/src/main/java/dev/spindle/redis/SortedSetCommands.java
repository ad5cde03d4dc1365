package dev.spindle.redis;

import static dev.spindle.redis.Unbox.l;

import java.time.Duration;
import java.util.List;

/**
 * Sorted-set commands. Score bounds are Redis's own text: {@code "1.5"}, {@code "(1.5"} (exclusive), {@code "-inf"},
 * {@code "+inf"}; lexicographic bounds {@code "[a"}, {@code "(a"}, {@code "-"}, {@code "+"}. Members with scores come
 * as {@link ScoredValue}s.
 *
 * {@snippet :
 * redis.zadd("board", 42, "ada");
 * redis.zadd("board", ZAddArgs.NONE.gt(), ScoredValue.of(50, "ada"), ScoredValue.of(7, "bob"));
 * List<ScoredValue<String>> top = redis.zrangeWithScores("board", 0, 9, true); // highest first
 * }
 */
public interface SortedSetCommands<K, V> extends BaseCommands<K, V> {

    /** ZADD of one member: 1 if added. */
    default long zadd(K key, double score, V member) {
        return l(execute(
                Cmd.of(codec(), "ZADD").key(key).arg(score).value(member).build(Replies::integerOrNull)));
    }

    /** ZADD with flags: how many were added (or changed, with CH). */
    @SuppressWarnings("unchecked")
    default long zadd(K key, ZAddArgs args, ScoredValue<V>... members) {
        if (members.length == 0) {
            throw new IllegalArgumentException("ZADD needs at least one member");
        }
        Cmd<K, V> cmd = Cmd.of(codec(), "ZADD").key(key).args(args.args().toArray());
        for (ScoredValue<V> m : members) {
            cmd.arg(m.score()).value(m.value());
        }
        return l(execute(cmd.build(Replies::integerOrNull)));
    }

    /** ZADD ... INCR: the member's new score, or null if a flag stopped it. */
    default Double zaddIncr(K key, ZAddArgs args, double increment, V member) {
        return execute(Cmd.of(codec(), "ZADD")
                .key(key)
                .args(args.args().toArray())
                .arg("INCR")
                .arg(increment)
                .value(member)
                .build(Replies::dbl));
    }

    default double zincrby(K key, double increment, V member) {
        return Unbox.d(execute(
                Cmd.of(codec(), "ZINCRBY").key(key).arg(increment).value(member).build(Replies::dbl)));
    }

    @SuppressWarnings("unchecked")
    default long zrem(K key, V... members) {
        return l(execute(Cmd.of(codec(), "ZREM").key(key).values(members).build(Replies::integerOrNull)));
    }

    /** ZSCORE, or null. */
    default Double zscore(K key, V member) {
        return execute(
                Cmd.of(codec(), "ZSCORE").key(key).value(member).idempotent().build(Replies::dbl));
    }

    @SuppressWarnings("unchecked")
    default List<Double> zmscore(K key, V... members) {
        return execute(
                Cmd.of(codec(), "ZMSCORE").key(key).values(members).idempotent().build(Replies::doubles));
    }

    default long zcard(K key) {
        return l(execute(Cmd.of(codec(), "ZCARD").key(key).idempotent().build(Replies::integerOrNull)));
    }

    default long zcount(K key, String min, String max) {
        return l(execute(Cmd.of(codec(), "ZCOUNT")
                .key(key)
                .arg(min)
                .arg(max)
                .idempotent()
                .build(Replies::integerOrNull)));
    }

    default long zlexcount(K key, String min, String max) {
        return l(execute(Cmd.of(codec(), "ZLEXCOUNT")
                .key(key)
                .arg(min)
                .arg(max)
                .idempotent()
                .build(Replies::integerOrNull)));
    }

    /** ZRANK, or null. */
    default Long zrank(K key, V member) {
        return execute(
                Cmd.of(codec(), "ZRANK").key(key).value(member).idempotent().build(Replies::integerOrNull));
    }

    default Long zrevrank(K key, V member) {
        return execute(
                Cmd.of(codec(), "ZREVRANK").key(key).value(member).idempotent().build(Replies::integerOrNull));
    }

    /** ZRANGE by rank, lowest score first. */
    default List<V> zrange(K key, long start, long stop) {
        return zrange(key, start, stop, false);
    }

    /** ZRANGE by rank; {@code rev}: highest score first. */
    default List<V> zrange(K key, long start, long stop, boolean rev) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "ZRANGE")
                .key(key)
                .arg(start)
                .arg(stop)
                .when(rev, "REV")
                .idempotent()
                .build(r -> Replies.values(c, r)));
    }

    default List<ScoredValue<V>> zrangeWithScores(K key, long start, long stop) {
        return zrangeWithScores(key, start, stop, false);
    }

    default List<ScoredValue<V>> zrangeWithScores(K key, long start, long stop, boolean rev) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "ZRANGE")
                .key(key)
                .arg(start)
                .arg(stop)
                .when(rev, "REV")
                .arg("WITHSCORES")
                .idempotent()
                .build(r -> Replies.scored(c, r)));
    }

    /** ZRANGE ... BYSCORE, from {@code min} to {@code max}. */
    default List<V> zrangeByScore(K key, String min, String max) {
        return zrangeByScore(key, min, max, 0, -1);
    }

    /** ZRANGE ... BYSCORE LIMIT offset count ({@code count} -1: all). */
    default List<V> zrangeByScore(K key, String min, String max, long offset, long count) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "ZRANGE")
                .key(key)
                .arg(min)
                .arg(max)
                .arg("BYSCORE")
                .when(offset != 0 || count != -1, "LIMIT", offset, count)
                .idempotent()
                .build(r -> Replies.values(c, r)));
    }

    default List<ScoredValue<V>> zrangeByScoreWithScores(K key, String min, String max) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "ZRANGE")
                .key(key)
                .arg(min)
                .arg(max)
                .arg("BYSCORE")
                .arg("WITHSCORES")
                .idempotent()
                .build(r -> Replies.scored(c, r)));
    }

    /** ZRANGE ... BYLEX, for members of equal score ordered by their bytes. */
    default List<V> zrangeByLex(K key, String min, String max) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "ZRANGE")
                .key(key)
                .arg(min)
                .arg(max)
                .arg("BYLEX")
                .idempotent()
                .build(r -> Replies.values(c, r)));
    }

    default long zremrangebyrank(K key, long start, long stop) {
        return l(execute(
                Cmd.of(codec(), "ZREMRANGEBYRANK").key(key).arg(start).arg(stop).build(Replies::integerOrNull)));
    }

    default long zremrangebyscore(K key, String min, String max) {
        return l(execute(
                Cmd.of(codec(), "ZREMRANGEBYSCORE").key(key).arg(min).arg(max).build(Replies::integerOrNull)));
    }

    /** ZPOPMIN of one: the member with the lowest score, or null. */
    default ScoredValue<V> zpopmin(K key) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "ZPOPMIN").key(key).build(r -> Replies.scoredOne(c, r)));
    }

    default List<ScoredValue<V>> zpopmin(K key, long count) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "ZPOPMIN").key(key).arg(count).build(r -> Replies.scored(c, r)));
    }

    default ScoredValue<V> zpopmax(K key) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "ZPOPMAX").key(key).build(r -> Replies.scoredOne(c, r)));
    }

    default List<ScoredValue<V>> zpopmax(K key, long count) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "ZPOPMAX").key(key).arg(count).build(r -> Replies.scored(c, r)));
    }

    /** BZPOPMIN: waits up to {@code timeout} (on a connection of its own) for a member; null after it. */
    @SuppressWarnings("unchecked")
    default KeyValue<K, ScoredValue<V>> bzpopmin(Duration timeout, K... keys) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "BZPOPMIN")
                .keys(keys)
                .arg(Cmd.seconds(timeout))
                .blocking()
                .build(r -> bzpop(c, r)));
    }

    @SuppressWarnings("unchecked")
    default KeyValue<K, ScoredValue<V>> bzpopmax(Duration timeout, K... keys) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "BZPOPMAX")
                .keys(keys)
                .arg(Cmd.seconds(timeout))
                .blocking()
                .build(r -> bzpop(c, r)));
    }

    private static <K, V> KeyValue<K, ScoredValue<V>> bzpop(RedisCodec<K, V> c, Object r) {
        if (r == null) {
            return null;
        }
        List<?> l = Replies.list(r);
        return new KeyValue<>(
                Replies.key(c, l.get(0)), new ScoredValue<>(Replies.value(c, l.get(1)), Replies.dbl(l.get(2))));
    }

    default List<V> zrandmember(K key, long count) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "ZRANDMEMBER").key(key).arg(count).build(r -> Replies.values(c, r)));
    }

    @SuppressWarnings("unchecked")
    default long zunionstore(K destination, K... keys) {
        return l(execute(Cmd.of(codec(), "ZUNIONSTORE")
                .key(destination)
                .arg((long) keys.length)
                .keys(keys)
                .build(Replies::integerOrNull)));
    }

    @SuppressWarnings("unchecked")
    default long zinterstore(K destination, K... keys) {
        return l(execute(Cmd.of(codec(), "ZINTERSTORE")
                .key(destination)
                .arg((long) keys.length)
                .keys(keys)
                .build(Replies::integerOrNull)));
    }

    /** ZSCAN as a for-each iterator over members with scores. */
    default Iterable<ScoredValue<V>> zscan(K key, ScanArgs args) {
        RedisCodec<K, V> c = codec();
        List<Object> opts = args.args(false);
        return new Scan<>(
                cursor -> execute(Cmd.of(c, "ZSCAN")
                        .key(key)
                        .arg(cursor)
                        .args(opts.toArray())
                        .idempotent()
                        .build(Replies::list)),
                items -> Replies.scored(c, items));
    }
}
