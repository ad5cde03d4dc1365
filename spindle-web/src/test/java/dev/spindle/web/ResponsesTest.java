package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.http.Headers;
import dev.spindle.web.params.Path;
import dev.spindle.web.responses.Cookie;
import dev.spindle.web.responses.Response;
import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Response models that filter, statuses, headers, cookies, every response kind, HTTPException. */
class ResponsesTest {
    record UserIn(String username, String password, String email, Optional<String> fullName) {}

    record UserOut(String username, String email, Optional<String> fullName) {}

    static final class Bean {
        public String getUsername() {
            return "bean";
        }

        public String getEmail() {
            return "b@x";
        }

        public String getSecret() {
            return "leak";
        }
    }

    @TempDir
    static java.nio.file.Path dir;

    static final class Routes {
        @Post(value = "/user/", responseModel = UserOut.class, status = 201)
        UserIn create(UserIn user) {
            return user;
        }

        @Get(value = "/bean", responseModel = UserOut.class)
        Object bean() {
            return new Bean();
        }

        @Get(value = "/map", responseModel = UserOut.class)
        Map<String, Object> map() {
            return Map.of("username", "m", "email", "m@x", "password", "leak", "extra", 1);
        }

        @Get("/list")
        List<UserOut> list() {
            return List.of(new UserOut("a", "a@x", Optional.empty()));
        }

        @Get("/items/{id}")
        Map<String, String> item(@Path String id) {
            if (!id.equals("foo")) {
                throw new HTTPException(404, "Item not found", Map.of("X-Error", "There goes my error"));
            }
            return Map.of("item", "The Foo Wrestlers");
        }

        @Get("/detail-object")
        Object detailObject() {
            throw new HTTPException(400, Map.of("code", 7, "why", List.of("a", "b")));
        }

        @Delete(value = "/things/{id}", status = 204)
        void delete(@Path int id) {}

        @Get("/temporal")
        Map<String, String> temporal(Response response) {
            response.status(202)
                    .header("X-Cat", "meow")
                    .setCookie(Cookie.of("fakesession", "fake-cookie-session")
                            .maxAge(Duration.ofHours(1))
                            .httpOnly(true)
                            .secure(true)
                            .sameSite("strict")
                            .domain("example.com")
                            .path("/app"));
            return Map.of("message", "Come to the dark side, we have cookies");
        }

        @Get("/logout")
        Response logout() {
            return Response.json(Map.of("bye", true)).deleteCookie("fakesession");
        }

        @Get("/html")
        Response html() {
            return Response.html("<h1>Hello</h1>");
        }

        @Get("/text")
        Response text() {
            return Response.text("plain words");
        }

        @Get("/redirect")
        Response redirect() {
            return Response.redirect("/html");
        }

        @Get("/stream")
        Response stream() {
            return Response.stream("text/csv", out -> {
                for (int i = 0; i < 3; i++) {
                    out.write("row," + i + "\n");
                    out.flush();
                }
            });
        }

        @Get("/sse")
        Response sse() {
            return Response.events(events -> {
                events.send("greeting", "hello\nworld", "1");
                events.send("plain");
            });
        }

        @Get("/jsonl")
        Response jsonl() {
            return Response.jsonLines(List.of(Map.of("n", 1), Map.of("n", 2)));
        }

        @Get("/file")
        Response file() throws Exception {
            java.nio.file.Path f = dir.resolve("report.txt");
            return Response.file(f).attachment("report é.txt");
        }
    }

    static TestClient client;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("report.txt"), "0123456789");
        App app = new App();
        app.include(new Routes());
        client = TestClient.serve(app);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void responseModelFiltersEveryShape() {
        TestResponse r = client.post("/user/", Map.of("username", "u", "password", "secret", "email", "u@x"));
        assertEquals(201, r.status());
        assertEquals("{\"username\":\"u\",\"email\":\"u@x\",\"fullName\":null}", r.text());
        assertFalse(
                client.get("/bean").text().contains("leak"), client.get("/bean").text());
        assertEquals(
                "{\"username\":\"bean\",\"email\":\"b@x\",\"fullName\":null}",
                client.get("/bean").text());
        assertEquals(
                "{\"username\":\"m\",\"email\":\"m@x\",\"fullName\":null}",
                client.get("/map").text());
        assertEquals(
                "[{\"username\":\"a\",\"email\":\"a@x\",\"fullName\":null}]",
                client.get("/list").text());
    }

    @Test
    void httpException() {
        TestResponse r = client.get("/items/bar");
        assertEquals(404, r.status());
        assertEquals("{\"detail\":\"Item not found\"}", r.text());
        assertEquals("There goes my error", r.header("x-error"));
        JsonNode d = client.get("/detail-object").json().get("detail");
        assertEquals(7, d.get("code").asInt());
    }

    @Test
    void noContent() {
        TestResponse r = client.delete("/things/3");
        assertEquals(204, r.status());
        assertEquals(0, r.body().length);
    }

    @Test
    void temporalResponseAndCookies() {
        TestResponse r = client.get("/temporal");
        assertEquals(202, r.status());
        assertEquals("meow", r.header("x-cat"));
        assertEquals(
                "fakesession=fake-cookie-session; Max-Age=3600; Domain=example.com; HttpOnly; Path=/app;"
                        + " SameSite=strict; Secure",
                r.header("set-cookie"));
        assertEquals("fake-cookie-session", client.cookies().get("fakesession"));
        TestResponse out = client.get("/logout");
        assertTrue(
                out.header("set-cookie")
                        .startsWith("fakesession=; Max-Age=0; expires=Thu, 01 Jan 1970 00:00:00"
                                + " GMT; Path=/; SameSite=lax"),
                out.header("set-cookie"));
        assertFalse(client.cookies().containsKey("fakesession"));
    }

    @Test
    void cookieValuesCannotInjectAttributes() {
        assertEquals(
                "a=\"x\\073 Path=/evil\"",
                Cookie.of("a", "x; Path=/evil").toHeaderValue().replace("; Path=/; SameSite=lax", ""));
    }

    @Test
    void kinds() {
        TestResponse h = client.get("/html");
        assertEquals("text/html; charset=utf-8", h.header("content-type"));
        assertEquals("<h1>Hello</h1>", h.text());
        assertEquals("text/plain; charset=utf-8", client.get("/text").header("content-type"));
        TestResponse red = client.get("/redirect");
        assertEquals(307, red.status());
        assertEquals("/html", red.header("location"));
        TestResponse s = client.get("/stream");
        assertEquals("row,0\nrow,1\nrow,2\n", s.text());
        assertEquals("chunked", s.header("transfer-encoding"));
        TestResponse sse = client.get("/sse");
        assertTrue(sse.header("content-type").startsWith("text/event-stream"));
        assertTrue(sse.text().contains("event: greeting\n"), sse.text());
        assertTrue(sse.text().contains("data: hello\ndata: world\n"), sse.text());
        assertEquals("{\"n\":1}\n{\"n\":2}\n", client.get("/jsonl").text());
        assertEquals("application/jsonl", client.get("/jsonl").header("content-type"));
    }

    @Test
    void filesWithRanges() {
        TestResponse f = client.get("/file");
        assertEquals("0123456789", f.text());
        assertEquals("attachment; filename*=utf-8''report%20%C3%A9.txt", f.header("content-disposition"));
        TestResponse part = client.get("/file", Headers.of("Range", "bytes=2-4"));
        assertEquals(206, part.status());
        assertEquals("234", part.text());
        String etag = f.header("etag");
        assertEquals(304, client.get("/file", Headers.of("If-None-Match", etag)).status());
    }
}
