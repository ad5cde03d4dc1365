/**
 * Spindle: Python's asyncio for Java 25. Start with {@link dev.spindle.Spindle}.
 *
 * <h2>Rules that hold everywhere</h2>
 * <ul>
 *   <li><b>One thread per loop.</b> Every coroutine and callback of a loop runs on that loop's thread, one at a
 *       time, so state shared by them needs no locks. A coroutine is a virtual thread whose scheduler is the loop.
 *   <li><b>FIFO.</b> Callbacks and coroutine resumptions become ready in the order their causes happened and run in
 *       that order; timers due at the same instant run in the order they were scheduled.
 *   <li><b>Suspension points.</b> A coroutine lets others run only where it waits: Spindle's waits (sleep, await,
 *       gather, timeouts, task groups) and every JDK blocking call (sockets, {@code Thread.sleep}, locks, queues,
 *       {@code synchronized}). Work that holds the thread without blocking (long computations, file I/O, JNI)
 *       stalls the loop: hand it to {@link dev.spindle.Spindle#toThread}.
 *   <li><b>Cancellation</b> arrives at a suspension point as {@link dev.spindle.task.Cancelled} (or, inside a JDK
 *       call, as an interruption); {@code finally} blocks run.
 *   <li><b>Unchecked.</b> Spindle throws unchecked exceptions; awaiting a coroutine rethrows its failure unchanged,
 *       checked or not.
 *   <li><b>Virtual threads started inside a coroutine</b> with {@code Thread.ofVirtual()} inherit its loop as their
 *       scheduler (the JDK's rule): they run on the loop's thread too, but they are not tasks, are not cancelled
 *       by {@code Spindle.run}, and stop running when the loop closes. Spawn tasks instead, or start such threads
 *       from a plain thread.
 *   <li><b>The JVM flag.</b> {@code --add-opens java.base/java.lang=ALL-UNNAMED} is required; without it the
 *       first use fails with a message saying where to add it.
 * </ul>
 */
package dev.spindle;
