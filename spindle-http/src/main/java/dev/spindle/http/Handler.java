package dev.spindle.http;

/**
 * Serves one request: reads what it needs from the {@link Request} and answers through the {@link Response}, as
 * straight-line code that may block (each connection is a coroutine; a blocking call parks only it).
 *
 * {@snippet :
 * Handler hello = (req, res) -> res.send("Hello, " + req.path());
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Runs in the connection's task, on the loop that accepted the connection. Requests of one
 *       connection are handled one at a time, in order (pipelined requests wait their turn, so responses go out in
 *       order).
 *   <li><b>Ending.</b> When the handler returns, a response it did not send is sent as it stands (status, headers,
 *       empty body); a streamed body it did not close is closed. A request body it did not read is drained up to
 *       {@link HttpLimits#maxDrainSize()}, or the connection is closed.
 *   <li><b>Errors.</b> An {@link HttpError} answers with its status; any other exception answers 500 and is logged
 *       to the error log. Either way, once the response has started the connection is closed instead (the client
 *       sees a truncated body, never a wrong one).
 *   <li><b>Cancellation.</b> The handler is cancelled when the server shuts down past its grace period, or when
 *       the client's body or a write misses its deadline; a handler catching {@link dev.spindle.task.Cancelled}
 *       must rethrow it.
 * </ul>
 */
@FunctionalInterface
public interface Handler {
    /** Serves {@code request} through {@code response}. */
    void handle(Request request, Response response) throws Exception;
}
