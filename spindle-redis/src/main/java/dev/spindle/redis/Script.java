package dev.spindle.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Lua script known by its SHA1, run with {@link ScriptingCommands#evalsha(Script, java.util.List,
 * java.util.List)}: EVALSHA first, and on NOSCRIPT (a server restarted, flushed, or a new replica) EVAL, which loads
 * it again, so the caller never sees NOSCRIPT. Immutable, thread-safe.
 *
 * {@snippet :
 * static final Script LIMIT = Script.of("""
 *         local n = redis.call('INCR', KEYS[1])
 *         if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
 *         return n""");
 * long hits = (Long) redis.evalsha(LIMIT, List.of("rate:ada"), List.of("60"));
 * }
 */
public record Script(String source, String sha1) {
    public Script {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sha1, "sha1");
    }

    public static Script of(String source) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            return new Script(source, HexFormat.of().formatHex(d));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-1 in this JDK", e);
        }
    }
}
