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
