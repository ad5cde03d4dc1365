/**
 * Seeing inside a running program: task dumps, the stall watchdog, JFR events and metrics. Everything here costs the
 * loops nothing measurable until someone looks (see {@code BENCHMARKS.md}, "Observability").
 *
 * <ul>
 *   <li>{@link dev.spindle.observe.TaskDump}: every loop's task tree with states, parents, task groups, what each task
 *       waits on and its stack. From code ({@link dev.spindle.loop.Loop#dumpTasks()}, {@link
 *       dev.spindle.observe.TaskDump#all()}), from outside the process ({@link dev.spindle.observe.SpindlePs}, the
 *       {@code spindle-ps} script: Python's {@code python -m asyncio ps/pstree PID}), over HTTP
 *       ({@link dev.spindle.observe.DumpEndpoint}, off by default, token-protected).
 *   <li>{@link dev.spindle.observe.StallWatchdog}: reports a step (a coroutine's run between two suspensions, or a
 *       callback) that holds its loop past a threshold, once, with its stack, and whether it pinned the loop's thread.
 *   <li>JFR: {@code dev.spindle.TaskSpawned}, {@code TaskFinished}, {@code SlowStep}, {@code LoopLag}; the guard
 *       {@link dev.spindle.observe.SpindleJfr} and the base {@link dev.spindle.observe.SpindleEvent} for the events of
 *       other modules (an HTTP request, a Redis command, a MySQL query).
 *   <li>{@link dev.spindle.observe.Metrics}: each loop's {@link dev.spindle.observe.LoopMetrics} (ready-queue depth,
 *       lag, tasks alive, steps per second) and the {@link dev.spindle.observe.PoolMetrics} of connection pools, for a
 *       metrics system to poll ({@code spindle-micrometer} binds them to Micrometer).
 * </ul>
 *
 * <h2>What the loop pays</h2>
 * Per step, two plain stores (which entry runs, and a step count) that observers on other threads read; per spawn, the
 * parent's id and one volatile read of the JFR gate; per park, nothing (what a task waits on is the park blocker the
 * JDK stores anyway). Everything else runs on the observer's thread: the watchdog's sampler, JFR's periodic thread,
 * the thread taking a dump.
 */
package dev.spindle.observe;
