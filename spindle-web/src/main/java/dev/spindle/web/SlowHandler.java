package dev.spindle.web;

import java.time.Duration;

/**
 * A handler that held its loop past the threshold given to {@link App#reportSlowHandlers(Duration,
 * java.util.function.Consumer)}: it ran that long without yielding, so every other connection of its loop waited.
 *
 * {@snippet :
 * App app = new App().reportSlowHandlers(Duration.ofMillis(100), slow -> metrics.count(slow.path()));
 * }
 *
 * @param method the route's method ({@code GET}; for a route of several, the first in alphabetical order but HEAD)
 * @param path the route's path template in its app, with its routers' prefixes ({@code /items/{item_id}}; a mounted
 *     sub-app reports its own routes, without the mount's path)
 * @param held how long the handler's call held the loop
 * @param threshold the threshold it passed
 */
public record SlowHandler(String method, String path, Duration held, Duration threshold) {
    /** The report as logged: {@code GET /spin held its loop for 0.312 s without yielding (threshold 0.050 s)...}. */
    public String toText() {
        return String.format(
                java.util.Locale.ROOT,
                "%s %s held its loop for %.3f s without yielding (threshold %.3f s): every other connection of the"
                        + " loop waited; run CPU-bound work with @OnWorker or Spindle.toThread",
                method,
                path,
                held.toNanos() / 1e9,
                threshold.toNanos() / 1e9);
    }
}
