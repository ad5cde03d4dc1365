package dev.spindle.web.debug;

import dev.spindle.observe.DumpEndpoint;
import dev.spindle.web.App;
import dev.spindle.web.Endpoint;
import dev.spindle.web.HTTPException;
import dev.spindle.web.responses.Response;
import java.util.List;
import java.util.Objects;

/**
 * Spindle's task dump ({@link dev.spindle.observe.TaskDump}: every loop's tasks, what each waits on, their stacks) at
 * {@value #PATH}, off unless a bearer token is configured. The route is mounted outside the OpenAPI schema.
 *
 * {@snippet :
 * App app = new App();
 * TaskDumpRoute.mountFromEnvironment(app); // on only when SPINDLE_DEBUG_TOKEN (or -Dspindle.debug.token) is set
 * // curl -H "Authorization: Bearer $SPINDLE_DEBUG_TOKEN" http://127.0.0.1:8000/debug/spindle/tasks?format=table
 * }
 *
 * <h2>Contract</h2>
 * What {@link DumpEndpoint} answers: 404 when off (as if nothing were mounted), 401 without the right
 * {@code Authorization: Bearer} token, 405 for methods other than GET and HEAD, {@code ?format=text|table|json}
 * (400 otherwise), {@code Cache-Control: no-store}. Only {@value #PATH} itself answers; paths under it get 404.
 * A dump names tasks and shows stacks: serve it over TLS or on a private port, and keep the token secret.
 */
public final class TaskDumpRoute {
    /** Where the dump is mounted. */
    public static final String PATH = "/debug/spindle/tasks";

    /** The environment variable {@link #mountFromEnvironment} reads the token from. */
    public static final String TOKEN_ENV = "SPINDLE_DEBUG_TOKEN";

    /** The system property {@link #mountFromEnvironment} reads the token from, before the environment. */
    public static final String TOKEN_PROPERTY = "spindle.debug.token";

    private TaskDumpRoute() {}

    /** Mounts {@code endpoint} at {@value #PATH}; returns {@code app}. */
    public static App mount(App app, DumpEndpoint endpoint) {
        Objects.requireNonNull(app, "app");
        return app.mount(PATH, endpoint(endpoint));
    }

    /**
     * Mounts the dump at {@value #PATH}, on with the token of {@code -Dspindle.debug.token} or else of the
     * {@code SPINDLE_DEBUG_TOKEN} environment variable, off (404) when neither is set; returns {@code app}.
     *
     * @throws IllegalArgumentException if the token set is too short or not printable ASCII (see
     *     {@link DumpEndpoint#withToken})
     */
    public static App mountFromEnvironment(App app) {
        String token = System.getProperty(TOKEN_PROPERTY);
        if (token == null || token.isBlank()) {
            token = System.getenv(TOKEN_ENV);
        }
        return mount(app, token == null || token.isBlank() ? DumpEndpoint.disabled() : DumpEndpoint.withToken(token));
    }

    /**
     * {@code dump} as an endpoint to mount anywhere ({@link App#mount(String, Endpoint)}): it answers at the mount
     * point itself, 404 below it.
     */
    public static Endpoint endpoint(DumpEndpoint dump) {
        Objects.requireNonNull(dump, "dump");
        return request -> {
            if (!request.path().equals("/")) {
                throw new HTTPException(404, "Not Found"); // nothing below the mount point
            }
            // HEAD is answered as GET: the server sends the head only, with the GET's Content-Length
            String method = request.method().equals("HEAD") ? "GET" : request.method();
            DumpEndpoint.Response r = dump.handle(
                    method,
                    request.header("authorization"),
                    request.queryParam("format").orElse(null));
            return answer(r);
        };
    }

    private static Response answer(DumpEndpoint.Response r) {
        String type = r.header("Content-Type");
        Response out = Response.bytes(r.body(), type == null ? "text/plain; charset=utf-8" : type);
        out.status(r.status());
        List<String> h = r.headers();
        for (int i = 0; i + 1 < h.size(); i += 2) {
            String name = h.get(i);
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                out.header(name, h.get(i + 1));
            }
        }
        return out;
    }
}
