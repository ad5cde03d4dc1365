package dev.spindle.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a route's handler on the app's bounded worker pool instead of its connection's coroutine: for CPU-bound work
 * (hashing, image resizing, a big computation) that would otherwise hold the loop and stall every other connection
 * on it. FastAPI's {@code def} route (run in a thread pool) beside {@code async def}; for lambda routes, {@link
 * Endpoint#onWorker(Endpoint)}.
 *
 * {@snippet :
 * @OnWorker
 * @Post("/thumbnails")
 * Thumbnail thumbnail(Image image) {
 *     return Thumbnails.of(image, 128);   // CPU-bound: runs on a worker thread
 * }
 *
 * new App().workers(4, 100).include(new Images());   // 4 threads, at most 100 calls waiting
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>What runs where.</b> Parameters and dependencies are resolved in the request's coroutine first (the body
 *       read, validated, a 422 answered there); only the handler's own call runs on a worker thread, and the
 *       coroutine waits for it (through core's {@code Spindle.runInExecutor}), parking only itself. The response is
 *       written from the coroutine.
 *   <li><b>The bound.</b> The pool has {@link App#workers(int, int) threads} platform threads and a queue of at most
 *       {@code queue} calls waiting; when both are full the request is answered <b>503</b> {@code {"detail":"Service
 *       Unavailable"}} with {@code Retry-After: 1} at once (load shedding, rather than waiting without bound as
 *       Starlette's thread pool does). Defaults: one thread per core, 64 waiting.
 *   <li><b>Cancellation.</b> If the request's coroutine is cancelled (client gone, shutdown), a call still waiting in
 *       the queue is dropped; a running call is not interrupted and finishes unobserved.
 *   <li><b>Errors.</b> What the handler throws reaches the app's exception handlers as if it had run in place.
 * </ul>
 *
 * <p>Pitfall: the handler runs on another thread, so it must not use loop-bound objects (a spindle-redis or
 * spindle-mysql connection, {@code Spindle.sleep}); give it plain values and do the I/O in the route's dependencies.
 * Not for WebSocket routes.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnWorker {}
