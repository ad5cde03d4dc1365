package dev.spindle.http.internal;

import dev.spindle.http.HttpError;

/**
 * A request the codec refuses, with the status to answer; the connection is always closed after it (the framing can
 * no longer be trusted).
 */
public final class BadRequest extends HttpError {
    public BadRequest(int status, String message) {
        super(status, message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // thrown at hostile input, often: a stack trace would only cost
    }
}
