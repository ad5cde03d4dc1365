/**
 * Generators, async generators, async iteration and async resources: Python's {@code yield}, {@code async for},
 * {@code async with} and {@code contextlib.asynccontextmanager} for coroutines.
 *
 * <h2>Generators</h2>
 * A generator's body hands values to its consumer one at a time through a {@link dev.spindle.gen.Yielder}
 * ({@code out.yield(v)}), and stops there until the consumer asks for the next one. Java reserves the bare word
 * {@code yield}, so the call is always qualified. A body ends early with a {@link dev.spindle.gen.GeneratorExit} at
 * its {@code yield} when the consumer closes the generator; its {@code finally} blocks run, and it should let the
 * exception propagate.
 *
 * <h2>Async generators and async iteration</h2>
 * {@link dev.spindle.gen.AsyncGenerator} is a generator whose body may await between yields (sleep, tasks, socket
 * I/O). An {@link dev.spindle.gen.AsyncIterator} is a {@link java.util.Iterator} whose {@code hasNext()},
 * {@code next()} and {@code close()} may suspend the calling coroutine, so {@code async for} is a plain for-each loop
 * inside a coroutine; try-with-resources closes the iterator when the loop ends early, which is asyncio's
 * {@code async with aclosing(...)}:
 * {@snippet :
 * try (AsyncGenerator<Row> rows = fetchRows(query)) {
 *     for (Row r : rows) {
 *         if (r.isLast()) {
 *             break; // close() runs the generator's cleanup, which may await
 *         }
 *     }
 * }
 * }
 * {@link dev.spindle.gen.AsyncIterators} adapts {@link java.util.concurrent.Flow.Publisher}s both ways, with
 * backpressure, and iterates futures in the order they finish. Everything here is confined to the loop of its first
 * use, like Spindle's other primitives, unless a method says it is thread-safe.
 *
 * <h2>Async resources</h2>
 * A resource whose opening and closing suspend needs no new type: its constructor or factory awaits, its
 * {@link AutoCloseable#close()} awaits, and try-with-resources inside a coroutine is {@code async with}:
 * {@snippet :
 * try (Connection c = Connection.open(address)) { // open awaits the handshake
 *     c.send(request);
 * }                                               // close awaits the goodbye
 * }
 * Declare {@code close()} without checked exceptions so that no {@code catch} is needed. When setup and cleanup are
 * easier to write as one piece of code, {@link dev.spindle.gen.AsyncContextManager} turns a generator body with a
 * single {@code yield} into such a resource (Python's {@code @asynccontextmanager}).
 *
 * <h2>Shutdown</h2>
 * A loop tracks the async generators that started and are not closed. {@link dev.spindle.Spindle#run} cancels the
 * remaining tasks and then closes those generators, so that their cleanup sees {@code GeneratorExit} rather than a
 * cancellation ({@link dev.spindle.loop.Loop#shutdownAsyncGenerators()}); {@link dev.spindle.loop.Loop#close()}
 * does the same. A generator dropped without being closed is closed on its loop once it is garbage-collected.
 */
package dev.spindle.gen;
