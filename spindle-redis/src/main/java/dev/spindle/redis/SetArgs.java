package dev.spindle.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of SET: expiry ({@code EX}, {@code PX}, {@code EXAT}, {@code PXAT}, {@code KEEPTTL}) and condition
 * ({@code NX}, {@code XX}). Immutable: each method returns a changed copy. (For {@code GET}, use
 * {@link StringCommands#setGet}.)
 *
 * {@snippet :
 * boolean locked = redis.set("lock", token, SetArgs.NONE.nx().ex(Duration.ofSeconds(30)));
 * }
 */
public final class SetArgs {
    /** No options. */
    public static final SetArgs NONE = new SetArgs(null, null, false, null);

    private final String expiryKind;
    private final Long expiry;
    private final boolean keepTtl;
    private final String condition;

    private SetArgs(String expiryKind, Long expiry, boolean keepTtl, String condition) {
        this.expiryKind = expiryKind;
        this.expiry = expiry;
        this.keepTtl = keepTtl;
        this.condition = condition;
    }

    /** Expire after {@code ttl}: {@code EX} in whole seconds, or {@code PX} when it has a fraction of a second. */
    public SetArgs ex(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("SET expiry must be positive: " + ttl);
        }
        return ttl.toMillis() % 1000 == 0
                ? new SetArgs("EX", ttl.toSeconds(), false, condition)
                : new SetArgs("PX", ttl.toMillis(), false, condition);
    }

    /** Expire at {@code when} ({@code PXAT}). */
    public SetArgs exAt(Instant when) {
        return new SetArgs("PXAT", when.toEpochMilli(), false, condition);
    }

    /** Keep the key's current time to live ({@code KEEPTTL}). */
    public SetArgs keepTtl() {
        return new SetArgs(null, null, true, condition);
    }

    /** Only if the key does not exist ({@code NX}). */
    public SetArgs nx() {
        return new SetArgs(expiryKind, expiry, keepTtl, "NX");
    }

    /** Only if the key exists ({@code XX}). */
    public SetArgs xx() {
        return new SetArgs(expiryKind, expiry, keepTtl, "XX");
    }

    List<Object> args() {
        List<Object> a = new ArrayList<>(3);
        if (expiryKind != null) {
            a.add(expiryKind);
            a.add(expiry);
        }
        if (keepTtl) {
            a.add("KEEPTTL");
        }
        if (condition != null) {
            a.add(condition);
        }
        return a;
    }

    @Override
    public String toString() {
        return "SetArgs" + args();
    }
}
