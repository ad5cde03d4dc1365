package dev.spindle.web.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.spindle.http.Headers;
import dev.spindle.web.App;
import dev.spindle.web.BackgroundTasks;
import dev.spindle.web.HTTPException;
import dev.spindle.web.Request;
import dev.spindle.web.State;
import dev.spindle.web.depends.Yield;
import dev.spindle.web.params.UploadFile;
import dev.spindle.web.responses.Response;
import java.io.ByteArrayInputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request being served: the spindle-http request and response, what was parsed of it (lazily, once: query,
 * cookies, body, form), the matched path parameters, and what the request accumulates (dependency cache, teardowns,
 * background tasks, the temporal response). Confined to the request's coroutine.
 */
public final class Exchange implements Request, BackgroundTasks {
    /** Jackson's databind is loaded by the first JSON body, not by the first request (startup cost). */
    private static final class BodyReader {
        static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    App app;
    AppCore core;
    final dev.spindle.http.Request raw;
    final dev.spindle.http.Response out;
    String path;
    String rootPath = "";
    /** Whether the matched route's tree has several body parameters: each is then read under its name. */
    boolean embedBodies;

    String[] segments;

    List<String> pathNames = List.of();
    String[] pathValues;

    private Map<String, List<String>> query;
    private Map<String, String> cookies;
    private byte[] body;
    private JsonNode json;
    private String jsonError;
    private int jsonErrorOffset;
    private boolean jsonRead;
    private Map<String, List<Object>> form;
    private State state;

    Map<Object, Object> depCache;
    List<Yield.Teardown> teardowns;
    List<Task> tasks;
    Response temporal;
    dev.spindle.http.websocket.WebSocket websocket;
    List<UploadFile> uploads;

    public Exchange(App app, AppCore core, dev.spindle.http.Request raw, dev.spindle.http.Response out) {
        this.app = app;
        this.core = core;
        this.raw = raw;
        this.out = out;
        this.path = raw.path();
    }

    AppCore core() {
        return core;
    }

    /** The decoded segments of the current path (below the mount point). */
    String[] segments() {
        String[] s = segments;
        if (s == null) {
            s = PathPattern.split(path);
            for (int i = 0; i < s.length; i++) {
                s[i] = UrlCodec.decode(s[i], false);
            }
            segments = s;
        }
        return s;
    }

    String pathValue(String name) {
        int i = pathNames.indexOf(name);
        return i < 0 ? null : pathValues[i];
    }

    // ---- Request ------------------------------------------------------------------------------------------

