package dev.spindle.task;

import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * A snapshot of {@link ContextVar} values (Python's {@code contextvars.Context}). Every task starts with the
 * context of the code that spawned it, and callbacks run in the context current where they were scheduled, so a
 * request id set before spawning is seen by the task but a value the task sets is not seen by its creator.
 *
 * {@snippet :
 * Context snapshot = Context.current();
 * REQUEST_ID.set("other");
 * snapshot.run(() -> System.out.println(REQUEST_ID.get())); // the value at snapshot time
 * }
 *
 * <p>Immutable and thread-safe: copying a context is copying the reference.
 */
public final class Context {
    static final Context EMPTY = new Context(new Object[0]);

    private static final ThreadLocal<Context> OF_THREAD = ThreadLocal.withInitial(() -> EMPTY);

    /** Variables at even indexes, their values at odd ones; contexts are small, so a flat array wins. */
    private final Object[] entries;

    private Context(Object[] entries) {
        this.entries = entries;
    }

    /** The context in force here: the current task's, or else the current thread's. */
    public static Context current() {
        Task<?> task = Task.currentOrNull();
        return task != null ? task.context : OF_THREAD.get();
    }

    static void setCurrent(Context context) {
        Task<?> task = Task.currentOrNull();
        if (task != null) {
            task.context = context;
        } else {
            OF_THREAD.set(context);
        }
    }

    /** Runs {@code action} with this context in force, then restores the previous one. */
    public void run(Runnable action) {
        Context previous = current();
        if (previous == this) {
            action.run();
            return;
        }
        setCurrent(this);
        try {
            action.run();
        } finally {
            setCurrent(previous);
        }
    }

    /** Calls {@code action} with this context in force, then restores the previous one. */
    public <T> T call(Callable<T> action) throws Exception {
        Context previous = current();
        setCurrent(this);
        try {
            return action.call();
        } finally {
            setCurrent(previous);
        }
    }

    Object get(ContextVar<?> key, Object absent) {
        for (int i = 0; i < entries.length; i += 2) {
            if (entries[i] == key) {
                return entries[i + 1];
            }
        }
        return absent;
    }

    Context with(ContextVar<?> key, Object value) {
        for (int i = 0; i < entries.length; i += 2) {
            if (entries[i] == key) {
                Object[] copy = entries.clone();
                copy[i + 1] = value;
                return new Context(copy);
            }
        }
        Object[] copy = Arrays.copyOf(entries, entries.length + 2);
        copy[entries.length] = key;
        copy[entries.length + 1] = value;
        return new Context(copy);
    }

    Context without(ContextVar<?> key) {
        for (int i = 0; i < entries.length; i += 2) {
            if (entries[i] == key) {
                Object[] copy = new Object[entries.length - 2];
                System.arraycopy(entries, 0, copy, 0, i);
                System.arraycopy(entries, i + 2, copy, i, entries.length - i - 2);
                return copy.length == 0 ? EMPTY : new Context(copy);
            }
        }
        return this;
    }

    /** The number of variables set in this context. */
    public int size() {
        return entries.length / 2;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Context{");
        for (int i = 0; i < entries.length; i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(((ContextVar<?>) entries[i]).name()).append('=').append(entries[i + 1]);
        }
        return sb.append('}').toString();
    }
}
