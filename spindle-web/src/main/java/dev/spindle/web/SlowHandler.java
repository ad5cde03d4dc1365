package dev.spindle.web;

import java.time.Duration;

/**
 * A handler that held its loop past the threshold given to {@link App#reportSlowHandlers(Duration,
 * java.util.function.Consumer)}: it ran that long without yielding, so every other connection of its loop waited.
 *
 * @param method the request's method ({@code GET})
 * @param path the route's path template, with the mount and router prefixes ({@code /items/{item_id}})
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
