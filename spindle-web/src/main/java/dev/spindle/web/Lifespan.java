package dev.spindle.web;

/**
 * The app's startup and shutdown (FastAPI's {@code lifespan}): runs before the first request is served, returns what
 * to run after the last.
 *
 * {@snippet :
 * app.lifespan(a -> {
 *     Map<String, Model> models = new HashMap<>();
 *     models.put("answer", loadModel());
 *     a.state().put("models", models);
 *     return models::clear;                 // at shutdown
 * });
 * }
 *
 * <p>A failing startup stops {@link App#serve} (and {@link App#startup()}) with its exception; shutdown runs in the
 * reverse order of startup, each lifespan's even if another failed.
 */
@FunctionalInterface
public interface Lifespan {
    /** Starts; returns the shutdown to run later. */
    AutoCloseable start(App app) throws Exception;
}
