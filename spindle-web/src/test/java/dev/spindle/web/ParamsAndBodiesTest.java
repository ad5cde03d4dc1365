package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.http.Headers;
import dev.spindle.web.params.Body;
import dev.spindle.web.params.Cookie;
import dev.spindle.web.params.Default;
import dev.spindle.web.params.Field;
import dev.spindle.web.params.File;
import dev.spindle.web.params.Form;
import dev.spindle.web.params.Header;
import dev.spindle.web.params.Path;
import dev.spindle.web.params.Query;
import dev.spindle.web.params.UploadFile;
import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Typed parameters from every source, bodies into records, and every violation at once in FastAPI's shape. */
class ParamsAndBodiesTest {
    enum Color {
        red,
        green
    }

    record Image(String url, @Size(max = 20) String name) {}

    record Item(
            @Size(min = 1, max = 10) String name,
            Optional<String> description,
            @Positive double price,
            Optional<Double> tax,
            @Default("[]") List<String> tags,
            Optional<Image> image,
            @Default("red") Color color,
            Optional<BigDecimal> exact,
            Optional<UUID> ref,
            Optional<LocalDate> day,
            Optional<OffsetDateTime> at,
            @Default("{}") Map<String, Integer> counts) {}

    record User(
            @Field(alias = "full_name") String fullName,
            @Email String email,
            int age) {
        @AssertTrue(message = "adults only")
        boolean isAdult() {
            return age >= 18;
        }
    }

    record FilterParams(
            @Default("100") @Max(100) int limit,
            @Default("0") int offset,
            Optional<String> orderBy) {}

    static final class Routes {
        @Get("/query")
        Map<String, Object> query(
                @Query @Default("0") int skip,
                @Query @Default("10") @Max(100) int limit,
                @Query Optional<String> q,
                @Query List<String> tag,
                @Query @Default("false") boolean shortFlag) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("skip", skip);
            m.put("limit", limit);
            m.put("q", q.orElse(null));
            m.put("tag", tag);
            m.put("short", shortFlag);
            return m;
        }

        @Get("/constrained")
        Map<String, Object> constrained(
                @Query @Size(min = 3, max = 5) @Pattern(regexp = "^fixed.*") Optional<String> q,
                @Query @Min(1) @Max(10) Optional<Integer> n) {
            return Map.of("q", q.orElse(""), "n", n.orElse(0));
        }

        @Get("/required")
        Map<String, Object> required(@Query String needy, @Query int count) {
            return Map.of("needy", needy, "count", count);
        }

        @Get("/headers")
        Map<String, Object> headers(
                @Header Optional<String> userAgent,
                @Header("x-token") List<String> xToken,
                @Cookie("ads_id") Optional<String> adsId) {
            return Map.of("ua", userAgent.orElse(""), "tokens", xToken, "ads", adsId.orElse(""));
        }

        @Get("/filter")
        FilterParams filter(@Query FilterParams filter) {
            return filter;
        }

        @Post("/items/")
        Item create(@Body Item item) {
            return item;
        }

        @Put("/items/{id}")
        Map<String, Object> update(@Path int id, Item item, @Query Optional<String> q) {
            return Map.of("id", id, "item", item, "q", q.orElse(""));
        }

        @Put("/both/{id}")
        Map<String, Object> both(@Path int id, Item item, User user, @Body int importance) {
            return Map.of("item", item.name(), "user", user.fullName(), "importance", importance);
        }

        @Post("/users")
        User user(User user) {
            return user;
        }

        @Post("/list")
        Map<String, Object> list(@Body List<Image> images) {
            return Map.of("count", images.size());
        }

        @Post("/login/")
        Map<String, String> login(@Form String username, @Form String password) {
            return Map.of("username", username);
        }

