/**
 * Tasks and futures: {@link dev.spindle.task.Task} (a coroutine on a loop), {@link dev.spindle.task.LoopFuture}
 * (a result set later), {@link dev.spindle.task.TaskGroup} (structured concurrency), waiting on many
 * ({@link dev.spindle.task.Tasks}), {@link dev.spindle.task.Cancelled}, and context variables
 * ({@link dev.spindle.task.ContextVar}).
 *
 * <p>Every wait of Spindle's own parks the current task through one method, {@code Task.park}, and re-checks its
 * condition when woken; a waker is a listener on a future (woken with {@code Task.signal}) or a loop timer.
 * Cancellation sets a flag on the task and wakes it there, or interrupts it when it is blocked inside the JDK.
 */
package dev.spindle.task;
