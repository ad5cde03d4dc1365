package dev.spindle.task;

import java.util.List;

/**
 * Several failures reported together (Python's {@code ExceptionGroup}): a {@link TaskGroup} throws one holding every
 * exception its children and its body failed with. Each is also attached as a suppressed exception, so a logged
 * stack trace shows them all.
 *
 * {@snippet :
 * try {
 *     taskGroup(tg -> { tg.spawn(() -> fail("a")); tg.spawn(() -> fail("b")); return null; });
 * } catch (ExceptionGroup g) {
 *     for (Throwable e : g.exceptions()) System.out.println(e.getMessage());
 * }
 * }
 */
public class ExceptionGroup extends RuntimeException {
    private final List<Throwable> exceptions;

    @SuppressWarnings("this-escape")
    public ExceptionGroup(String message, List<? extends Throwable> exceptions) {
        super(message + " (" + exceptions.size() + " sub-exception" + (exceptions.size() == 1 ? "" : "s") + ")");
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("an ExceptionGroup needs at least one exception");
        }
        this.exceptions = List.copyOf(exceptions);
        for (Throwable e : this.exceptions) {
            addSuppressed(e);
        }
    }

    /** The exceptions, in the order they happened. */
    public List<Throwable> exceptions() {
        return exceptions;
    }

    /** The first exception of type {@code type}, if any (handy where Python would write {@code except*}). */
    public <E extends Throwable> java.util.Optional<E> find(Class<E> type) {
        for (Throwable e : exceptions) {
            if (type.isInstance(e)) {
                return java.util.Optional.of(type.cast(e));
            }
        }
        return java.util.Optional.empty();
    }
}
