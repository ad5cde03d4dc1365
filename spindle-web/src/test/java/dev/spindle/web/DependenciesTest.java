package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.http.Headers;
import dev.spindle.web.depends.Depends;
import dev.spindle.web.depends.Provides;
import dev.spindle.web.depends.Yield;
import dev.spindle.web.params.Default;
import dev.spindle.web.params.Header;
import dev.spindle.web.params.Query;
import dev.spindle.web.security.APIKeyHeader;
import dev.spindle.web.security.HTTPAuthorizationCredentials;
import dev.spindle.web.security.HTTPBasic;
import dev.spindle.web.security.HTTPBasicCredentials;
import dev.spindle.web.security.HTTPBearer;
import dev.spindle.web.security.OAuth2PasswordBearer;
import dev.spindle.web.security.OAuth2PasswordRequestForm;
import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Dependencies: typed params, sub-dependencies, caching, cleanup, levels, overrides; security helpers. */
class DependenciesTest {
    static final List<String> log = new CopyOnWriteArrayList<>();
    static final AtomicInteger calls = new AtomicInteger();

    record CommonParams(
            @Query Optional<String> q,
            @Query @Default("0") int skip,
            @Query @Default("100") int limit) {}

    static final class Counter {
        @Provides
        static int next() {
            return calls.incrementAndGet();
        }
    }

    static final class Db {
        @Provides
        Yield<String> session() {
            log.add("open");
            return Yield.of("session", error -> {
                log.add("close:" + (error == null ? "ok" : error.getClass().getSimpleName()));
                if (error instanceof IllegalStateException) {
                    throw new HTTPException(409, "rolled back");
                }
            });
        }
    }

    static final class VerifyToken {
        @Provides
        static void verify(@Header("x-token") String token) {
            if (!token.equals("fake-super-secret-token")) {
                throw new HTTPException(400, "X-Token header invalid");
            }
        }
    }

    static final class CurrentUser {
        @Provides
        String user(@Depends(OAuth2PasswordBearer.class) String token, SecurityScopes scopes) {
            if (!token.startsWith("tok-")) {
                throw new HTTPException(401, "Invalid token", Map.of("WWW-Authenticate", "Bearer"));
            }
            for (String s : scopes.scopes()) {
                if (!token.contains(s)) {
                    throw new HTTPException(
                            401,
                            "Not enough permissions",
                            Map.of("WWW-Authenticate", "Bearer scope=\"" + scopes.scopeStr() + "\""));
                }
            }
            return token.substring(4);
        }
    }

    static final class Routes {
        @Get("/items/")
        Map<String, Object> items(@Depends CommonParams commons) {
            return Map.of("q", commons.q().orElse(""), "skip", commons.skip(), "limit", commons.limit());
        }

        @Get("/cached")
        List<Integer> cached(
                @Depends(Counter.class) int a,
                @Depends(Counter.class) int b,
                @Depends(value = Counter.class, useCache = false) int c) {
            return List.of(a, b, c);
        }

        @Get("/db")
        String db(@Depends(Db.class) String session, BackgroundTasks tasks) {
            log.add("handler:" + session);
            tasks.add(() -> log.add("background"));
            return session;
        }

        @Get("/db-fails")
        String dbFails(@Depends(Db.class) String session) {
            throw new IllegalStateException("conflict");
        }

        @Get("/me")
        String me(@Depends(CurrentUser.class) String user) {
            return user;
        }

        @Get("/me/items")
        String myItems(@Depends(value = CurrentUser.class, scopes = "items") String user) {
            return user + " may read items";
        }

        @Post("/token")
        Map<String, String> token(@Depends OAuth2PasswordRequestForm form) {
            if (!form.password().equals("secret")) {
                throw new HTTPException(400, "Incorrect username or password");
            }
            return Map.of(
                    "access_token",
                    "tok-" + form.username() + "-" + String.join("-", form.scopes()),
                    "token_type",
                    "bearer");
        }

        @Get("/basic")
        String basic(@Depends(HTTPBasic.class) HTTPBasicCredentials c) {
            return c.username() + ":" + c.password();
        }

        @Get("/bearer")
        String bearer(@Depends(HTTPBearer.class) HTTPAuthorizationCredentials c) {
            return c.credentials();
        }

        @Get("/key")
        String key(@Depends(APIKeyHeader.class) String key) {
            return key;
        }
    }

    static App app() {
        App app = new App();
        app.provide(new OAuth2PasswordBearer("token", Map.of("items", "Read items"), true));
        app.provide(new HTTPBasic("test", true));
        app.provide(new APIKeyHeader("X-API-Key"));
        app.include(new Routes());
        Router admin = new Router("/admin").dependencies(VerifyToken.class);
        admin.get("/ping", r -> "pong");
        app.include(admin);
        return app;
    }

    @Test
    void classAsDependencyAndCaching() {
        try (TestClient client = TestClient.serve(app())) {
            assertEquals(
                    "{\"q\":\"x\",\"skip\":0,\"limit\":5}".length(),
                    client.get("/items/?q=x&limit=5").text().length());
            assertEquals(
                    5, client.get("/items/?q=x&limit=5").json().get("limit").asInt());
            assertEquals(
                    "int_parsing",
                    client.get("/items/?skip=z").json().at("/detail/0/type").asText());
            calls.set(0);
            assertEquals("[1,1,2]", client.get("/cached").text());
        }
    }

