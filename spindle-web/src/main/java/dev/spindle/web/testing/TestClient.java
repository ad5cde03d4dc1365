package dev.spindle.web.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.spindle.Spindle;
import dev.spindle.http.Headers;
import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.http.websocket.WebSocket;
import dev.spindle.http.websocket.WebSocketClient;
import dev.spindle.http.websocket.WebSocketOptions;
import dev.spindle.web.App;
import dev.spindle.web.internal.Json;
import dev.spindle.web.testing.internal.MemoryCall;
import dev.spindle.web.testing.internal.SocketCall;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Calls an app the way a client would (Starlette's {@code TestClient}): in-process without a socket
 * ({@link #of(App)}), or over a real socket to the app served on a free port of 127.0.0.1 ({@link #serve(App)}).
 * Both go through spindle-http's real server codec, so responses are what a client gets in production. Runs the
 * app's lifespan around its own life, keeps cookies, opens WebSockets, and has JSON and form helpers.
 *
 * {@snippet :
 * try (TestClient client = TestClient.serve(app)) {
 *     TestResponse r = client.post("/items/", Map.of("name", "Foo", "price", 42.0));
 *     assertEquals(200, r.status());
 *     assertEquals("Foo", r.json().get("name").asText());
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Call it from a plain thread (a test method); one call at a time.
 *   <li><b>In-process</b> ({@link #of}). The app is served by {@link HttpServer#serveConnection} over a
 *       {@link dev.spindle.io.Streams#memoryPair()}, with {@link HttpServerOptions#defaults()}: the same parsing,
 *       framing (chunked, HEAD, ranges), {@code Date}, gzip and error answers (400, 404, 500...) as
 *       {@link #serve}. The client is spindle-http's {@code HttpClient} on a loop of this test client's own (a daemon
 *       thread, ended by {@link #close()}), where the app's handlers run too; one keep-alive connection is reused
 *       between calls. Requests go to {@code Host: testserver} (Starlette's) unless a {@code Host} header is given;
 *       the app sees a peer address naming the memory pair ({@code memory:7/a}), not an IP.
 *   <li><b>Responses</b> are returned as received: bodies are not decompressed, and a HEAD has an empty body.
 *   <li><b>Cookies.</b> {@code Set-Cookie} values are kept by name (a {@code Max-Age=0} deletes) and sent back;
 *       paths and domains are not considered.
 *   <li><b>Redirects</b> are not followed: the 3xx is returned.
 * </ul>
 */
public final class TestClient implements AutoCloseable {
    /** One way of calling the app. */
    public interface Transport extends AutoCloseable {
        TestResponse call(String method, String target, Headers headers, byte[] body);

        @Override
        void close();
    }

    private final App app;
    private final Transport transport;
    /** The transport of {@link #of}, which also opens WebSockets; null for {@link #serve}. */
    private final MemoryCall inProcess;

    private final HttpServer server;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final Headers defaultHeaders = new Headers();

    private TestClient(App app, Transport transport, MemoryCall inProcess, HttpServer server) {
        this.app = app;
        this.transport = transport;
        this.inProcess = inProcess;
        this.server = server;
    }

    /**
     * Calls {@code app} in-process (no socket, the server's codec over memory); runs its lifespan's startup now.
     */
    public static TestClient of(App app) {
        startup(app);
        MemoryCall call = new MemoryCall(app, HttpServerOptions.defaults());
        return new TestClient(app, call, call, null);
    }

    /** Serves {@code app} on a free port of 127.0.0.1 (one loop) and calls it over HTTP/1.1. */
    public static TestClient serve(App app) {
        return serve(app, HttpServerOptions.builder().port(0).loops(1).build());
    }

    /** Serves {@code app} with {@code options} (port 0 for a free one) and calls it over HTTP/1.1. */
    public static TestClient serve(App app, HttpServerOptions options) {
        startup(app);
        HttpServer server = HttpServer.start(app, options);
        return new TestClient(app, new SocketCall(server.port()), null, server);
    }

    private static void startup(App app) {
        try {
            app.startup();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the app's startup failed", e);
        }
    }

    /** The port served on ({@link #serve} only). */
    public int port() {
        if (server == null) {
            throw new IllegalStateException("an in-process client has no port");
        }
        return server.port();
    }

    /** The base URL ({@code http://127.0.0.1:port}) ({@link #serve} only). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Headers sent with every request (mutable). */
    public Headers defaultHeaders() {
        return defaultHeaders;
    }

    /** The cookies kept (mutable). */
    public Map<String, String> cookies() {
        return cookies;
    }

    public TestResponse get(String target) {
        return request("GET", target, null, null);
    }

    public TestResponse get(String target, Headers headers) {
        return request("GET", target, headers, null);
    }

    public TestResponse delete(String target) {
        return request("DELETE", target, null, null);
    }

    public TestResponse head(String target) {
        return request("HEAD", target, null, null);
    }

    public TestResponse options(String target, Headers headers) {
        return request("OPTIONS", target, headers, null);
    }

    /** POSTs {@code json} serialized ({@code application/json}). */
    public TestResponse post(String target, Object json) {
        return withJson("POST", target, json, null);
    }

    public TestResponse post(String target, Object json, Headers headers) {
        return withJson("POST", target, json, headers);
    }

    public TestResponse put(String target, Object json) {
        return withJson("PUT", target, json, null);
    }

    public TestResponse patch(String target, Object json) {
        return withJson("PATCH", target, json, null);
    }

    /** POSTs a form ({@code application/x-www-form-urlencoded}). */
    public TestResponse postForm(String target, Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) ->
                b.append(b.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return request(
                "POST",
                target,
                Headers.of("Content-Type", "application/x-www-form-urlencoded"),
                b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * POSTs {@code multipart/form-data}: a {@code String} value is a field; a {@link FilePart} a file.
     */
    public TestResponse postMultipart(String target, Map<String, Object> parts) {
        String boundary = "spindle" + UUID.randomUUID().toString().replace("-", "");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        parts.forEach((name, value) -> {
            Iterable<?> values = value instanceof Iterable<?> it ? it : java.util.List.of(value);
            for (Object v : values) {
                StringBuilder head = new StringBuilder("--" + boundary + "\r\n");
                if (v instanceof FilePart f) {
                    head.append("Content-Disposition: form-data; name=\"")
                            .append(name)
                            .append("\"; filename=\"")
                            .append(f.filename())
                            .append("\"\r\nContent-Type: ")
                            .append(f.contentType())
                            .append("\r\n\r\n");
                    out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
                    out.writeBytes(f.content());
                } else {
                    head.append("Content-Disposition: form-data; name=\"")
                            .append(name)
                            .append("\"\r\n\r\n");
                    out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
                    out.writeBytes(String.valueOf(v).getBytes(StandardCharsets.UTF_8));
                }
                out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
        });
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return request(
                "POST",
                target,
                Headers.of("Content-Type", "multipart/form-data; boundary=" + boundary),
                out.toByteArray());
    }

    /** A WebSocket session for {@link #websocket(String, WebSocketSession)}. */
    @FunctionalInterface
    public interface WebSocketSession<T> {
        T run(dev.spindle.http.websocket.WebSocket ws) throws Exception;
    }

    /**
     * Opens a WebSocket to {@code target} and runs {@code session} with it in a coroutine; the WebSocket is closed
     * afterwards. Returns what the session returns. The opening request carries {@link #defaultHeaders()} and the
     * cookies kept. In-process ({@link #of}) it runs on the client's loop over a new memory pair, with
     * {@code Host: testserver}; with {@link #serve} on a loop of its own over a socket.
     *
     * {@snippet :
     * String echoed = client.websocket("/ws/echo", ws -> {
     *     ws.send("hi");
     *     return ws.receive().text();
     * });
     * }
     *
     * @throws dev.spindle.http.websocket.HandshakeFailed if the app refused the connection
     */
    public <T> T websocket(String target, WebSocketSession<T> session) {
        Objects.requireNonNull(session, "session");
        WebSocketOptions.Builder o = WebSocketOptions.builder();
        defaultHeaders.forEach(o::header);
        if (!cookies.isEmpty() && !defaultHeaders.contains("Cookie")) {
            o.header("Cookie", cookieHeader());
        }
        WebSocketOptions options = o.build();
        if (inProcess != null) {
            return inProcess.websocket(target, options, session);
        }
        URI uri = URI.create("ws://127.0.0.1:" + port() + target);
        return Spindle.run(() -> {
            try (WebSocket ws = WebSocketClient.connect(uri, options)) {
                return session.run(ws);
            }
        });
    }

    /** A file of a multipart request. */
    public record FilePart(String filename, String contentType, byte[] content) {}

    private TestResponse withJson(String method, String target, Object json, Headers headers) {
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the JSON body", e);
        }
        Headers h = headers == null ? new Headers() : headers.copy();
        if (!h.contains("Content-Type")) {
            h.set("Content-Type", "application/json");
        }
        return request(method, target, h, body);
    }

    /** Sends any request. */
    public TestResponse request(String method, String target, Headers headers, byte[] body) {
        Objects.requireNonNull(method, "method");
        Headers h = defaultHeaders.copy();
        if (headers != null) {
            headers.forEach((n, v) -> h.remove(n));
            headers.forEach(h::add);
        }
        if (!cookies.isEmpty() && !h.contains("Cookie")) {
            h.set("Cookie", cookieHeader());
        }
        TestResponse r = transport.call(method, target, h, body == null ? new byte[0] : body);
        for (String sc : r.headers().getAll("Set-Cookie")) {
            keepCookie(sc);
        }
        return r;
    }

    private String cookieHeader() {
        StringBuilder c = new StringBuilder();
        cookies.forEach((k, v) ->
                c.append(c.isEmpty() ? "" : "; ").append(k).append('=').append(v));
        return c.toString();
    }

    private void keepCookie(String setCookie) {
        String[] parts = setCookie.split(";");
        int eq = parts[0].indexOf('=');
        if (eq <= 0) {
            return;
        }
        String name = parts[0].substring(0, eq).strip();
        String value = parts[0].substring(eq + 1).strip();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip().toLowerCase(java.util.Locale.ROOT);
            if (p.equals("max-age=0") || p.startsWith("max-age=-")) {
                cookies.remove(name);
                return;
            }
        }
        cookies.put(name, value);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Stops the server (if any) and runs the app's lifespan shutdown. */
    @Override
    public void close() {
        transport.close();
        try {
            if (server != null) {
                server.shutdown(java.time.Duration.ofSeconds(5));
            }
        } finally {
            try {
                app.shutdown();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("the app's shutdown failed", e);
            }
        }
    }
}
