package dev.spindle.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * The flags of ZADD: {@code NX}/{@code XX} (add only / update only), {@code GT}/{@code LT} (update only to a
 * greater / lesser score), {@code CH} (count changed members, not only added ones). Immutable.
 *
 * {@snippet :
 * long changed = redis.zadd("board", ZAddArgs.NONE.gt().ch(), ScoredValue.of(42, "ada"));
 * }
 */
public final class ZAddArgs {
    public static final ZAddArgs NONE = new ZAddArgs(null, null, false);

    private final String exists;
    private final String compare;
    private final boolean ch;

    private ZAddArgs(String exists, String compare, boolean ch) {
        this.exists = exists;
        this.compare = compare;
        this.ch = ch;
    }

    public ZAddArgs nx() {
        return new ZAddArgs("NX", compare, ch);
    }

    public ZAddArgs xx() {
        return new ZAddArgs("XX", compare, ch);
    }

    public ZAddArgs gt() {
        return new ZAddArgs(exists, "GT", ch);
    }

    public ZAddArgs lt() {
        return new ZAddArgs(exists, "LT", ch);
    }

    public ZAddArgs ch() {
        return new ZAddArgs(exists, compare, true);
    }

    List<Object> args() {
        List<Object> a = new ArrayList<>(3);
        if (exists != null) {
            a.add(exists);
        }
        if (compare != null) {
            a.add(compare);
        }
        if (ch) {
            a.add("CH");
        }
        return a;
    }

    @Override
    public String toString() {
        return "ZAddArgs" + args();
    }
}
