package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.Headers;
import dev.spindle.web.middleware.CORSMiddleware;
import dev.spindle.web.middleware.GZipMiddleware;
import dev.spindle.web.middleware.HTTPSRedirectMiddleware;
import dev.spindle.web.middleware.TrustedHostMiddleware;
import dev.spindle.web.params.Default;
import dev.spindle.web.params.Path;
import dev.spindle.web.responses.Response;
import dev.spindle.web.settings.Settings;
import dev.spindle.web.staticfiles.StaticFiles;
import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import jakarta.validation.constraints.Max;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Middleware, exception handlers, lifespan and state, static files, settings: the app around the routes. */
class AppFeaturesTest {
    static final class UnicornException extends RuntimeException {
        final String name;

        UnicornException(String name) {
            super(name);
            this.name = name;
        }
    }

    static final class Routes {
        @Get("/unicorns/{name}")
        Map<String, String> unicorn(@Path String name) {
            if (name.equals("yolo")) {
                throw new UnicornException(name);
            }
            return Map.of("unicorn_name", name);
        }

        @Get("/boom")
        String boom() {
            throw new IllegalStateException("boom");
        }

        @Get("/big")
        Response big() {
            return Response.text("x".repeat(5000));
        }

        @Get("/bigstream")
        Response bigStream() {
            return Response.stream("text/plain", out -> {
                for (int i = 0; i < 100; i++) {
                    out.write("line " + i + "\n");
                }
            });
        }

        @Get("/state")
        Map<String, Object> state(Request request) {
            return Map.of("model", request.state().get("model", String.class));
        }
    }

    @Test
    void exceptionHandlersByTypeAndStatus() {
        App app = new App();
        app.include(new Routes());
        app.exceptionHandler(UnicornException.class, (r, e) -> Response.json(
                        Map.of("message", "Oops! " + e.name + " did something. There goes a rainbow..."))
                .status(418));
        app.exceptionHandler(
                404, (r, e) -> Response.text("nothing at " + r.path()).status(404));
        app.exceptionHandler(
                RequestValidationError.class,
                (r, e) -> Response.text(e.errors().size() + " errors").status(400));
        try (TestClient client = TestClient.serve(app)) {
            TestResponse r = client.get("/unicorns/yolo");
            assertEquals(418, r.status());
            assertEquals(
                    "Oops! yolo did something. There goes a rainbow...",
                    r.json().get("message").asText());
            assertEquals("nothing at /missing", client.get("/missing").text());
            TestResponse boom = client.get("/boom");
            assertEquals(500, boom.status());
            assertEquals("Internal Server Error", boom.text());
        }
    }

    @Test
    void serverErrorHandler() {
        App app = new App();
        app.include(new Routes());
        app.exceptionHandler(Exception.class, (r, e) -> Response.json(Map.of("error", e.getMessage()))
                .status(500));
        try (TestClient client = TestClient.of(app)) {
            assertEquals("{\"error\":\"boom\"}", client.get("/boom").text());
        }
    }

    @Test
    void middlewareOrderAndResponses() {
        List<String> order = new CopyOnWriteArrayList<>();
        App app = new App();
        app.include(new Routes());
        app.addMiddleware((request, next) -> {
            order.add("first-in");
            Response r = next.call(request);
            order.add("first-out");
            return r.header("X-First", "1");
        });
        app.addMiddleware((request, next) -> {
            order.add("second-in");
            Response r = next.call(request);
            order.add("second-out");
            return r.header("X-Process-Time", "0.1");
        });
        try (TestClient client = TestClient.serve(app)) {
            TestResponse r = client.get("/unicorns/x");
            assertEquals("1", r.header("x-first"));
            assertEquals("0.1", r.header("x-process-time"));
            assertEquals(List.of("second-in", "first-in", "first-out", "second-out"), new ArrayList<>(order));
            assertEquals("1", client.get("/nowhere").header("x-first"), "404s pass through middleware");
        }
    }

