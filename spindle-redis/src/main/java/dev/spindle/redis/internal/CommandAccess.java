package dev.spindle.redis.internal;

import dev.spindle.redis.RedisCommand;

/**
 * What a connection reads of a {@link RedisCommand} beyond its public API: the argument array itself (encoded with no
 * list view around it) and whether a bulk reply may be handed over as text. {@link RedisCommand} installs the one
 * {@link Reader} when its class initializes, which is before any command exists to be sent. Not for users.
 */
public final class CommandAccess {
    /** The reader {@link RedisCommand} installs. */
    public interface Reader {
        /** The arguments, name first; the array itself, not to be changed. */
        Object[] args(RedisCommand<?> command);

        /**
         * Whether the command's decoder treats a bulk reply given as a UTF-8 {@link String} as it treats the same
         * reply as bytes, so the reader may decode it straight from its buffer (see
         * {@link dev.spindle.redis.internal.resp.RespParser#next(boolean)}).
         */
        boolean textReply(RedisCommand<?> command);
    }

    private static Reader reader;

    private CommandAccess() {}

    /**
     * Called once, by {@link RedisCommand}'s static initializer.
     *
     * @throws IllegalStateException if a reader is installed already
     */
    public static synchronized void install(Reader r) {
        if (reader != null) {
            throw new IllegalStateException("RedisCommand's reader is installed already");
        }
        reader = r;
    }

    static Object[] args(RedisCommand<?> command) {
        return reader.args(command);
    }

    static boolean textReply(RedisCommand<?> command) {
        return reader.textReply(command);
    }
}
