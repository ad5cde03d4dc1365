package dev.spindle.task.internal;

/** Rethrows a checked exception without wrapping it, so that awaiting a coroutine gives its failure unchanged. */
public final class Sneaky {
    private Sneaky() {}

    public static RuntimeException rethrow(Throwable t) {
        throw Sneaky.<RuntimeException>cast(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E cast(Throwable t) throws E {
        throw (E) t;
    }
}