    @Test
    void cors() {
        App app = new App();
        app.include(new Routes());
        app.addMiddleware(CORSMiddleware.builder()
                .allowOrigins("https://good.example")
                .allowCredentials(true)
                .allowMethods("*")
                .allowHeaders("X-Custom")
                .exposeHeaders("X-Total")
                .build());
        try (TestClient client = TestClient.serve(app)) {
            TestResponse pre = client.options(
                    "/unicorns/x",
                    Headers.of(
                            "Origin",
                            "https://good.example",
                            "Access-Control-Request-Method",
                            "PUT",
                            "Access-Control-Request-Headers",
                            "x-custom"));
            assertEquals(200, pre.status());
            assertEquals("OK", pre.text());
            assertEquals("https://good.example", pre.header("access-control-allow-origin"));
            assertEquals("true", pre.header("access-control-allow-credentials"));
            assertTrue(pre.header("access-control-allow-methods").contains("PUT"));
            assertEquals("600", pre.header("access-control-max-age"));
            TestResponse bad = client.options(
                    "/unicorns/x",
                    Headers.of(
                            "Origin",
                            "https://evil.example",
                            "Access-Control-Request-Method",
                            "GET",
                            "Access-Control-Request-Headers",
                            "x-other"));
            assertEquals(400, bad.status());
            assertEquals("Disallowed CORS origin, headers", bad.text());
            TestResponse simple = client.get("/unicorns/x", Headers.of("Origin", "https://good.example"));
            assertEquals("https://good.example", simple.header("access-control-allow-origin"));
            assertEquals("X-Total", simple.header("access-control-expose-headers"));
            assertEquals("Origin", simple.header("vary"));
            assertNull(client.get("/unicorns/x", Headers.of("Origin", "https://evil.example"))
                    .header("access-control-allow-origin"));
        }
    }

    @Test
    void gzip() throws Exception {
        App app = new App();
        app.include(new Routes());
        app.addMiddleware(new GZipMiddleware(1000, 5));
        try (TestClient client = TestClient.serve(app)) {
            TestResponse r = client.get("/big", Headers.of("Accept-Encoding", "gzip"));
            assertEquals("gzip", r.header("content-encoding"));
            assertTrue(r.body().length < 200);
            assertEquals(
                    "x".repeat(5000),
                    new String(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes()));
            TestResponse s = client.get("/bigstream", Headers.of("Accept-Encoding", "gzip"));
            String lines = new String(new GZIPInputStream(new ByteArrayInputStream(s.body())).readAllBytes());
            assertTrue(lines.startsWith("line 0\n") && lines.endsWith("line 99\n"));
            assertNull(client.get("/big").header("content-encoding"));
            assertNull(client.get("/unicorns/x", Headers.of("Accept-Encoding", "gzip"))
                    .header("content-encoding"));
            assertNull(client.get("/big", Headers.of("Accept-Encoding", "gzip;q=0"))
                    .header("content-encoding"));
        }
    }

    @Test
    void trustedHostsAndHttpsRedirect() {
        App app = new App();
        app.include(new Routes());
        app.addMiddleware(new TrustedHostMiddleware(List.of("example.com", "*.example.com", "127.0.0.1")));
        try (TestClient client = TestClient.of(app)) {
            assertEquals(
                    400,
                    client.get("/unicorns/x", Headers.of("Host", "evil.com")).status());
            assertEquals(
                    "Invalid host header",
                    client.get("/unicorns/x", Headers.of("Host", "evil.com")).text());
            assertEquals(
                    200,
                    client.get("/unicorns/x", Headers.of("Host", "api.example.com:8443"))
                            .status());
        }
        App secure = new App();
        secure.include(new Routes());
        secure.addMiddleware(new HTTPSRedirectMiddleware());
        try (TestClient client = TestClient.serve(secure)) {
            TestResponse r = client.get("/unicorns/x?y=1");
            assertEquals(307, r.status());
            assertEquals("https://127.0.0.1:" + client.port() + "/unicorns/x?y=1", r.header("location"));
        }
    }

