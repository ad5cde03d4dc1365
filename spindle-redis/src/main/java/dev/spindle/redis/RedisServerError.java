package dev.spindle.redis;

/**
 * The server answered a command with an error reply ({@code -ERR ...}, {@code -WRONGTYPE ...}). Only that command
 * failed; the connection is fine.
 *
 * {@snippet :
 * try {
 *     redis.incr("name");
 * } catch (RedisServerError e) {
 *     if (e.code().equals("ERR")) ... // "ERR value is not an integer or out of range"
 * }
 * }
 */
public class RedisServerError extends RedisException {
    private final String code;

    public RedisServerError(String message) {
        super(message);
        int sp = message.indexOf(' ');
        this.code = sp < 0 ? message : message.substring(0, sp);
    }

    /** The error's first word: {@code ERR}, {@code WRONGTYPE}, {@code NOSCRIPT}, {@code NOAUTH}... */
    public String code() {
        return code;
    }
}
