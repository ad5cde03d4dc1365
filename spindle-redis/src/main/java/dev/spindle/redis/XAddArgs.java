package dev.spindle.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * The options of XADD: the entry's id ({@code *} by default), {@code NOMKSTREAM}, and trimming by {@code MAXLEN} or
 * {@code MINID}, exact ({@code =}) or approximate ({@code ~}, the efficient default for trimming on every add),
 * with an optional {@code LIMIT}. Immutable.
 *
 * {@snippet :
 * redis.xadd("events", XAddArgs.NONE.maxlen(10_000), Map.of("type", "login"));
 * }
 */
public final class XAddArgs {
    public static final XAddArgs NONE = new XAddArgs("*", false, null, null, true, 0);

    private final String id;
    private final boolean noMkStream;
    private final String trimKind;
    private final String threshold;
    private final boolean approximate;
    private final long limit;

    private XAddArgs(
            String id, boolean noMkStream, String trimKind, String threshold, boolean approximate, long limit) {
        this.id = id;
        this.noMkStream = noMkStream;
        this.trimKind = trimKind;
        this.threshold = threshold;
        this.approximate = approximate;
        this.limit = limit;
    }

    public XAddArgs id(String id) {
        return new XAddArgs(id, noMkStream, trimKind, threshold, approximate, limit);
    }

    public XAddArgs noMkStream() {
        return new XAddArgs(id, true, trimKind, threshold, approximate, limit);
    }

    /** Trim to about {@code n} entries ({@code MAXLEN ~ n}). */
    public XAddArgs maxlen(long n) {
        return new XAddArgs(id, noMkStream, "MAXLEN", Long.toString(n), true, limit);
    }

    /** Trim entries older than {@code minId} ({@code MINID ~ id}). */
    public XAddArgs minid(String minId) {
        return new XAddArgs(id, noMkStream, "MINID", minId, true, limit);
    }

    /** Trim exactly ({@code =}) rather than approximately. */
    public XAddArgs exact() {
        return new XAddArgs(id, noMkStream, trimKind, threshold, false, 0);
    }

    /** At most {@code n} entries evicted per call (approximate trimming only). */
    public XAddArgs limit(long n) {
        return new XAddArgs(id, noMkStream, trimKind, threshold, true, n);
    }

    List<Object> args() {
        List<Object> a = new ArrayList<>(7);
        if (noMkStream) {
            a.add("NOMKSTREAM");
        }
        trimArgs(a);
        a.add(id);
        return a;
    }

    void trimArgs(List<Object> a) {
        if (trimKind != null) {
            a.add(trimKind);
            a.add(approximate ? "~" : "=");
            a.add(threshold);
            if (limit > 0) {
                a.add("LIMIT");
                a.add(limit);
            }
        }
    }

    boolean trims() {
        return trimKind != null;
    }

    @Override
    public String toString() {
        return "XAddArgs" + args();
    }
}