    @Test
    void cleanupAfterResponseAndErrorsThrownIn() {
        try (TestClient client = TestClient.serve(app())) {
            log.clear();
            assertEquals("\"session\"", client.get("/db").text());
            awaitLog(4); // teardown and background run after the response has gone
            assertEquals(List.of("open", "handler:session", "close:ok", "background"), new ArrayList<>(log));
            log.clear();
            TestResponse r = client.get("/db-fails");
            assertEquals(409, r.status(), r.text());
            assertEquals(List.of("open", "close:IllegalStateException"), new ArrayList<>(log));
        }
    }

    private static void awaitLog(int size) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (log.size() < size && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @Test
    void routerLevelDependencies() {
        try (TestClient client = TestClient.serve(app())) {
            assertEquals(
                    "missing",
                    client.get("/admin/ping").json().at("/detail/0/type").asText());
            assertEquals(
                    "[\"header\",\"x-token\"]",
                    client.get("/admin/ping").json().at("/detail/0/loc").toString());
            assertEquals(
                    400, client.get("/admin/ping", Headers.of("X-Token", "no")).status());
            assertEquals(
                    "\"pong\"",
                    client.get("/admin/ping", Headers.of("X-Token", "fake-super-secret-token"))
                            .text());
        }
    }

    @Test
    void overridesForTests() {
        App app = app();
        try (TestClient client = TestClient.of(app)) {
            app.dependencyOverrides().put(CurrentUser.class, (Supplier<String>) () -> "tester");
            assertEquals("\"tester\"", client.get("/me").text());
            app.dependencyOverrides().clear();
            assertEquals(401, client.get("/me").status());
        }
    }

    @Test
    void oauth2PasswordFlowWithScopes() {
        try (TestClient client = TestClient.serve(app())) {
            TestResponse none = client.get("/me");
            assertEquals(401, none.status());
            assertEquals("{\"detail\":\"Not authenticated\"}", none.text());
            assertEquals("Bearer", none.header("www-authenticate"));
            assertEquals(
                    400,
                    client.postForm("/token", Map.of("username", "jo", "password", "bad"))
                            .status());
            String token = client.postForm("/token", Map.of("username", "jo", "password", "secret", "scope", "items"))
                    .json()
                    .get("access_token")
                    .asText();
            assertEquals(
                    "\"jo-items\"",
                    client.get("/me", Headers.of("Authorization", "Bearer " + token))
                            .text());
            assertEquals(
                    "\"jo-items may read items\"",
                    client.get("/me/items", Headers.of("Authorization", "Bearer " + token))
                            .text());
            String plain = client.postForm("/token", Map.of("username", "jo", "password", "secret"))
                    .json()
                    .get("access_token")
                    .asText();
            TestResponse denied = client.get("/me/items", Headers.of("Authorization", "Bearer " + plain));
            assertEquals(401, denied.status());
            assertEquals("Bearer scope=\"items\"", denied.header("www-authenticate"));
            assertEquals(
                    "string_pattern_mismatch",
                    client.postForm("/token", Map.of("username", "jo", "password", "secret", "grant_type", "other"))
                            .json()
                            .at("/detail/0/type")
                            .asText());
        }
    }

    @Test
    void basicBearerAndApiKeys() {
        try (TestClient client = TestClient.serve(app())) {
            TestResponse no = client.get("/basic");
            assertEquals(401, no.status());
            assertEquals("Basic realm=\"test\"", no.header("www-authenticate"));
            String auth = "Basic " + Base64.getEncoder().encodeToString("stanley:swordfish".getBytes());
            assertEquals(
                    "\"stanley:swordfish\"",
                    client.get("/basic", Headers.of("Authorization", auth)).text());
            assertEquals(
                    401,
                    client.get("/basic", Headers.of("Authorization", "Basic !!!"))
                            .status());
            assertEquals(
                    "\"abc\"",
                    client.get("/bearer", Headers.of("Authorization", "Bearer abc"))
                            .text());
            assertEquals(
                    401,
                    client.get("/bearer", Headers.of("Authorization", "Basic abc"))
                            .status());
            assertEquals(
                    "\"k1\"", client.get("/key", Headers.of("X-API-Key", "k1")).text());
            assertEquals(401, client.get("/key").status());
        }
    }

    @Test
    void securitySchemesInOpenApi() throws Exception {
        App app = app();
        JsonNode doc = new ObjectMapper().readTree(app.openapi());
        assertEquals(
                "oauth2",
                doc.at("/components/securitySchemes/OAuth2PasswordBearer/type").asText());
        assertEquals(
                "token",
                doc.at("/components/securitySchemes/OAuth2PasswordBearer/flows/password/tokenUrl")
                        .asText());
        assertEquals(
                "[{\"OAuth2PasswordBearer\":[\"items\"]}]",
                doc.at("/paths/~1me~1items/get/security").toString());
        assertEquals(
                "basic", doc.at("/components/securitySchemes/HTTPBasic/scheme").asText());
        assertEquals(
                "header", doc.at("/components/securitySchemes/APIKeyHeader/in").asText());
        JsonNode p = doc.at("/paths/~1admin~1ping/get/parameters/0");
        assertEquals("x-token", p.get("name").asText());
        assertEquals("header", p.get("in").asText());
        assertTrue(p.get("required").asBoolean());
        assertEquals(
                "application/x-www-form-urlencoded",
                doc.at("/paths/~1token/post/requestBody/content").fieldNames().next());
    }
}