        @Post("/files/")
        Map<String, Object> upload(@File UploadFile file, @Form Optional<String> note) throws Exception {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            try (var in = file.open()) {
                d.update(in.readAllBytes());
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("filename", file.filename());
            m.put("content_type", file.contentType());
            m.put("size", file.size());
            m.put("spooled", file.isSpooled());
            m.put("sha256", HexFormat.of().formatHex(d.digest()));
            m.put("note", note.orElse(null));
            return m;
        }

        @Post("/multi/")
        Map<String, Object> multi(@File List<byte[]> files) {
            return Map.of("sizes", files.stream().map(b -> b.length).toList());
        }
    }

    static TestClient client;

    @BeforeAll
    static void start() {
        App app = new App();
        app.include(new Routes());
        client = TestClient.serve(app);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void queryDefaultsListsAndBooleans() {
        JsonNode j = client.get("/query?tag=a&tag=b&q=x&shortFlag=yes").json();
        assertEquals(0, j.get("skip").asInt());
        assertEquals(10, j.get("limit").asInt());
        assertEquals("x", j.get("q").asText());
        assertEquals("[\"a\",\"b\"]", j.get("tag").toString());
        assertTrue(j.get("short").asBoolean());
        assertEquals("missing", client.get("/query").json().at("/detail/0/type").asText(), "a List needs a value");
    }

    @Test
    void everyViolationAtOnce() {
        TestResponse r = client.get("/query?skip=x&limit=1000&shortFlag=maybe&tag=t");
        assertEquals(422, r.status());
        JsonNode d = r.json().get("detail");
        assertEquals(3, d.size(), d.toString());
        assertEquals("int_parsing", d.get(0).get("type").asText());
        assertEquals("[\"query\",\"skip\"]", d.get(0).get("loc").toString());
        assertEquals("less_than_equal", d.get(1).get("type").asText());
        assertEquals(
                "Input should be less than or equal to 100", d.get(1).get("msg").asText());
        assertEquals("{\"le\":100}", d.get(1).get("ctx").toString());
        assertEquals("bool_parsing", d.get(2).get("type").asText());
    }

    @Test
    void stringConstraints() {
        JsonNode d = client.get("/constrained?q=fixedquery&n=0").json().get("detail");
        assertEquals("string_too_long", d.get(0).get("type").asText());
        assertEquals(
                "String should have at most 5 characters", d.get(0).get("msg").asText());
        assertEquals("{\"max_length\":5}", d.get(0).get("ctx").toString());
        assertEquals("greater_than_equal", d.get(1).get("type").asText());
        JsonNode p = client.get("/constrained?q=abc").json().get("detail");
        assertEquals("string_pattern_mismatch", p.get(0).get("type").asText());
        assertEquals("{\"pattern\":\"^fixed.*\"}", p.get(0).get("ctx").toString());
        assertEquals(200, client.get("/constrained?q=fixed").status());
    }

    @Test
    void missingRequiredQuery() {
        TestResponse r = client.get("/required");
        assertEquals(
                "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"query\",\"needy\"],\"msg\":\"Field required\","
                        + "\"input\":null},{\"type\":\"missing\",\"loc\":[\"query\",\"count\"],\"msg\":\"Field required\","
                        + "\"input\":null}]}",
                r.text());
    }

    @Test
    void headersAndCookies() {
        JsonNode j = client.get(
                        "/headers",
                        Headers.of(
                                "User-Agent",
                                "probe/1",
                                "X-Token",
                                "a",
                                "X-Token",
                                "b",
                                "Cookie",
                                "ads_id=xyz; other=1"))
                .json();
        assertEquals("probe/1", j.get("ua").asText());
        assertEquals("[\"a\",\"b\"]", j.get("tokens").toString());
        assertEquals("xyz", j.get("ads").asText());
    }

    @Test
    void queryModel() {
        assertEquals(
                "{\"limit\":5,\"offset\":0,\"orderBy\":\"x\"}",
                client.get("/filter?limit=5&orderBy=x").text());
        assertEquals(
                "less_than_equal",
                client.get("/filter?limit=500").json().at("/detail/0/type").asText());
        assertEquals(
                "[\"query\",\"limit\"]",
                client.get("/filter?limit=500").json().at("/detail/0/loc").toString());
    }

    @Test
    void bodyIntoRecordRoundTrips() {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", "Foo");
        item.put("price", 35.4);
        item.put("tags", List.of("a"));
        item.put("image", Map.of("url", "http://x", "name", "pic"));
        item.put("exact", "0.1");
        item.put("ref", "5f0c1b2a-2a3b-4c5d-8e9f-0a1b2c3d4e5f");
        item.put("day", "2024-02-29");
        item.put("at", "2024-02-29T10:00:00+01:00");
        item.put("counts", Map.of("x", 1));
        JsonNode j = client.post("/items/", item).json();
        assertEquals("Foo", j.get("name").asText());
        assertEquals(35.4, j.get("price").asDouble());
        assertTrue(j.get("description").isNull());
        assertEquals("red", j.get("color").asText());
        assertEquals("0.1", j.get("exact").asText());
        assertEquals("2024-02-29", j.get("day").asText());
        assertEquals("pic", j.at("/image/name").asText());
        assertEquals(1, j.at("/counts/x").asInt());
    }

    @Test
    void bodyErrorsAllAtOnceWithNestedLocations() {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", "");
        item.put("price", -1);
        item.put("tags", List.of("ok", 5));
        item.put("image", Map.of("url", "x", "name", "a name much longer than twenty"));
        item.put("color", "blue");
        item.put("counts", Map.of("x", "y"));
        TestResponse r = client.post("/items/", item);
        assertEquals(422, r.status());
        JsonNode d = r.json().get("detail");
        List<String> types = d.findValuesAsText("type");
        assertEquals(
                List.of("string_too_short", "greater_than", "string_type", "string_too_long", "enum", "int_parsing"),
                types,
                d.toString());
        assertEquals("[\"body\",\"tags\",1]", d.get(2).get("loc").toString());
        assertEquals("[\"body\",\"image\",\"name\"]", d.get(3).get("loc").toString());
        assertEquals("[\"body\",\"counts\",\"x\"]", d.get(5).get("loc").toString());
        assertEquals("{\"gt\":0}", d.get(1).get("ctx").toString());
    }

    @Test
    void missingFieldsReportTheObjectAsInput() {
        TestResponse r = client.post("/items/", Map.of("name", "x"));
        assertEquals(
                "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\",\"price\"],\"msg\":\"Field required\","
                        + "\"input\":{\"name\":\"x\"}}]}",
                r.text());
    }

    @Test
    void invalidJsonAndWrongContentType() {
        TestResponse bad = client.request(
                "POST", "/items/", Headers.of("Content-Type", "application/json"), "{\"name\": ".getBytes());
        assertEquals(422, bad.status());
        assertEquals("json_invalid", bad.json().at("/detail/0/type").asText());
        assertEquals("body", bad.json().at("/detail/0/loc/0").asText());
        assertEquals("JSON decode error", bad.json().at("/detail/0/msg").asText());
        TestResponse text = client.request(
                "POST",
                "/items/",
                Headers.of("Content-Type", "text/plain"),
                "{\"name\":\"Foo\",\"price\":1}".getBytes());
        assertEquals(422, text.status());
        assertEquals("model_attributes_type", text.json().at("/detail/0/type").asText(), text.text());
        TestResponse none = client.request("POST", "/items/", null, new byte[0]);
        assertEquals(
                "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\"],\"msg\":\"Field required\",\"input\":"
                        + "null}]}",
                none.text());
    }

    @Test
    void bodyWithPathAndQuery() {
        JsonNode j = client.put("/items/3?q=z", Map.of("name", "N", "price", 2)).json();
        assertEquals(3, j.get("id").asInt());
        assertEquals("N", j.at("/item/name").asText());
        assertEquals("z", j.get("q").asText());
    }

    @Test
    void severalBodiesAreEmbedded() {
        Map<String, Object> body = Map.of(
                "item",
                Map.of("name", "I", "price", 1),
                "user",
                Map.of("full_name", "U", "email", "u@example.com", "age", 30),
                "importance",
                5);
        JsonNode j = client.put("/both/1", body).json();
        assertEquals("I", j.get("item").asText());
        assertEquals("U", j.get("user").asText());
        assertEquals(5, j.get("importance").asInt());
        JsonNode d = client.put("/both/1", Map.of("item", Map.of("name", "I", "price", 1)))
                .json()
                .get("detail");
        assertEquals("[\"body\",\"user\"]", d.get(0).get("loc").toString());
        assertEquals("[\"body\",\"importance\"]", d.get(1).get("loc").toString());
    }

    @Test
    void hibernateValidatorForTheRest() {
        TestResponse ok = client.post("/users", Map.of("full_name", "A", "email", "a@b.c", "age", 20));
        assertEquals("{\"full_name\":\"A\",\"email\":\"a@b.c\",\"age\":20}", ok.text());
        JsonNode d = client.post("/users", Map.of("full_name", "A", "email", "nope", "age", 10))
                .json()
                .get("detail");
        assertEquals(2, d.size(), d.toString());
        List<String> msgs = d.findValuesAsText("msg");
        assertTrue(msgs.contains("Value error, adults only"), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("value is not a valid email address")), msgs.toString());
    }

