package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.web.params.Path;
import dev.spindle.web.params.Query;
import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Routes, path parameters and converters, 404/405/307, routers and mounts, over a real socket. */
class RoutingTest {
    enum ModelName {
        alexnet,
        resnet,
        lenet
    }

    static final class Routes {
        @Get("/")
        Map<String, String> root() {
            return Map.of("Hello", "World");
        }

        @Get("/users/me")
        Map<String, String> me() {
            return Map.of("user_id", "the current user");
        }

        @Get("/users/{user_id}")
        Map<String, String> user(@Path("user_id") String userId) {
            return Map.of("user_id", userId);
        }

        @Get("/items/{item_id}")
        Map<String, Object> item(@Path("item_id") int itemId, @Query Optional<String> q) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("item_id", itemId);
            q.ifPresent(v -> m.put("q", v));
            return m;
        }

        @Post("/items/{item_id}")
        Map<String, Object> postItem(@Path("item_id") long itemId) {
            return Map.of("posted", itemId);
        }

        @Get("/models/{model_name}")
        Map<String, Object> model(@Path("model_name") ModelName model) {
            return Map.of("model_name", model, "deep", model == ModelName.alexnet);
        }

        @Get("/files/{file_path:path}")
        Map<String, String> file(@Path("file_path") String filePath) {
            return Map.of("file_path", filePath);
        }

        @Get("/ids/{id:int}")
        Map<String, Object> byInt(@Path int id) {
            return Map.of("int", id);
        }

        @Get("/ids/{id}")
        Map<String, Object> byOther(@Path String id) {
            return Map.of("other", id);
        }

        @Get("/uuid/{u}")
        Map<String, Object> uuid(@Path UUID u) {
            return Map.of("u", u.toString());
        }

        @Get("/double/{d}")
        Map<String, Object> dbl(@Path double d) {
            return Map.of("d", d);
        }

        @Get("/slash/")
        String slash() {
            return "with slash";
        }
    }

    static App app() {
        App app = new App().title("Routing");
        app.include(new Routes());
        Router v1 = new Router("/v1").tags("v1");
        Router inner = new Router("/inner").tags("inner");
        inner.get("/ping", r -> Map.of("pong", r.rootPath() + r.path()));
        v1.include(inner);
        app.include(v1);
        App sub = new App().title("Sub");
        sub.get("/hello", r -> Map.of("sub", r.path(), "root", r.rootPath()));
        app.mount("/subapi", sub);
        return app;
    }

    static TestClient client;

    @BeforeAll
    static void start() {
        client = TestClient.serve(app());
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void rootAndPathParameters() {
        assertEquals("{\"Hello\":\"World\"}", client.get("/").text());
        TestResponse r = client.get("/items/5?q=somequery");
        assertEquals(200, r.status());
        assertEquals("application/json", r.header("content-type"));
        assertEquals(5, r.json().get("item_id").asInt());
        assertEquals("somequery", r.json().get("q").asText());
        assertEquals(
                "{\"posted\":9000000000}",
                client.post("/items/9000000000", Map.of()).text());
    }

    @Test
    void declarationOrderDecides() {
        assertEquals(
                "the current user",
                client.get("/users/me").json().get("user_id").asText());
        assertEquals("alice", client.get("/users/alice").json().get("user_id").asText());
    }

    @Test
    void badPathValueIs422WithFastApisShape() {
        TestResponse r = client.get("/items/foo");
        assertEquals(422, r.status());
        assertEquals(
                "{\"detail\":[{\"type\":\"int_parsing\",\"loc\":[\"path\",\"item_id\"],\"msg\":\"Input should be"
                        + " a valid integer, unable to parse string as an integer\",\"input\":\"foo\"}]}",
                r.text());
    }

    @Test
    void enumsByValue() {
        assertEquals(
                "{\"model_name\":\"alexnet\",\"deep\":true}".length(),
                client.get("/models/alexnet").text().length());
        TestResponse r = client.get("/models/vgg");
        assertEquals(422, r.status());
        assertEquals("enum", r.json().at("/detail/0/type").asText());
        assertEquals(
                "Input should be 'alexnet', 'resnet' or 'lenet'",
                r.json().at("/detail/0/msg").asText());
        assertEquals(
                "'alexnet', 'resnet' or 'lenet'",
                r.json().at("/detail/0/ctx/expected").asText());
    }

    @Test
    void pathConvertor() {
        assertEquals(
                "home/johndoe/myfile.txt",
                client.get("/files/home/johndoe/myfile.txt")
                        .json()
                        .get("file_path")
                        .asText());
        assertEquals(3, client.get("/ids/3").json().get("int").asInt());
        assertEquals("x3", client.get("/ids/x3").json().get("other").asText());
        assertEquals("a b", client.get("/users/a%20b").json().get("user_id").asText());
    }

    @Test
    void uuidAndDouble() {
        UUID u = UUID.randomUUID();
        assertEquals(u.toString(), client.get("/uuid/" + u).json().get("u").asText());
        TestResponse bad = client.get("/uuid/not-a-uuid");
        assertEquals(422, bad.status());
        assertEquals("uuid_parsing", bad.json().at("/detail/0/type").asText());
        assertEquals(2.5, client.get("/double/2.5").json().get("d").asDouble());
        assertEquals(
                "float_parsing",
                client.get("/double/x").json().at("/detail/0/type").asText());
    }

    @Test
    void notFoundAndMethodNotAllowed() {
        TestResponse r = client.get("/nope");
        assertEquals(404, r.status());
        assertEquals("{\"detail\":\"Not Found\"}", r.text());
        TestResponse m = client.request("DELETE", "/items/3", null, null);
        assertEquals(405, m.status());
        assertEquals("{\"detail\":\"Method Not Allowed\"}", m.text());
        assertEquals("GET, HEAD, POST", m.header("allow"));
    }

    @Test
    void headIsAnsweredForGet() {
        TestResponse r = client.head("/items/5");
        assertEquals(200, r.status());
        assertEquals(0, r.body().length);
        assertEquals("13", r.header("content-length"));
    }

    @Test
    void trailingSlashRedirects() {
        TestResponse r = client.get("/slash?x=1");
        assertEquals(307, r.status());
        assertTrue(r.header("location").endsWith("/slash/?x=1"), r.header("location"));
        TestResponse back = client.get("/items/5/");
        assertEquals(307, back.status());
        assertTrue(back.header("location").endsWith("/items/5"), back.header("location"));
    }

    @Test
    void nestedRoutersAndMounts() {
        assertEquals(
                "/v1/inner/ping",
                client.get("/v1/inner/ping").json().get("pong").asText());
        TestResponse r = client.get("/subapi/hello");
        assertEquals("/hello", r.json().get("sub").asText());
        assertEquals("/subapi", r.json().get("root").asText());
        assertEquals(404, client.get("/subapi/nothing").status());
        assertEquals(
                "Sub",
                client.get("/subapi/openapi.json").json().at("/info/title").asText());
    }

    @Test
    void declaringAfterStartFails() {
        App app = app();
        app.openapi();
        assertThrows(IllegalStateException.class, () -> app.addMiddleware((r, n) -> n.call(r)));
    }

    @Test
    void aBadDeclarationFailsTheStartNamingTheMethod() {
        final class Bad {
            @Get("/x/{id}")
            String x(@Path("other") int other) {
                return "";
            }
        }
        App app = new App();
        app.include(new Bad());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, app::openapi);
        assertTrue(e.getMessage().contains("Bad.x(other)"), e.getMessage());
        assertNull(null);
    }
}
