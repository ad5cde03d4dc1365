package dev.spindle.task;

/**
 * The body of a coroutine that returns a value: plain, straight-line Java that may block. Each blocking call parks
 * only this coroutine and lets its loop run others (the tutorial's washing machine: start it, and while it washes
 * the worker tends the next one).
 *
 * {@snippet :
 * Coroutine<String> others = () -> {
 *     System.out.println("start");
 *     Spindle.sleep(Duration.ofSeconds(2));
 *     System.out.println("end");
 *     return "result";
 * };
 * String r = Spindle.run(others);
 * }
 *
 * <p>A coroutine may throw any exception, checked ones included; whoever awaits it receives that exception
 * unchanged.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface Coroutine<T> {
    T call() throws Exception;

    /** A coroutine that runs {@code body} and returns {@code null}. */
    static Coroutine<Void> of(VoidCoroutine body) {
        return () -> {
            body.run();
            return null;
        };
    }
}
