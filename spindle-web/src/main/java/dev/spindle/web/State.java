package dev.spindle.web;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named values shared by an app's code (Starlette's {@code app.state} and {@code request.state}): the app's state
 * lives as long as the app (set it in the lifespan); a request's state lives for the request and falls back to the
 * app's on reads.
 *
 * {@snippet :
 * app.lifespan(a -> {
 *     a.state().put("db", Database.connect(url));
 *     return () -> a.state().get("db", Database.class).close();
 * });
 * }
 *
 * <p>Thread-safe.
 */
public final class State {
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final State parent;

    public State() {
        this(null);
    }

    /** A state whose reads fall back to {@code parent}'s. */
    public State(State parent) {
        this.parent = parent;
    }

    /** Sets {@code key} (a {@code null} value removes it). */
    public State put(String key, Object value) {
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
        return this;
    }

    /** The value of {@code key}, or empty. */
    public Optional<Object> get(String key) {
        Object v = values.get(key);
        if (v == null && parent != null) {
            return parent.get(key);
        }
        return Optional.ofNullable(v);
    }

    /**
     * The value of {@code key} as {@code type}.
     *
     * @throws java.util.NoSuchElementException if absent
     * @throws ClassCastException if of another type
     */
    public <T> T get(String key, Class<T> type) {
        return type.cast(get(key).orElseThrow(() -> new java.util.NoSuchElementException("no state \"" + key + "\"")));
    }

    public boolean contains(String key) {
        return get(key).isPresent();
    }

    @Override
    public String toString() {
        return "State" + values.keySet();
    }
}
