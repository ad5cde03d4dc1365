package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.web.depends.Depends;
import dev.spindle.web.params.Body;
import dev.spindle.web.params.Default;
import dev.spindle.web.params.Field;
import dev.spindle.web.params.File;
import dev.spindle.web.params.Form;
import dev.spindle.web.params.Path;
import dev.spindle.web.params.Query;
import dev.spindle.web.params.UploadFile;
import dev.spindle.web.security.OAuth2PasswordBearer;
import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI 3.1 document generated from the code, checked by swagger-parser, and the docs pages. */
class OpenApiTest {
    enum Status {
        active,
        retired
    }

    record Tag(String label) {}

    record Item(
            @Field(description = "The item's name", example = "\"Foo\"") @Size(max = 50)
            String name,

            Optional<String> description,
            @Min(0) double price,
            @Default("[]") List<Tag> tags,
            Status status,
            Optional<Item> parent) {}

    record Message(String message) {}

    /** The same on both sides (nothing optional): one schema. */
    record Point(int x, int y) {}

    /** Holds a record that differs between sides: differs too. */
    record Box(Optional<String> label) {}

    record Crate(Box box) {}

    static final class Routes {
        @ApiResponse(status = 404, description = "Item not found", model = Message.class)
        @ApiResponse(status = 403)
        @Get(value = "/items/{item_id}", tags = "items", summary = "Read one item")
        Item read(@Path("item_id") UUID itemId, @Query(description = "search") Optional<String> q) {
            return null;
        }

        @Post(value = "/items/", status = 201, tags = "items")
        Item create(@Body Item item, @Depends(OAuth2PasswordBearer.class) String token) {
            return item;
        }

        @Get("/search")
        List<Item> search(@Query @Min(1) @Max(100) @Default("10") int limit, @Query List<String> tag) {
            return List.of();
        }

        @Post("/upload")
        Map<String, Object> upload(@File UploadFile file, @Form String note) {
            return Map.of();
        }

        @ApiResponse(status = 409, description = "Item in use")
        @Delete(value = "/items/{item_id}", status = 204)
        void delete(@Path("item_id") int itemId) {}
    }

    static final class Shapes {
        @Post("/points")
        Point point(Point p) {
            return p;
        }

        @Post("/crates")
        Crate crate(Crate c) {
            return c;
        }
    }

    static TestClient client;

