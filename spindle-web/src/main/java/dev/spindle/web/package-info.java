/**
 * FastAPI's experience in Java, on spindle-http: an {@link dev.spindle.web.App} of routes declared by annotated
 * methods ({@link dev.spindle.web.Get}, {@link dev.spindle.web.Post}...) or lambdas ({@link dev.spindle.web.Endpoint}),
 * grouped by {@link dev.spindle.web.Router}s; parameters typed and validated from every part of the request
 * ({@link dev.spindle.web.params}); dependencies ({@link dev.spindle.web.depends}); responses
 * ({@link dev.spindle.web.responses}); middleware, security, static files, settings, a test client; the OpenAPI 3.1
 * document with Swagger UI and ReDoc.
 *
 * {@snippet :
 * public class Main {
 *     record Item(String name, double price, Optional<Boolean> isOffer) {}
 *
 *     @Get("/items/{item_id}")
 *     Map<String, Object> readItem(@Path("item_id") int itemId, @Query Optional<String> q) {
 *         return Map.of("item_id", itemId, "q", q.orElse(""));
 *     }
 *
 *     @Put("/items/{item_id}")
 *     Map<String, Object> updateItem(@Path("item_id") int itemId, Item item) {
 *         return Map.of("item_name", item.name(), "item_id", itemId);
 *     }
 *
 *     public static void main(String[] args) {
 *         new App().include(new Main()).serve(8000);
 *     }
 * }
 * }
 *
 * <h2>How a request is served</h2>
 * Everything about the handlers is worked out once, when the app starts: each parameter's source, name, converter,
 * constraints and default; each dependency class; the route table, in declaration order. A request is then matched
 * segment by segment, its parameters resolved (dependencies, path, query, header, cookie, body: every error gathered
 * into one 422), the handler called through a method handle, and its value written through the response model.
 * Nothing is looked up by reflection per request.
 *
 * <h2>Start-up</h2>
 * Starting checks everything a request could trip on (parameter names and sources, dependency cycles, access to
 * handler methods, path syntax), and defers what only a request needs: a handler's method handle is adapted to its
 * arguments on its first call; the OpenAPI document is built by the first {@code /openapi.json} request; Jackson's
 * databind is loaded by the first JSON body read, Hibernate Validator only for records with constraints the binder
 * does not check itself. Annotations are read from the routes' class files into plain objects, not through
 * reflection, which would spin a proxy class per annotation type (a few milliseconds each before the JIT; an element
 * carrying an annotation type the framework does not know is still read by reflection). Most of what remains is the
 * JVM's own first-time work (loading and verifying classes, lambdas); a JDK 25 AOT cache (JEP 483/514) keeps that from
 * one run to the next. Train it with
 * one run that serves a few requests and exits normally, then start with it:
 * {@snippet lang="shell" :
 * java -XX:AOTCacheOutput=app.aot -cp app.jar Main   # training run: serve, then stop it (Ctrl-C, SIGTERM)
 * java -XX:AOTCache=app.aot -cp app.jar Main         # every start after
 * }
 * The cache is written as the training JVM exits; it must be made by the same JDK from the same class path, of
 * jars only (the JDK refuses a class path with a non-empty directory). {@code -XX:TieredStopAtLevel=1} (C1 only) halves
 * the CPU a start-up takes but costs peak throughput. spindle-core's warm-up of its wake-up paths (a daemon thread
 * beside the first loop, about 50 ms of a core) is skipped by a JVM started from an AOT cache, whose training run's
 * profiles already hold them; {@code -Dspindle.warmup=false} skips it always, at the cost of the slow first mass
 * wake-up it prevents. {@code benchmarks/web/startup.sh} measures a 50-route app: 220 ms to its first answer with
 * an AOT cache, 480 ms without, on the 2-core machine of BENCHMARKS.md.
 *
 * <h2>Threads</h2>
 * A request runs in its connection's coroutine (see spindle-http): handlers and dependencies are straight-line code
 * that may block, parking only their coroutine. A CPU-bound handler would hold its loop (every other connection of
 * the loop waits): mark it {@link dev.spindle.web.OnWorker} to run it on the app's bounded worker pool, and turn on
 * {@link dev.spindle.web.App#reportSlowHandlers} to be told, by route, of handlers that hold their loop too long.
 * The compiled app is immutable and shared by every loop.
 *
 * <h2>Parameter names</h2>
 * Compile with {@code -parameters} (or name every parameter in its annotation: {@code @Query("q")}); a parameter
 * without a name fails the app's start, naming the method.
 */
package dev.spindle.web;
