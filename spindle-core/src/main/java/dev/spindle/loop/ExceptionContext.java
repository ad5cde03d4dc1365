package dev.spindle.loop;

/**
 * What went wrong, handed to a loop's {@link ExceptionHandler}: a failure nobody else could receive.
 *
 * {@snippet :
 * loop.setExceptionHandler((l, ctx) -> log.warn(ctx.message(), ctx.exception()));
 * }
 *
 * @param message what happened, for a person
 * @param exception the failure, or {@code null} for a warning that has none
 * @param source the task, future or callback handle concerned, or {@code null}
 */
public record ExceptionContext(String message, Throwable exception, Object source) {}
