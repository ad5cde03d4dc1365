/**
 * Network streams for coroutines (asyncio's streams): TCP and Unix domain connections ({@link
 * dev.spindle.io.Streams#openConnection}), servers that run a handler per connection ({@link
 * dev.spindle.io.Streams#startServer}), and the {@link dev.spindle.io.StreamReader} and
 * {@link dev.spindle.io.StreamWriter} that read and write them; the same readers and writers are a child process's
 * pipes ({@link dev.spindle.io.Subprocess#stdout()}, {@link dev.spindle.io.Subprocess#stdin()}), and the two ends
 * of a connection in memory ({@link dev.spindle.io.Streams#memoryPair()}), for tests and in-process protocols.
 *
 * <h2>Shared rules</h2>
 * <ul>
 *   <li><b>Loop confinement.</b> Connections, readers, writers and servers belong to the loop whose coroutine made
 *       them; use them from that loop's coroutines only. No method blocks the loop's thread: waits suspend only the
 *       calling coroutine.
 *   <li><b>Cancellation.</b> Every wait may be cancelled or bounded with {@link dev.spindle.Spindle#withTimeout};
 *       the connection stays open and usable, and each operation documents what a cancel leaves behind (in short:
 *       nothing received is lost, nothing written is lost silently). The one exception is a
 *       {@link dev.spindle.io.StreamWriter#sendFile} cancelled midway: the peer may hold part of the file, so the
 *       connection is aborted.
 *   <li><b>Files.</b> {@link dev.spindle.io.StreamWriter#sendFile} sends a file's range without copying it into the
 *       JVM (sendfile(2) on both backends) on plain connections, and through a buffer under TLS and in memory.
 *   <li><b>Errors.</b> Unchecked, under {@link dev.spindle.io.StreamError}: {@link dev.spindle.io.IncompleteRead},
 *       {@link dev.spindle.io.LimitOverrun}, {@link dev.spindle.io.ConnectionLost}. A peer closing its end is not an
 *       error: reads see the end of the stream.
 * </ul>
 */
package dev.spindle.io;