    @Test
    void listBody() {
        assertEquals(
                2,
                client.post("/list", List.of(Map.of("url", "a", "name", "b"), Map.of("url", "c", "name", "d")))
                        .json()
                        .get("count")
                        .asInt());
        assertEquals(
                "list_type",
                client.post("/list", Map.of()).json().at("/detail/0/type").asText());
    }

    @Test
    void forms() {
        assertEquals(
                "{\"username\":\"jo hn\"}",
                client.postForm("/login/", Map.of("username", "jo hn", "password", "x&y"))
                        .text());
        JsonNode d = client.postForm("/login/", Map.of("username", "x")).json();
        assertEquals("[\"body\",\"password\"]", d.at("/detail/0/loc").toString());
    }

    @Test
    void uploadsSmallAndSpooled() throws Exception {
        byte[] small = "hello".getBytes();
        JsonNode j = client.postMultipart(
                        "/files/", Map.of("file", new TestClient.FilePart("a.txt", "text/plain", small), "note", "n1"))
                .json();
        assertEquals("a.txt", j.get("filename").asText());
        assertEquals("text/plain", j.get("content_type").asText());
        assertEquals(5, j.get("size").asInt());
        assertFalse(j.get("spooled").asBoolean());
        assertEquals("n1", j.get("note").asText());
        byte[] big = new byte[3 << 20];
        new java.util.Random(7).nextBytes(big);
        JsonNode b = client.postMultipart(
                        "/files/", Map.of("file", new TestClient.FilePart("big.bin", "application/octet-stream", big)))
                .json();
        assertEquals(big.length, b.get("size").asInt());
        assertTrue(b.get("spooled").asBoolean());
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big)),
                b.get("sha256").asText());
        assertEquals(
                "[3,1]",
                client.postMultipart(
                                "/multi/",
                                Map.of(
                                        "files",
                                        List.of(
                                                new TestClient.FilePart("a", "x/y", new byte[3]),
                                                new TestClient.FilePart("b", "x/y", new byte[1]))))
                        .json()
                        .get("sizes")
                        .toString());
        assertEquals(
                "missing",
                client.postMultipart("/files/", Map.of("note", "x"))
                        .json()
                        .at("/detail/0/type")
                        .asText());
    }

    @Test
    void brokenMultipartIs400() {
        TestResponse r = client.request(
                "POST",
                "/files/",
                Headers.of("Content-Type", "multipart/form-data; boundary=xyz"),
                "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc".getBytes());
        assertEquals(400, r.status());
        assertTrue(r.text().contains("closing boundary"), r.text());
    }
}