    @Override
    public String method() {
        return raw.method();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String rootPath() {
        return rootPath;
    }

    @Override
    public String rawQuery() {
        return raw.rawQuery();
    }

    @Override
    public String scheme() {
        return raw.scheme();
    }

    @Override
    public String url() {
        String q = raw.rawQuery();
        return hostPart() + raw.path() + (q.isEmpty() ? "" : "?" + q);
    }

    @Override
    public String baseUrl() {
        return hostPart() + rootPath + "/";
    }

    String hostPart() {
        String host = raw.header("Host");
        if (host == null || host.isEmpty()) {
            SocketAddress local = raw.localAddress();
            host = local instanceof java.net.InetSocketAddress a ? a.getHostString() + ":" + a.getPort() : "localhost";
        }
        return raw.scheme() + "://" + host;
    }

    @Override
    public Headers headers() {
        return raw.headers();
    }

    @Override
    public Map<String, String> pathParams() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pathNames.size(); i++) {
            m.put(pathNames.get(i), pathValues[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public Map<String, List<String>> queryParams() {
        Map<String, List<String>> q = query;
        if (q == null) {
            q = query = Collections.unmodifiableMap(UrlCodec.parseForm(raw.rawQuery()));
        }
        return q;
    }

    @Override
    public Map<String, String> cookies() {
        Map<String, String> c = cookies;
        if (c == null) {
            c = cookies = Collections.unmodifiableMap(
                    UrlCodec.parseCookies(raw.headers().getAll("Cookie")));
        }
        return c;
    }

    @Override
    public SocketAddress client() {
        return raw.remoteAddress();
    }

    @Override
    public State state() {
        State s = state;
        if (s == null) {
            s = state = new State(app.state());
        }
        return s;
    }

    @Override
    public App app() {
        return app;
    }

    @Override
    public byte[] body() {
        byte[] b = body;
        if (b == null) {
            b = body = raw.body().readAll();
        }
        return b;
    }

    @Override
    public JsonNode json() {
        Errors errors = new Errors();
        JsonNode n = jsonBody(errors, true);
        if (!errors.isEmpty()) {
            throw new dev.spindle.web.RequestValidationError(errors.list());
        }
        return n;
    }

    @Override
    public Map<String, List<Object>> form() {
        Map<String, List<Object>> f = form;
        if (f == null) {
            f = form = Collections.unmodifiableMap(readForm());
        }
        return f;
    }

    @Override
    public dev.spindle.http.Request raw() {
        return raw;
    }

    // ---- BackgroundTasks -----------------------------------------------------------------------------------

    @Override
    public void add(Task task) {
        if (tasks == null) {
            tasks = new ArrayList<>(2);
        }
        tasks.add(java.util.Objects.requireNonNull(task, "task"));
    }

    // ---- bodies --------------------------------------------------------------------------------------------

    /** The media type of the body, lower case, without parameters ({@code ""} if none). */
    String mediaType() {
        String ct = raw.header("Content-Type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    boolean isJsonBody() {
        String mt = mediaType();
        return mt.equals("application/json") || (mt.startsWith("application/") && mt.endsWith("+json"));
    }

    /** Whether a body was sent (bytes, or a declared length). */
    boolean hasBody() {
        return body != null ? body.length > 0 : raw.body().isPresent() && body().length > 0;
    }

    /**
     * The body as JSON: {@code null} if there is none; a text node of the body if its content type is not JSON
     * (so that a model parameter reports it as the wrong type, as FastAPI does); reports {@code json_invalid}.
     */
    JsonNode jsonBody(Errors errors, boolean anyType) {
        if (!jsonRead) {
            jsonRead = true;
            if (!hasBody()) {
                json = null;
            } else if (!isJsonBody() && !anyType) {
                json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(
                        new String(body(), StandardCharsets.UTF_8));
            } else {
                try {
                    json = BodyReader.READER.readTree(body());
                    if (json == null || json.isMissingNode()) {
                        json = null;
                    }
                } catch (JsonProcessingException e) {
                    jsonError = e.getOriginalMessage();
                    if (jsonError != null) {
                        jsonError = jsonError.lines().findFirst().orElse(jsonError);
                    }
                    jsonErrorOffset = e.getLocation() == null
                            ? 0
                            : (int) Math.max(0, e.getLocation().getCharOffset());
                    if (e instanceof JsonParseException && jsonErrorOffset > 0) {
                        jsonErrorOffset--;
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        if (jsonError != null) {
            errors.add(
                    "json_invalid",
                    Loc.of("body").with(jsonErrorOffset),
                    "JSON decode error",
                    Map.of(),
                    Map.of("error", jsonError));
        }
        return json;
    }

    boolean jsonInvalid() {
        return jsonError != null;
    }

    private Map<String, List<Object>> readForm() {
        String mt = mediaType();
        if (mt.equals("application/x-www-form-urlencoded")) {
            Map<String, List<Object>> m = new LinkedHashMap<>();
            UrlCodec.parseForm(new String(body(), StandardCharsets.UTF_8))
                    .forEach((k, v) -> m.put(k, new ArrayList<>(v)));
            return m;
        }
        if (mt.equals("multipart/form-data")) {
            String boundary = Multipart.boundary(raw.header("Content-Type"));
            if (boundary == null) {
                throw new HTTPException(400, "Missing boundary in multipart.");
            }
            if (uploads == null) {
                uploads = new ArrayList<>();
            }
            return Multipart.parse(
                    body != null ? new ByteArrayInputStream(body) : raw.body().asInputStream(), boundary, uploads);
        }
        return new HashMap<>();
    }

    Response temporal() {
        Response r = temporal;
        if (r == null) {
            r = temporal = new Response();
        }
        return r;
    }
}
