package dev.spindle.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * The options of SCAN and its kin: {@code MATCH} pattern, {@code COUNT} hint, and (SCAN only) {@code TYPE}. Immutable.
 *
 * {@snippet :
 * for (String key : redis.scan(ScanArgs.NONE.match("user:*").count(500))) { ... }
 * }
 */
public final class ScanArgs {
    public static final ScanArgs NONE = new ScanArgs(null, 0, null);

    private final String match;
    private final long count;
    private final String type;

    private ScanArgs(String match, long count, String type) {
        this.match = match;
        this.count = count;
        this.type = type;
    }

    public ScanArgs match(String pattern) {
        return new ScanArgs(pattern, count, type);
    }

    public ScanArgs count(long hint) {
        if (hint <= 0) {
            throw new IllegalArgumentException("COUNT must be positive: " + hint);
        }
        return new ScanArgs(match, hint, type);
    }

    /** Only keys of this type ({@code string}, {@code hash}...); SCAN only. */
    public ScanArgs type(String type) {
        return new ScanArgs(match, count, type);
    }

    List<Object> args(boolean allowType) {
        List<Object> a = new ArrayList<>(6);
        if (match != null) {
            a.add("MATCH");
            a.add(match);
        }
        if (count > 0) {
            a.add("COUNT");
            a.add(count);
        }
        if (type != null) {
            if (!allowType) {
                throw new IllegalArgumentException("TYPE is an option of SCAN only");
            }
            a.add("TYPE");
            a.add(type);
        }
        return a;
    }
}
