package dev.spindle.observe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;

/**
 * The task dump over HTTP, for any web framework to mount (spindle-web will): off by default, and when on, only for
 * requests carrying a bearer token. Framework-neutral: the framework passes the request's method, the
 * {@code Authorization} header and the {@code format} query parameter, and writes back the {@link Response}.
 *
 * {@snippet :
 * DumpEndpoint tasks = DumpEndpoint.withToken(System.getenv("SPINDLE_DEBUG_TOKEN")); // or DumpEndpoint.disabled()
 * // in a handler of GET /debug/spindle/tasks:
 * DumpEndpoint.Response r = tasks.handle(request.method(), request.header("Authorization"), request.query("format"));
 * response.status(r.status()).headers(r.headers()).body(r.body());
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Path: the framework's choice; {@code /debug/spindle/tasks} is the suggested one.
 *   <li>{@code GET} (and {@code HEAD}, with the same headers and no body); any other method: 405 with {@code Allow}.
 *   <li>Disabled: 404, as if nothing were mounted, so that a scan learns nothing.
 *   <li>Enabled: the request must carry {@code Authorization: Bearer <token>}; a missing or wrong token gets 401 with
 *       {@code WWW-Authenticate: Bearer realm="spindle"}. Tokens are compared in constant time.
 *   <li>{@code format}: {@code text} (default: the tree, {@code text/plain; charset=utf-8}), {@code table}, or
 *       {@code json} ({@code application/json}); anything else: 400.
 *   <li>Every answer has {@code Cache-Control: no-store} and {@code X-Content-Type-Options: nosniff}.
 * </ul>
 * A dump names tasks and shows stacks: serve it only over TLS or on a private port, and keep the token secret.
 * Thread-safe; {@link #handle} takes a dump (see {@link TaskDump} for its cost).
 */
public final class DumpEndpoint {
    private final byte[] token;

    private DumpEndpoint(byte[] token) {
        this.token = token;
    }

    /** The endpoint switched off: every request gets 404. */
    public static DumpEndpoint disabled() {
        return new DumpEndpoint(null);
    }

    /**
     * The endpoint on, for requests bearing {@code token}.
     *
     * @throws IllegalArgumentException if the token is shorter than 16 characters (guessable) or not printable ASCII
     */
    public static DumpEndpoint withToken(String token) {
        Objects.requireNonNull(token, "token");
        if (token.length() < 16) {
            throw new IllegalArgumentException("the dump endpoint's token must have at least 16 characters");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("the dump endpoint's token must be printable ASCII without spaces");
            }
        }
        return new DumpEndpoint(token.getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether the endpoint answers at all. */
    public boolean isEnabled() {
        return token != null;
    }

    /**
     * An HTTP answer.
     *
     * @param status the status code
     * @param headers header names and values, alternating: {@code name1, value1, name2, value2...}
     * @param body the body (empty for HEAD and errors without text)
     */
    public record Response(int status, java.util.List<String> headers, byte[] body) {
        public Response {
            headers = java.util.List.copyOf(headers);
        }

        /** The value of the first header named {@code name} (case-insensitive), or null. */
        public String header(String name) {
            for (int i = 0; i + 1 < headers.size(); i += 2) {
                if (headers.get(i).equalsIgnoreCase(name)) {
                    return headers.get(i + 1);
                }
            }
            return null;
        }

        /** The body as UTF-8 text. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Answers one request.
     *
     * @param method the request's method
     * @param authorization the {@code Authorization} header, or null
     * @param format the {@code format} query parameter, or null
     */
    public Response handle(String method, String authorization, String format) {
        if (token == null) {
            return plain(404, "Not Found\n", false);
        }
        boolean head = "HEAD".equals(method);
        if (!"GET".equals(method) && !head) {
            Response r = plain(405, "Method Not Allowed\n", false);
            return with(r, "Allow", "GET, HEAD");
        }
        if (!authorized(authorization)) {
            return with(plain(401, "Unauthorized\n", head), "WWW-Authenticate", "Bearer realm=\"spindle\"");
        }
        String f = format == null || format.isEmpty() ? "text" : format.toLowerCase(Locale.ROOT);
        String body;
        String type;
        switch (f) {
            case "text" -> {
                body = TaskDump.all().toText();
                type = "text/plain; charset=utf-8";
            }
            case "table" -> {
                body = TaskDump.all().toTable();
                type = "text/plain; charset=utf-8";
            }
            case "json" -> {
                body = TaskDump.all().toJson();
                type = "application/json";
            }
            default -> {
                return plain(400, "format must be text, table or json\n", head);
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new Response(
                200,
                java.util.List.of(
                        "Content-Type",
                        type,
                        "Content-Length",
                        Integer.toString(bytes.length),
                        "Cache-Control",
                        "no-store",
                        "X-Content-Type-Options",
                        "nosniff"),
                head ? new byte[0] : bytes);
    }

    private boolean authorized(String authorization) {
        if (authorization == null) {
            return false;
        }
        String a = authorization.strip();
        if (a.length() < 7 || !a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = a.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, token);
    }

    private static Response plain(int status, String text, boolean head) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new Response(
                status,
                java.util.List.of(
                        "Content-Type", "text/plain; charset=utf-8",
                        "Content-Length", Integer.toString(bytes.length),
                        "Cache-Control", "no-store",
                        "X-Content-Type-Options", "nosniff"),
                head ? new byte[0] : bytes);
    }

    private static Response with(Response r, String name, String value) {
        java.util.List<String> h = new java.util.ArrayList<>(r.headers());
        h.add(name);
        h.add(value);
        return new Response(r.status(), h, r.body());
    }
}
