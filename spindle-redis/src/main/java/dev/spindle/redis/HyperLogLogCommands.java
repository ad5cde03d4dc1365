package dev.spindle.redis;

import static dev.spindle.redis.Unbox.b;
import static dev.spindle.redis.Unbox.l;

/**
 * HyperLogLog: approximate distinct counts in 12 KB per key.
 *
 * {@snippet :
 * redis.pfadd("visitors:today", "ada", "bob", "ada");
 * long about = redis.pfcount("visitors:today"); // 2
 * }
 */
public interface HyperLogLogCommands<K, V> extends BaseCommands<K, V> {

    /** PFADD: true if the estimate changed. */
    @SuppressWarnings("unchecked")
    default boolean pfadd(K key, V... elements) {
        return b(execute(Cmd.of(codec(), "PFADD").key(key).values(elements).build(Replies::bool)));
    }

    /** PFCOUNT: the estimated number of distinct elements of the union of the keys. */
    @SuppressWarnings("unchecked")
    default long pfcount(K... keys) {
        return l(execute(Cmd.of(codec(), "PFCOUNT").keys(keys).build(Replies::integerOrNull)));
    }

    @SuppressWarnings("unchecked")
    default void pfmerge(K destination, K... sources) {
        execute(Cmd.of(codec(), "PFMERGE").key(destination).keys(sources).build(Replies::string));
    }
}
