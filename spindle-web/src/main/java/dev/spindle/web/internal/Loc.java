package dev.spindle.web.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where a value sits in the request ({@code ["body", "items", 0, "name"]}), as a chain of keys built only by
 * appending: cheap to extend while binding, turned into a list only when an error is reported.
 */
public final class Loc {
    private final Loc parent;
    private final Object key;
    private final int depth;

    private Loc(Loc parent, Object key) {
        this.parent = parent;
        this.key = key;
        this.depth = parent == null ? 1 : parent.depth + 1;
    }

    public static Loc of(String source) {
        return new Loc(null, source);
    }

    public Loc with(Object key) {
        return new Loc(this, key);
    }

    public List<Object> toList() {
        Object[] keys = new Object[depth];
        Loc l = this;
        for (int i = depth - 1; i >= 0; i--, l = l.parent) {
            keys[i] = l.key;
        }
        List<Object> out = new ArrayList<>(depth);
        Collections.addAll(out, keys);
        return out;
    }

    @Override
    public String toString() {
        return toList().toString();
    }
}
