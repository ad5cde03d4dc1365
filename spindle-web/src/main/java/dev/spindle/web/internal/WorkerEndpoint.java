package dev.spindle.web.internal;

import dev.spindle.web.Endpoint;
import dev.spindle.web.Request;

/** A lambda route marked to run on the worker pool ({@link Endpoint#onWorker(Endpoint)}). */
public record WorkerEndpoint(Endpoint inner) implements Endpoint {
    @Override
    public Object handle(Request request) throws Exception {
        return inner.handle(request);
    }
}
