package dev.spindle.web;

import java.util.List;

/**
 * The request did not match what the handler declares: every problem found, at once. Answered 422 with
 * {@code {"detail": [errors...]}} unless an {@linkplain App#exceptionHandler exception handler} for this type says
 * otherwise.
 *
 * {@snippet :
 * app.exceptionHandler(RequestValidationError.class, (request, e) ->
 *         Response.json(Map.of("errors", e.errors().size())).status(400));
 * }
 */
public final class RequestValidationError extends RuntimeException {
    private final List<ErrorDetail> errors;
    private final Object body;

    public RequestValidationError(List<ErrorDetail> errors, Object body) {
        super(
                errors.size() + " validation error" + (errors.size() == 1 ? "" : "s") + ": " + summary(errors),
                null,
                false,
                false);
        this.errors = List.copyOf(errors);
        this.body = body;
    }

    public RequestValidationError(List<ErrorDetail> errors) {
        this(errors, null);
    }

    /** The errors, in the order of the handler's parameters. */
    public List<ErrorDetail> errors() {
        return errors;
    }

    /** The request body as parsed (a JSON tree), or {@code null}. */
    public Object body() {
        return body;
    }

    private static String summary(List<ErrorDetail> errors) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < errors.size() && i < 5; i++) {
            ErrorDetail e = errors.get(i);
            b.append(i == 0 ? "" : "; ").append(e.loc()).append(' ').append(e.msg());
        }
        return b.toString();
    }
}
