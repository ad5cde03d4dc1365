package dev.spindle.web.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.spindle.web.App;
import dev.spindle.web.HTTPException;
import dev.spindle.web.Request;
import dev.spindle.web.params.Body;
import dev.spindle.web.responses.Response;
import dev.spindle.web.security.SecurityScheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI 3.1 document, generated from the compiled routes (FastAPI's {@code get_openapi}), and the pages that
 * show it: Swagger UI at {@code /docs} (with its OAuth2 redirect page) and ReDoc at {@code /redoc}, their scripts
 * served from the webjars on the class path, so the docs work offline.
 */
public final class Docs {
    private Docs() {}

    private static final Map<String, byte[]> ASSETS = new ConcurrentHashMap<>();

    /** The routes that serve the document and the docs pages (empty if the app turned them off). */
    public static List<RouteDef> routes(App app) {
        List<RouteDef> out = new ArrayList<>();
        String openapiUrl = app.openapiUrl();
        if (openapiUrl == null) {
            return out;
        }
        out.add(AppBuilder.internalRoute(openapiUrl, r -> Response.bytes(app.openapi(), "application/json")));
        String docs = app.docsUrl();
        if (docs != null) {
            String title = escape(app.title());
            out.add(AppBuilder.internalRoute(docs, r -> Response.html(swaggerPage(r, title, docs, openapiUrl))));
            out.add(AppBuilder.internalRoute(
                    docs + "/oauth2-redirect",
                    r -> asset("swagger-ui", "oauth2-redirect.html", "text/html; charset=utf-8")));
            out.add(AppBuilder.internalRoute(docs + "/{file}", r -> {
                String file = r.pathParams().get("file");
                return switch (file) {
                    case "swagger-ui-bundle.js", "oauth2-redirect.js" ->
                        asset("swagger-ui", file, "text/javascript; charset=utf-8");
                    case "swagger-ui.css" -> asset("swagger-ui", file, "text/css; charset=utf-8");
                    case "favicon-32x32.png" -> asset("swagger-ui", file, "image/png");
                    default -> throw new HTTPException(404, "Not Found");
                };
            }));
        }
        String redoc = app.redocUrl();
        if (redoc != null) {
            String title = escape(app.title());
            out.add(AppBuilder.internalRoute(redoc, r -> Response.html(redocPage(r, title, redoc, openapiUrl))));
            out.add(AppBuilder.internalRoute(
                    redoc + "/redoc.standalone.js",
                    r -> asset("redoc", "redoc.standalone.js", "text/javascript; charset=utf-8")));
        }
        return out;
    }

    private static String swaggerPage(Request r, String title, String docs, String openapiUrl) {
        String root = r.rootPath();
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>%1$s - Swagger UI</title>
                <link rel="stylesheet" type="text/css" href="%2$s%3$s/swagger-ui.css">
                <link rel="icon" type="image/png" href="%2$s%3$s/favicon-32x32.png">
                </head>
                <body>
                <div id="swagger-ui"></div>
                <script src="%2$s%3$s/swagger-ui-bundle.js"></script>
                <script>
                window.ui = SwaggerUIBundle({
                  url: "%2$s%4$s",
                  dom_id: "#swagger-ui",
                  layout: "BaseLayout",
                  deepLinking: true,
                  showExtensions: true,
                  showCommonExtensions: true,
                  oauth2RedirectUrl: window.location.origin + "%2$s%3$s/oauth2-redirect",
                  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
                });
                </script>
                </body>
                </html>
                """.formatted(title, root, docs, openapiUrl);
    }

    private static String redocPage(Request r, String title, String redoc, String openapiUrl) {
        String root = r.rootPath();
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%1$s - ReDoc</title>
                <style>body { margin: 0; padding: 0; }</style>
                </head>
                <body>
                <redoc spec-url="%2$s%4$s"></redoc>
                <script src="%2$s%3$s/redoc.standalone.js"></script>
                </body>
                </html>
                """.formatted(title, root, redoc, openapiUrl);
    }

    private static Response asset(String webjar, String file, String type) {
        byte[] bytes = ASSETS.computeIfAbsent(webjar + "/" + file, k -> load(webjar, file));
        return Response.bytes(bytes, type).header("Cache-Control", "public, max-age=86400");
    }

    private static byte[] load(String webjar, String file) {
        ClassLoader cl = Docs.class.getClassLoader();
        String version;
        try (InputStream in = cl.getResourceAsStream("META-INF/maven/org.webjars/" + webjar + "/pom.properties")) {
            if (in == null) {
                throw new HTTPException(404, "the " + webjar + " webjar is not on the class path");
            }
            Properties p = new Properties();
            p.load(in);
            version = p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (InputStream in =
                cl.getResourceAsStream("META-INF/resources/webjars/" + webjar + "/" + version + "/" + file)) {
            if (in == null) {
                throw new HTTPException(404, "Not Found");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ---- the document ------------------------------------------------------------------------------------

    /** The OpenAPI document of {@code app} as JSON bytes. */
    public static byte[] openapi(App app, AppCore core) {
        SchemaBuilder schemas = new SchemaBuilder();
        Map<String, Object> securitySchemes = new LinkedHashMap<>();
        Map<String, Object> paths = new LinkedHashMap<>();
        boolean validation = false;
        for (Object e : core.entries) {
            if (!(e instanceof Route r) || !r.def.includeInSchema() || r.def.websocket()) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>)
                    paths.computeIfAbsent(openapiPath(r.pattern.path()), k -> new LinkedHashMap<>());
            for (String method : r.methods.stream().sorted().toList()) {
                if (method.equals("HEAD") && r.methods.contains("GET")) {
                    continue;
                }
                Operation op = operation(r, method, schemas, securitySchemes);
                validation |= op.validates;
                item.put(method.toLowerCase(java.util.Locale.ROOT), op.body);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> resolvedPaths = (Map<String, Object>) schemas.finish(paths);
        paths = resolvedPaths;
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("title", app.title());
        if (!app.description().isEmpty()) {
            info.put("description", app.description());
        }
        info.put("version", app.version());
        doc.put("info", info);
        doc.put("paths", paths);
        if (!app.tagDescriptions().isEmpty()) {
            List<Map<String, Object>> tags = new ArrayList<>();
            app.tagDescriptions().forEach((name, description) -> {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("name", name);
                if (!description.isEmpty()) {
                    t.put("description", description);
                }
                tags.add(t);
            });
            doc.put("tags", tags);
        }
        if (validation) {
            schemas.components.put(
                    "HTTPValidationError",
                    Map.of(
                            "properties",
                            Map.of(
                                    "detail",
                                    Map.of(
                                            "items",
                                            Map.of("$ref", "#/components/schemas/ValidationError"),
                                            "type",
                                            "array",
                                            "title",
                                            "Detail")),
                            "type",
                            "object",
                            "title",
                            "HTTPValidationError"));
            Map<String, Object> ve = new LinkedHashMap<>();
            Map<String, Object> props = new LinkedHashMap<>();
            props.put(
                    "loc",
                    Map.of(
                            "items",
                            Map.of("anyOf", List.of(Map.of("type", "string"), Map.of("type", "integer"))),
                            "type",
                            "array",
                            "title",
                            "Location"));
            props.put("msg", Map.of("type", "string", "title", "Message"));
            props.put("type", Map.of("type", "string", "title", "Error Type"));
            props.put("input", Map.of("title", "Input"));
            props.put("ctx", Map.of("type", "object", "title", "Context"));
            ve.put("properties", props);
            ve.put("type", "object");
            ve.put("required", List.of("loc", "msg", "type"));
            ve.put("title", "ValidationError");
            schemas.components.put("ValidationError", ve);
        }
        Map<String, Object> components = new LinkedHashMap<>();
        if (!schemas.components.isEmpty()) {
            components.put("schemas", schemas.components);
        }
        if (!securitySchemes.isEmpty()) {
            components.put("securitySchemes", securitySchemes);
        }
        if (!components.isEmpty()) {
            doc.put("components", components);
        }
        try {
            return Json.MAPPER.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the OpenAPI document", e);
        }
    }

    /** {@code /files/{p:path}} is {@code /files/{p}} in OpenAPI. */
    private static String openapiPath(String path) {
        return path.replaceAll("\\{([A-Za-z_][A-Za-z0-9_]*):[a-z]+}", "{$1}");
    }

    private record Operation(Map<String, Object> body, boolean validates) {}

    private static Operation operation(
            Route r, String method, SchemaBuilder schemas, Map<String, Object> securitySchemes) {
        Map<String, Object> op = new LinkedHashMap<>();
        RouteDef d = r.def;
        if (!d.tags().isEmpty()) {
            op.put("tags", d.tags());
        }
        String name = d.method() != null ? d.method().getName() : r.operationId;
        op.put("summary", d.summary().isEmpty() ? SchemaBuilder.title(name) : d.summary());
        if (!d.description().isEmpty()) {
            op.put("description", d.description());
        }
        op.put("operationId", r.operationId);
        if (d.deprecated()) {
            op.put("deprecated", true);
        }
        // every parameter of the route and its dependency tree, once each
        List<ParamSpec> all = new ArrayList<>();
        List<Map<String, Object>> security = new ArrayList<>();
        Set<DependencyNode> seen = new LinkedHashSet<>();
        for (ParamSpec p : r.dependencies) {
            collect(p, all, security, seen, List.of(), securitySchemes);
        }
        if (r.invocable != null) {
            for (ParamSpec p : r.invocable.params) {
                collect(p, all, security, seen, List.of(), securitySchemes);
            }
        }
        List<Map<String, Object>> parameters = new ArrayList<>();
        Set<String> seenParams = new LinkedHashSet<>();
        List<ParamSpec> bodies = new ArrayList<>();
        boolean form = false;
        boolean multipart = false;
        for (ParamSpec p : all) {
            switch (p.kind) {
                case PATH, QUERY, HEADER, COOKIE -> {
                    if (seenParams.add(p.source + ":" + p.name) && p.metaFlag("includeInSchema", true)) {
                        parameters.add(parameter(p, schemas));
                    }
                }
                case MODEL -> {
                    for (ParamSpec f : p.modelFields) {
                        if (f.kind == ParamSpec.Kind.FORM) {
                            bodies.add(f);
                            form = true;
                        } else if (seenParams.add(f.source + ":" + f.name)) {
                            parameters.add(parameter(f, schemas));
                        }
                    }
                }
                case BODY -> bodies.add(p);
                case FORM -> {
                    bodies.add(p);
                    form = true;
                }
                case FILE -> {
                    bodies.add(p);
                    multipart = true;
                }
                default -> {}
            }
        }
        if (!parameters.isEmpty()) {
            op.put("parameters", parameters);
        }
        if (!bodies.isEmpty()) {
            op.put("requestBody", requestBody(r, bodies, form, multipart, schemas));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        int status = d.status() == 0 ? 200 : d.status();
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("description", d.responseDescription());
        if (status != 204 && status != 304) {
            schemas.mode = SchemaBuilder.Mode.OUTPUT;
            Map<String, Object> schema = r.model == null ? Map.of() : schemas.schema(r.model, new Annotation[0]);
            schemas.mode = SchemaBuilder.Mode.INPUT;
            ok.put("content", Map.of("application/json", Map.of("schema", schema)));
        }
        responses.put(String.valueOf(status), ok);
        boolean validates = !parameters.isEmpty() || !bodies.isEmpty();
        if (validates) {
            responses.put(
                    "422",
                    Map.of(
                            "description",
                            "Validation Error",
                            "content",
                            Map.of(
                                    "application/json",
                                    Map.of("schema", Map.of("$ref", "#/components/schemas/HTTPValidationError")))));
        }
        for (ExtraResponse x : d.responses()) {
            if (x.status() == status) {
                continue;
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("description", x.description().isEmpty() ? Statuses.phrase(x.status()) : x.description());
            if (x.model() != Void.class) {
                schemas.mode = SchemaBuilder.Mode.OUTPUT;
                extra.put(
                        "content",
                        Map.of(
                                "application/json",
                                Map.of("schema", schemas.schema(Types.of(x.model()), new Annotation[0]))));
                schemas.mode = SchemaBuilder.Mode.INPUT;
            }
            responses.put(String.valueOf(x.status()), extra);
        }
        op.put("responses", responses);
        if (!security.isEmpty()) {
            op.put("security", security);
        }
        return new Operation(op, validates);
    }

    private static void collect(
            ParamSpec p,
            List<ParamSpec> out,
            List<Map<String, Object>> security,
            Set<DependencyNode> seen,
            List<String> scopes,
            Map<String, Object> securitySchemes) {
        if (p.kind != ParamSpec.Kind.DEPENDS) {
            out.add(p);
            return;
        }
        List<String> sc = new ArrayList<>(scopes);
        sc.addAll(p.scopes);
        DependencyNode node = p.dependency;
        if (node.security != null) {
            SecurityScheme s = node.security;
            securitySchemes.put(s.schemeName(), s.openApi());
            Map<String, Object> req = Map.of(s.schemeName(), List.copyOf(new LinkedHashSet<>(sc)));
            security.removeIf(m -> m.containsKey(s.schemeName()) && ((List<?>) m.get(s.schemeName())).isEmpty());
            if (!security.contains(req)) {
                security.add(req);
            }
        }
        if (!seen.add(node) && node.security == null) {
            return;
        }
        for (ParamSpec q : node.invocable.params) {
            collect(q, out, security, seen, sc, securitySchemes);
        }
    }

    private static Map<String, Object> parameter(ParamSpec p, SchemaBuilder schemas) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name);
        m.put("in", p.source);
        m.put("required", p.required);
        Map<String, Object> schema = new LinkedHashMap<>(schemas.schema(p.type, p.annotations));
        schema.put("title", SchemaBuilder.title(p.name));
        if (!p.required && p.defaultValue != null && !(p.defaultValue instanceof java.util.Optional)) {
            schema.put("default", Json.MAPPER.valueToTree(p.defaultValue));
        }
        m.put("schema", schema);
        String description = p.metaString("description");
        if (!description.isEmpty()) {
            m.put("description", description);
        }
        String example = p.metaString("example");
        if (!example.isEmpty()) {
            m.put("example", SchemaBuilder.example(example));
        }
        if (p.metaFlag("deprecated", false)) {
            m.put("deprecated", true);
        }
        return m;
    }

    private static Map<String, Object> requestBody(
            Route r, List<ParamSpec> bodies, boolean form, boolean multipart, SchemaBuilder schemas) {
        Map<String, Object> body = new LinkedHashMap<>();
        String mediaType =
                multipart ? "multipart/form-data" : form ? "application/x-www-form-urlencoded" : "application/json";
        Map<String, Object> schema;
        boolean required;
        if (bodies.size() == 1 && bodies.getFirst().kind == ParamSpec.Kind.BODY && !bodies.getFirst().embedded) {
            ParamSpec p = bodies.getFirst();
            schema = new LinkedHashMap<>(schemas.schema(p.type, p.annotations));
            if (!schema.containsKey("$ref")) {
                schema.put("title", SchemaBuilder.title(p.name));
            }
            required = p.required;
            if (p.meta instanceof Body b && !b.mediaType().equals("application/json")) {
                mediaType = b.mediaType();
            }
        } else {
            Map<String, Object> props = new LinkedHashMap<>();
            List<String> req = new ArrayList<>();
            for (ParamSpec p : bodies) {
                Map<String, Object> s = new LinkedHashMap<>(
                        p.kind == ParamSpec.Kind.FILE ? fileSchema(p) : schemas.schema(p.type, p.annotations));
                s.put("title", SchemaBuilder.title(p.name));
                if (!p.required && p.defaultValue != null && !(p.defaultValue instanceof java.util.Optional)) {
                    s.put("default", Json.MAPPER.valueToTree(p.defaultValue));
                }
                props.put(p.name, s);
                if (p.required) {
                    req.add(p.name);
                }
            }
            Map<String, Object> named = new LinkedHashMap<>();
            named.put("properties", props);
            named.put("type", "object");
            if (!req.isEmpty()) {
                named.put("required", req);
            }
            String name = "Body_" + r.operationId;
            named.put("title", name);
            schemas.components.put(name, named);
            schema = Map.of("$ref", "#/components/schemas/" + name);
            required = !req.isEmpty();
        }
        body.put("content", Map.of(mediaType, Map.of("schema", schema)));
        if (required) {
            body.put("required", true);
        }
        return body;
    }

    private static Map<String, Object> fileSchema(ParamSpec p) {
        Map<String, Object> one = Map.of("type", "string", "format", "binary");
        Map<String, Object> s = p.fileList ? Map.of("type", "array", "items", one) : one;
        return p.fileOptional ? Map.of("anyOf", List.of(s, Map.of("type", "null"))) : s;
    }
}
