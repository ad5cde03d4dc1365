/**
 * Not API: the loop's implementation. {@link dev.spindle.loop.internal.EventLoop} (the pass and the scheduler of
 * coroutine threads), {@link dev.spindle.loop.internal.Inbox} (wake-ups from other threads),
 * {@link dev.spindle.loop.internal.TimerHeap}, {@link dev.spindle.loop.internal.TaskRegistry},
 * {@link dev.spindle.loop.internal.UnretrievedFailures}, the debug-mode {@code Watchdog}, and
 * {@link dev.spindle.loop.internal.Carrier}, the one class that reaches into {@code java.lang}.
 */
package dev.spindle.loop.internal;
