package dev.spindle.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.http.Headers;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The request as the framework sees it (Starlette's {@code Request}): declare it as a handler's, dependency's or
 * middleware's parameter to read anything the typed parameters do not cover.
 *
 * {@snippet :
 * @Get("/whoami")
 * Map<String, Object> whoami(Request request) {
 *     return Map.of("client", request.client().toString(), "ua", request.header("user-agent"));
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Belongs to the request's coroutine; valid until the response has been sent.
 *   <li><b>Decoding.</b> Path parameters, query parameters and cookies are percent-decoded (UTF-8); the body is read
 *       once, on first use, and kept (up to the server's body limit; 413 past it).
 * </ul>
 */
public interface Request {
    String method();

    /** The path, as sent (not decoded), below the mount point for a mounted app. */
    String path();

    /** The mount point of the app serving this request ({@code ""} at the top). */
    String rootPath();

    /** The raw query ({@code ""} if none). */
    String rawQuery();

    /** {@code http} or {@code https} (as the connection says; see the HTTPS redirect middleware). */
    String scheme();

    /** The full URL ({@code http://host/path?query}), built from the Host header. */
    String url();

    /** The base URL ({@code http://host/}, plus the root path). */
    String baseUrl();

    Headers headers();

    /** The first value of header {@code name}, or {@code null}. */
    default String header(String name) {
        return headers().get(name);
    }

    /** The matched route's path parameters, decoded. */
    Map<String, String> pathParams();

    /** Query parameters, decoded, each key with its values in order. */
    Map<String, List<String>> queryParams();

    /** The last value of query parameter {@code name}. */
    default Optional<String> queryParam(String name) {
        List<String> v = queryParams().get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getLast());
    }

    /** The request's cookies, decoded. */
    Map<String, String> cookies();

    /** The client's address. */
    SocketAddress client();

    /** Per-request state (middleware and dependencies share values here); falls back to the app's state. */
    State state();

    /** The app serving the request. */
    App app();

    /** The body, read whole (once). */
    byte[] body();

    /** The body as a JSON tree. */
    JsonNode json();

    /** The form fields (strings) and files ({@link dev.spindle.web.params.UploadFile}) of a form body. */
    Map<String, List<Object>> form();

    /** The spindle-http request underneath. */
    dev.spindle.http.Request raw();
}