    @Test
    void lifespanAndState() {
        List<String> events = new CopyOnWriteArrayList<>();
        App app = new App();
        app.include(new Routes());
        app.lifespan(a -> {
            events.add("startup");
            a.state().put("model", "answer-42");
            return () -> events.add("shutdown");
        });
        try (TestClient client = TestClient.serve(app)) {
            assertEquals(List.of("startup"), new ArrayList<>(events));
            assertEquals("answer-42", client.get("/state").json().get("model").asText());
        }
        assertEquals(List.of("startup", "shutdown"), new ArrayList<>(events));
        App failing = new App();
        failing.lifespan(a -> {
            throw new IllegalStateException("no database");
        });
        assertThrows(IllegalStateException.class, () -> TestClient.of(failing));
    }

    @TempDir
    java.nio.file.Path site;

    @Test
    void staticFiles() throws Exception {
        Files.writeString(site.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(site.resolve("404.html"), "<h1>lost</h1>");
        Files.createDirectories(site.resolve("docs"));
        Files.writeString(site.resolve("docs/index.html"), "<h1>docs</h1>");
        Files.writeString(site.resolve("app.js"), "console.log(1)");
        java.nio.file.Path outside = Files.createTempFile("secret", ".txt");
        Files.writeString(outside, "secret");
        App app = new App();
        app.mount("/static", StaticFiles.directory(site));
        app.mount("/site", StaticFiles.directory(site).html(true));
        try (TestClient client = TestClient.serve(app)) {
            TestResponse js = client.get("/static/app.js");
            assertEquals(200, js.status());
            assertEquals("console.log(1)", js.text());
            assertTrue(js.header("etag") != null);
            assertEquals(404, client.get("/static/nothing.js").status());
            assertEquals(
                    404, client.get("/static/../../" + outside.getFileName()).status());
            assertEquals(404, client.get("/static/%2e%2e/%2e%2e/etc/passwd").status());
            assertEquals(404, client.get("/static/docs").status());
            assertEquals("<h1>docs</h1>", client.get("/site/docs/").text());
            assertEquals(307, client.get("/site/docs").status());
            TestResponse lost = client.get("/site/missing");
            assertEquals(404, lost.status());
            assertEquals("<h1>lost</h1>", lost.text());
            assertEquals(
                    206,
                    client.get("/static/app.js", Headers.of("Range", "bytes=0-3"))
                            .status());
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    record AppSettings(
            @Default("Awesome API") String appName,
            String adminEmail,
            @Default("50") @Max(1000) int itemsPerUser,
            Optional<List<String>> hosts) {}

    @Test
    void settingsFromEnvironmentAndDotEnv(@TempDir java.nio.file.Path dir) throws Exception {
        AppSettings s = Settings.from(AppSettings.class, Map.of("ADMINEMAIL", "a@b.c", "ITEMSPERUSER", "7"), "");
        assertEquals(new AppSettings("Awesome API", "a@b.c", 7, Optional.empty()), s);
        java.nio.file.Path env = dir.resolve(".env");
        Files.writeString(env, "# settings\nexport MY_ADMINEMAIL=\"x@y.z\"\nMY_HOSTS=[\"a\",\"b\"] # two\n");
        AppSettings f = Settings.load(AppSettings.class, env, "MY_");
        assertEquals("x@y.z", f.adminEmail());
        assertEquals(List.of("a", "b"), f.hosts().orElseThrow());
        Settings.SettingsError e = assertThrows(
                Settings.SettingsError.class,
                () -> Settings.from(AppSettings.class, Map.of("ITEMSPERUSER", "5000"), ""));
        assertEquals(
                List.of("less_than_equal", "missing"),
                e.errors().stream().map(ErrorDetail::type).sorted().toList());
    }
}
