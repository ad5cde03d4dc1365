package dev.spindle.task;

/**
 * The body of a coroutine that returns nothing; see {@link Coroutine}.
 *
 * {@snippet :
 * Task<Void> t = Spindle.spawn(() -> {
 *     Spindle.sleep(Duration.ofMillis(10));
 *     System.out.println("done");
 * });
 * }
 */
@FunctionalInterface
public interface VoidCoroutine {
    void run() throws Exception;
}
