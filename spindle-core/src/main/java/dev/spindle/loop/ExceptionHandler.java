package dev.spindle.loop;

/**
 * Receives failures that no caller can: a task whose exception was never retrieved, a callback that threw, a
 * coroutine that held the loop too long in debug mode. The default handler logs them, with their stacks, through
 * {@link System.Logger} under the name {@code dev.spindle}.
 *
 * {@snippet :
 * loop.setExceptionHandler((l, ctx) -> {
 *     metrics.increment("loop.errors");
 *     l.defaultExceptionHandler().handle(l, ctx);
 * });
 * }
 *
 * <p>Runs on the loop's thread. An exception thrown by the handler is logged and dropped.
 */
@FunctionalInterface
public interface ExceptionHandler {
    void handle(Loop loop, ExceptionContext context);
}
