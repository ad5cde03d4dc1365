package dev.spindle.redis;

import static dev.spindle.redis.Unbox.b;
import static dev.spindle.redis.Unbox.l;

import java.util.List;

/**
 * Bitmap commands on string values.
 *
 * {@snippet :
 * redis.setbit("online", 42, true);
 * long n = redis.bitcount("online");
 * }
 */
public interface BitmapCommands<K, V> extends BaseCommands<K, V> {

    /** SETBIT: the bit's previous value. */
    default boolean setbit(K key, long offset, boolean value) {
        return b(execute(Cmd.of(codec(), "SETBIT")
                .key(key)
                .arg(offset)
                .arg(value ? 1L : 0L)
                .build(Replies::bool)));
    }

    default boolean getbit(K key, long offset) {
        return b(execute(
                Cmd.of(codec(), "GETBIT").key(key).arg(offset).idempotent().build(Replies::bool)));
    }

    default long bitcount(K key) {
        return l(execute(Cmd.of(codec(), "BITCOUNT").key(key).idempotent().build(Replies::integerOrNull)));
    }

    /** BITCOUNT between two offsets, in bytes or (if {@code bits}) in bits. */
    default long bitcount(K key, long start, long end, boolean bits) {
        return l(execute(Cmd.of(codec(), "BITCOUNT")
                .key(key)
                .arg(start)
                .arg(end)
                .arg(bits ? "BIT" : "BYTE")
                .idempotent()
                .build(Replies::integerOrNull)));
    }

    /** BITPOS: the first bit set to {@code bit}, or -1. */
    default long bitpos(K key, boolean bit) {
        return l(execute(Cmd.of(codec(), "BITPOS")
                .key(key)
                .arg(bit ? 1L : 0L)
                .idempotent()
                .build(Replies::integerOrNull)));
    }

    /** BITOP AND, OR, XOR or NOT into {@code destination}: the result's length. */
    @SuppressWarnings("unchecked")
    default long bitop(String operation, K destination, K... keys) {
        return l(execute(Cmd.of(codec(), "BITOP")
                .arg(operation)
                .key(destination)
                .keys(keys)
                .build(Replies::integerOrNull)));
    }

    /**
     * BITFIELD with its sub-commands as given ({@code "GET", "u8", 0, "INCRBY", "i5", 100, 1}): one result per
     * GET, SET or INCRBY (null where OVERFLOW FAIL stopped it).
     */
    default List<Long> bitfield(K key, Object... subcommands) {
        return execute(Cmd.of(codec(), "BITFIELD").key(key).args(subcommands).build(Replies::integers));
    }
}
