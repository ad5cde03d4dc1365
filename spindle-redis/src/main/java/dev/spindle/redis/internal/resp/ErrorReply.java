package dev.spindle.redis.internal.resp;

/**
 * An error reply ({@code -ERR ...} or a RESP3 blob error) as a value: the command layer turns it into a
 * {@link dev.spindle.redis.RedisServerError} for its caller, or keeps it as one element of a transaction's results.
 *
 * @param message the whole text, code first ({@code "WRONGTYPE Operation against a key..."})
 */
public record ErrorReply(String message) {
    /** The first word: {@code ERR}, {@code WRONGTYPE}, {@code MOVED}, {@code NOSCRIPT}... */
    public String code() {
        int sp = message.indexOf(' ');
        return sp < 0 ? message : message.substring(0, sp);
    }
}