    @BeforeAll
    static void start() {
        App app = new App().title("Items API").version("2.0.0").description("All the **items**");
        app.provide(new OAuth2PasswordBearer("token"));
        app.tag("items", "Operations with **items**.").tag("shapes", "");
        app.responses(403, "Not allowed for you", Message.class);
        app.include(new Routes());
        app.include(new Router("/shapes")
                .tags("shapes")
                .responses(418, "", Void.class)
                .include(new Shapes()));
        client = TestClient.serve(app);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void documentValidatesWithSwaggerParser() {
        String doc = client.get("/openapi.json").text();
        SwaggerParseResult result = new OpenAPIParser().readContents(doc, null, null);
        assertTrue(
                result.getMessages() == null || result.getMessages().isEmpty(),
                () -> result.getMessages() + "\n" + doc);
        assertEquals("3.1.0", result.getOpenAPI().getOpenapi());
        assertEquals(
                7,
                result.getOpenAPI().getPaths().values().stream()
                        .mapToInt(p -> p.readOperations().size())
                        .sum());
    }

    @Test
    void schemasFromRecords() {
        JsonNode doc = client.get("/openapi.json").json();
        JsonNode item = doc.at("/components/schemas/Item-Input");
        assertFalse(doc.at("/components/schemas").has("Item"), "used on both sides and different: split");
        assertEquals("[\"name\",\"price\",\"status\"]", item.get("required").toString());
        assertEquals("Item", item.get("title").asText());
        assertEquals(50, item.at("/properties/name/maxLength").asInt());
        assertEquals("The item's name", item.at("/properties/name/description").asText());
        assertEquals("Foo", item.at("/properties/name/examples/0").asText());
        assertEquals(0, item.at("/properties/price/minimum").asInt());
        assertEquals(
                "#/components/schemas/Tag",
                item.at("/properties/tags/items/$ref").asText());
        assertEquals(
                "#/components/schemas/Status",
                item.at("/properties/status/$ref").asText());
        assertEquals(
                "#/components/schemas/Item-Input",
                item.at("/properties/parent/anyOf/0/$ref").asText());
        assertEquals("null", item.at("/properties/description/anyOf/1/type").asText());
        assertTrue(item.at("/properties/description").has("default"));
        JsonNode out = doc.at("/components/schemas/Item-Output");
        assertEquals(
                "[\"name\",\"description\",\"price\",\"tags\",\"status\",\"parent\"]",
                out.get("required").toString(),
                "a response always has every field");
        assertFalse(out.at("/properties/description").has("default"));
        assertEquals(
                "#/components/schemas/Item-Output",
                out.at("/properties/parent/anyOf/0/$ref").asText());
        JsonNode paths = doc.get("paths");
        assertEquals(
                "#/components/schemas/Item-Input",
                paths.at("/~1items~1/post/requestBody/content/application~1json/schema/$ref")
                        .asText());
        assertEquals(
                "#/components/schemas/Item-Output",
                paths.at("/~1items~1/post/responses/201/content/application~1json/schema/$ref")
                        .asText());
        // the same on both sides: one schema; a record holding a split one splits too
        assertTrue(doc.at("/components/schemas").has("Point"));
        assertTrue(doc.at("/components/schemas").has("Tag"));
        assertEquals(
                "#/components/schemas/Box-Output",
                doc.at("/components/schemas/Crate-Output/properties/box/$ref").asText());
        assertEquals(
                "#/components/schemas/Box-Input",
                doc.at("/components/schemas/Crate-Input/properties/box/$ref").asText());
        assertEquals(
                "[\"active\",\"retired\"]",
                doc.at("/components/schemas/Status/enum").toString());
    }

    @Test
    void operations() {
        JsonNode paths = client.get("/openapi.json").json().get("paths");
        JsonNode read = paths.at("/~1items~1{item_id}/get");
        assertEquals("Read one item", read.get("summary").asText());
        assertEquals("read_items__item_id__get", read.get("operationId").asText());
        assertEquals("uuid", read.at("/parameters/0/schema/format").asText());
        assertEquals("search", read.at("/parameters/1/description").asText());
        assertEquals(
                "#/components/schemas/HTTPValidationError",
                read.at("/responses/422/content/application~1json/schema/$ref").asText());
        assertEquals("Item not found", read.at("/responses/404/description").asText());
        assertEquals(
                "#/components/schemas/Message",
                read.at("/responses/404/content/application~1json/schema/$ref").asText());
        assertEquals("Forbidden", read.at("/responses/403/description").asText(), "the route's own wins");
        assertFalse(read.at("/responses/403").has("content"));
        assertEquals(
                "Item in use",
                paths.at("/~1items~1{item_id}/delete/responses/409/description").asText(),
                "a single @ApiResponse, without its container");
        JsonNode point = paths.at("/~1shapes~1points/post/responses");
        assertEquals("Not allowed for you", point.at("/403/description").asText(), "the app's");
        assertEquals("I'm a Teapot", point.at("/418/description").asText(), "the router's");
        JsonNode create = paths.at("/~1items~1/post");
        assertTrue(create.has("responses") && create.get("responses").has("201"));
        assertEquals("[{\"OAuth2PasswordBearer\":[]}]", create.get("security").toString());
        assertTrue(create.at("/requestBody/required").asBoolean());
        JsonNode search = paths.at("/~1search/get/parameters");
        assertEquals(1, search.at("/0/schema/minimum").asInt());
        assertEquals(10, search.at("/0/schema/default").asInt());
        assertEquals("array", search.at("/1/schema/type").asText());
        assertFalse(paths.at("/~1items~1{item_id}/delete/responses/204").has("content"));
        JsonNode upload = paths.at("/~1upload/post/requestBody/content");
        assertTrue(upload.has("multipart/form-data"));
        assertFalse(paths.has("/docs"));
    }

    @Test
    void tagMetadata() {
        JsonNode tags = client.get("/openapi.json").json().get("tags");
        assertEquals(
                "[{\"name\":\"items\",\"description\":\"Operations with **items**.\"},{\"name\":\"shapes\"}]",
                tags.toString());
    }

    @Test
    void docsPagesAndAssetsOffline() {
        TestResponse docs = client.get("/docs");
        assertEquals("text/html; charset=utf-8", docs.header("content-type"));
        assertTrue(docs.text().contains("/docs/swagger-ui-bundle.js"));
        assertTrue(docs.text().contains("Items API - Swagger UI"));
        TestResponse bundle = client.get("/docs/swagger-ui-bundle.js");
        assertEquals(200, bundle.status());
        assertTrue(bundle.body().length > 500_000);
        assertEquals(200, client.get("/docs/swagger-ui.css").status());
        assertTrue(client.get("/docs/oauth2-redirect").text().contains("oauth2-redirect.js"));
        assertEquals(200, client.get("/docs/oauth2-redirect.js").status());
        assertEquals(404, client.get("/docs/../pom.xml").status());
        assertTrue(client.get("/redoc").text().contains("/redoc/redoc.standalone.js"));
        assertTrue(client.get("/redoc/redoc.standalone.js").body().length > 100_000);
    }
}
