/**
 * Tasks and futures: {@link dev.spindle.task.Task} (a coroutine on a loop), {@link dev.spindle.task.LoopFuture}
 * (a result set later), {@link dev.spindle.task.TaskGroup} (structured concurrency), waiting on many
 * ({@link dev.spindle.task.Tasks}), {@link dev.spindle.task.Cancelled}, and context variables
 * ({@link dev.spindle.task.ContextVar}).
 *
 * <p>Every wait of Spindle's own parks the current task through one method, {@code Task.park}, and re-checks its
 * condition when woken; a waker is a listener on a future (woken with {@code Task.signal}) or a loop timer. The park
 * names what the task waits for as the thread's park blocker (the future, the timer, the {@code WaitQueue}, the
 * socket's {@code Readiness}, the task group), which costs nothing (the JDK stores a blocker at every park) and is how
 * {@link dev.spindle.observe.TaskDump} tells what each task waits on. A task records at spawn the id of the task that
 * spawned it, and a task group marks its children: the task tree of dumps.
 * Cancellation sets a flag on the task and wakes it there, or interrupts it when it is blocked inside the JDK.
 *
 * <h2>Reacting to a task's end: after the pass's ready steps</h2>
 * Whatever reacts to one task's end by cancelling others does so from the loop's ready queue, never inline on the
 * thread that completes the task, as asyncio does with {@code add_done_callback}. A loop pass runs the steps that
 * were ready when it began; a sibling woken in the same pass (its timer fired with the failing task's, its socket
 * became readable) therefore runs its step before the reaction and may finish, or fail, on its own terms. So every
 * failure that happens in one pass is seen; a task that would fail only in a later pass is cancelled first.
 * Where core applies this rule:
 * <ul>
 *   <li>{@link dev.spindle.task.TaskGroup}: a child's end is handled by a reaction queued behind the ready steps;
 *       so is the cancellation of the children when the body raises (there asyncio cancels inline and can lose a
 *       child's failure raised in the same pass; Spindle, like Trio, does not).
 *   <li>{@link dev.spindle.task.Tasks#gather}, {@code gatherOutcomes}, {@code waitTasks} (any
 *       {@link dev.spindle.task.ReturnWhen}), {@code asCompleted}: the caller is woken through the ready queue and
 *       looks at what is done when its step runs; none of them cancels others on a failure (only on the caller's
 *       own cancellation, which is not a task's end).
 *   <li>{@code waitFor} and {@link dev.spindle.time.TimeoutScope}: a timeout reacts to time, not to a task's end;
 *       its cancellation comes from a timer callback, which runs from the ready queue like any step.
 *   <li>{@link dev.spindle.task.Tasks#shield}: completes the outer future inline but cancels nothing.
 *   <li>The happy-eyeballs dialer of {@code dev.spindle.io}, {@code Server}'s connection tasks, greenlets and async
 *       generators react through {@link dev.spindle.task.LoopFuture#addDoneCallback}, which is the ready queue.
 * </ul>
 * Inline listeners ({@code whenDone}) remain for bookkeeping that cancels nothing: waking a waiter, completing a
 * {@link java.util.concurrent.CompletableFuture} view.
 */
package dev.spindle.task;
