package dev.spindle.redis;

/**
 * A sorted-set member with its score (ZRANGE ... WITHSCORES, ZPOPMIN...).
 *
 * {@snippet :
 * for (ScoredValue<String> s : redis.zrangeWithScores("board", 0, 9)) {
 *     System.out.println(s.value() + " " + s.score());
 * }
 * }
 */
public record ScoredValue<V>(V value, double score) {
    public static <V> ScoredValue<V> of(double score, V value) {
        return new ScoredValue<>(value, score);
    }
}
