package dev.spindle.http;

import dev.spindle.http.internal.Tokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * HTTP header fields: names compared without regard to ASCII case, repeated fields kept, in the order they came or
 * were added. A request's headers are a read-only view; a response's are mutable until its head is sent.
 *
 * {@snippet :
 * Headers h = new Headers();
 * h.add("Set-Cookie", "a=1").add("Set-Cookie", "b=2").set("Content-Type", "text/plain");
 * h.get("content-type");     // "text/plain"
 * h.getAll("set-cookie");    // ["a=1", "b=2"]
 * Headers view = h.readOnly(); // sees later changes, refuses its own
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Storage.</b> Two parallel arrays searched linearly: a request has a dozen fields, where a linear scan
 *       beats hashing and allocates nothing. {@link #get} returns the first value; {@link #getAll} every value of the
 *       name in order (the caller combines comma-separated values if the field allows it, RFC 9110 §5.3).
 *   <li><b>Validation.</b> {@link #add} and {@link #set} refuse names that are not RFC 9110 tokens and values with CR,
 *       LF or NUL, with {@link IllegalArgumentException}: a response header can never split the response.
 *   <li><b>Threads.</b> Not thread-safe; a request's and a response's headers belong to the coroutine serving them.
 * </ul>
 */
public final class Headers {
    private static final String[] EMPTY = new String[0];

    /** Where the fields live: shared between a mutable {@code Headers} and its read-only views. */
    private final Store store;

    private final boolean readOnly;

    private static final class Store {
        String[] names;
        String[] values;
        int size;

        Store(int capacity) {
            names = capacity == 0 ? EMPTY : new String[capacity];
            values = capacity == 0 ? EMPTY : new String[capacity];
        }
    }

    /** An empty, mutable set of fields. */
    public Headers() {
        this(new Store(0), false);
    }

    private Headers(Store store, boolean readOnly) {
        this.store = store;
        this.readOnly = readOnly;
    }

    /**
     * Mutable fields from alternating names and values: {@code Headers.of("Content-Type", "text/plain", "X-A", "1")}.
     *
     * @throws IllegalArgumentException for an odd count, a bad name or a bad value
     */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Headers.of takes names and values in pairs, got an odd count");
        }
        Headers h = new Headers(new Store(namesAndValues.length / 2), false);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            h.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return h;
    }

    static {
        // The parser's fast path: read-only fields over arrays it gives up, already validated, not copied.
        dev.spindle.http.internal.HeadersAccess.install((names, values, size) -> {
            Store s = new Store(0);
            s.names = names;
            s.values = values;
            s.size = size;
            return new Headers(s, true);
        });
    }

    /** The number of fields (a repeated name counts each time). */
    public int size() {
        return store.size;
    }

    public boolean isEmpty() {
        return store.size == 0;
    }

    /** The name of field {@code i}, as it was received or added. */
    public String name(int i) {
        Objects.checkIndex(i, store.size);
        return store.names[i];
    }

    /** The value of field {@code i}. */
    public String value(int i) {
        Objects.checkIndex(i, store.size);
        return store.values[i];
    }

    /** The first value of {@code name} (any case), or {@code null}. */
    public String get(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : store.values[i];
    }

    /** The first value of {@code name}, or {@code fallback}. */
    public String getOrDefault(String name, String fallback) {
        String v = get(name);
        return v == null ? fallback : v;
    }

    /** Every value of {@code name}, in order; an empty list if none. */
    public List<String> getAll(String name) {
        int i = indexOf(name, 0);
        if (i < 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>(2);
        for (; i >= 0; i = indexOf(name, i + 1)) {
            out.add(store.values[i]);
        }
        return Collections.unmodifiableList(out);
    }

    /** Whether a field named {@code name} is present. */
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /**
     * Whether some value of {@code name}, split at commas, equals {@code token} ignoring case and surrounding
     * whitespace: {@code containsToken("Connection", "close")}.
     */
    public boolean containsToken(String name, String token) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (Tokens.listContains(store.values[i], token)) {
                return true;
            }
        }
        return false;
    }

    /** Calls {@code action} with each name and value, in order. */
    public void forEach(BiConsumer<String, String> action) {
        Store s = store;
        for (int i = 0; i < s.size; i++) {
            action.accept(s.names[i], s.values[i]);
        }
    }

    /**
     * Appends a field, keeping those of the same name.
     *
     * @return this, for chaining
     * @throws UnsupportedOperationException on a read-only view
     * @throws IllegalArgumentException for a name that is not a token or a value with CR, LF or NUL
     */
    public Headers add(String name, String value) {
        checkWritable();
        checkName(name);
        checkValue(name, value);
        Store s = store;
        if (s.size == s.names.length) {
            int cap = Math.max(8, s.size * 2);
            s.names = Arrays.copyOf(s.names, cap);
            s.values = Arrays.copyOf(s.values, cap);
        }
        s.names[s.size] = name;
        s.values[s.size] = value;
        s.size++;
        return this;
    }

    /** Replaces every field named {@code name} with one; see {@link #add} for the errors. */
    public Headers set(String name, String value) {
        checkWritable();
        checkName(name);
        checkValue(name, value);
        int i = indexOf(name, 0);
        if (i < 0) {
            return add(name, value);
        }
        store.names[i] = name;
        store.values[i] = value;
        removeFrom(name, i + 1);
        return this;
    }

    /** Removes every field named {@code name}; returns whether there was one. */
    public boolean remove(String name) {
        checkWritable();
        int before = store.size;
        removeFrom(name, 0);
        return store.size != before;
    }

    /** Removes every field. */
    public void clear() {
        checkWritable();
        Arrays.fill(store.names, 0, store.size, null);
        Arrays.fill(store.values, 0, store.size, null);
        store.size = 0;
    }

    /** Whether this is a read-only view. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** A read-only view of these fields: it sees later changes made through this object, and refuses its own. */
    public Headers readOnly() {
        return readOnly ? this : new Headers(store, true);
    }

    /** A mutable copy, independent of this object. */
    public Headers copy() {
        Store s = new Store(store.size);
        System.arraycopy(store.names, 0, s.names, 0, store.size);
        System.arraycopy(store.values, 0, s.values, 0, store.size);
        s.size = store.size;
        return new Headers(s, false);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Headers[");
        for (int i = 0; i < store.size; i++) {
            b.append(i == 0 ? "" : ", ").append(store.names[i]).append(": ").append(store.values[i]);
        }
        return b.append(']').toString();
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private int indexOf(String name, int from) {
        Store s = store;
        int len = name.length();
        for (int i = from; i < s.size; i++) {
            String n = s.names[i];
            if (n.length() == len && n.equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private void removeFrom(String name, int from) {
        Store s = store;
        int w = from;
        for (int r = from; r < s.size; r++) {
            if (!(s.names[r].length() == name.length() && s.names[r].equalsIgnoreCase(name))) {
                s.names[w] = s.names[r];
                s.values[w] = s.values[r];
                w++;
            }
        }
        Arrays.fill(s.names, w, s.size, null);
        Arrays.fill(s.values, w, s.size, null);
        s.size = w;
    }

    private void checkWritable() {
        if (readOnly) {
            throw new UnsupportedOperationException("these headers are read-only");
        }
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a header name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Tokens.isTchar(name.charAt(i))) {
                throw new IllegalArgumentException(
                        "header name " + quote(name) + " has a character not allowed in a" + " token at index " + i);
            }
        }
    }

    private static void checkValue(String name, String value) {
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
                throw new IllegalArgumentException("the value of header " + name + " has a forbidden character "
                        + (c > 0xff ? "(not Latin-1)" : "(CR, LF or NUL)") + " at index " + i);
            }
        }
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c > 0x7e ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.append('"').toString();
    }
}
