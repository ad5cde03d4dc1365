package dev.spindle.task;

import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A variable whose value belongs to the current task (Python's {@code contextvars.ContextVar}): what one task sets,
 * its siblings do not see; a task starts with the values its creator had when it spawned it.
 *
 * {@snippet :
 * static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id", "-");
 *
 * REQUEST_ID.set("r-42");
 * Task<String> t = spawn(() -> REQUEST_ID.get()); // sees "r-42"
 * ContextVar.Token token = REQUEST_ID.set("r-43"); // t still sees "r-42"
 * REQUEST_ID.reset(token);                          // back to "r-42"
 * }
 *
 * <p>Outside tasks (a plain thread) the value belongs to the thread. Thread-safe.
 *
 * @param <T> the type of the value
 */
public final class ContextVar<T> {
    private static final Object NO_DEFAULT = new Object();
    private static final Object MISSING = new Object();

    private final String name;
    private final Object defaultValue;

    /** A variable with no default: {@link #get()} fails until it is set. */
    public ContextVar(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = NO_DEFAULT;
    }

    /** A variable whose {@link #get()} returns {@code defaultValue} until it is set. */
    public ContextVar(String name, T defaultValue) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = defaultValue;
    }

    public String name() {
        return name;
    }

    /**
     * The value in the current context.
     *
     * @throws NoSuchElementException if it was never set here and has no default
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Object v = Context.current().get(this, MISSING);
        if (v == MISSING) {
            if (defaultValue == NO_DEFAULT) {
                throw new NoSuchElementException("context variable '" + name + "' is not set in this context");
            }
            return (T) defaultValue;
        }
        return (T) v;
    }

    /** The value in the current context, or {@code fallback} if it was never set here. */
    @SuppressWarnings("unchecked")
    public T getOrElse(T fallback) {
        Object v = Context.current().get(this, MISSING);
        return v == MISSING ? fallback : (T) v;
    }

    /** Sets the value in the current context; the token undoes it with {@link #reset(Token)}. */
    public Token set(T value) {
        Context before = Context.current();
        Object old = before.get(this, MISSING);
        Context.setCurrent(before.with(this, value));
        return new Token(this, old);
    }

    /**
     * Restores the value this variable had before the {@link #set} that returned {@code token}.
     *
     * @throws IllegalArgumentException if the token belongs to another variable or was used already
     */
    public void reset(Token token) {
        if (token.variable != this) {
            throw new IllegalArgumentException(
                    "token of context variable '" + token.variable.name + "' cannot reset '" + name + "'");
        }
        if (token.used) {
            throw new IllegalArgumentException("token of context variable '" + name + "' was already used");
        }
        token.used = true;
        Context now = Context.current();
        Context.setCurrent(token.oldValue == MISSING ? now.without(this) : now.with(this, token.oldValue));
    }

    @Override
    public String toString() {
        return "ContextVar[" + name + "]";
    }

    /** Undoes one {@link ContextVar#set}. Usable once. */
    public static final class Token {
        private final ContextVar<?> variable;
        private final Object oldValue;
        private boolean used;

        private Token(ContextVar<?> variable, Object oldValue) {
            this.variable = variable;
            this.oldValue = oldValue;
        }

        public ContextVar<?> variable() {
            return variable;
        }
    }
}
