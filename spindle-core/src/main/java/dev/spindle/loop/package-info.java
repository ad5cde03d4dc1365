/**
 * The event loop: {@link dev.spindle.loop.Loop} and its callback {@link dev.spindle.loop.Handle}s. The loop knows
 * nothing of sockets or tasks' semantics; it runs ready work in FIFO order, fires timers on its
 * {@link dev.spindle.time.Clock}, and takes work from other threads through {@link
 * dev.spindle.loop.Loop#callSoonThreadsafe}. Its implementation lives in {@code loop.internal}, which is not API.
 */
package dev.spindle.loop;
