package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.web.depends.Depends;
import dev.spindle.web.depends.Provides;
import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Body parameters flattened over the route's whole dependency tree, as FastAPI does: a handler's body and a
 * dependency's body make one embedded object, each under its name; a route with a single body reads the body itself.
 */
class BodyFlatteningTest {
    record Item(String name, double price) {}

    record User(String username) {}

    /** A dependency reading a body parameter of its own. */
    static final class Owner {
        @Provides
        static String owner(User user) {
            return user.username();
        }
    }

    static final class Routes {
        @Post("/items")
        Map<String, Object> create(Item item, @Depends(Owner.class) String owner) {
            return Map.of("name", item.name(), "owner", owner);
        }

        @Post("/owners")
        Map<String, Object> owner(@Depends(Owner.class) String owner) {
            return Map.of("owner", owner);
        }
    }

    @Test
    void bodiesOfTheHandlerAndItsDependenciesShareOneObject() {
        App app = new App().include(new Routes());
        try (TestClient client = TestClient.serve(app)) {
            TestResponse ok = client.post(
                    "/items", Map.of("item", Map.of("name", "Foo", "price", 1.5), "user", Map.of("username", "ann")));
            assertEquals(200, ok.status(), ok.text());
            assertEquals("Foo", ok.json().get("name").asText());
            assertEquals("ann", ok.json().get("owner").asText());

            TestResponse missing = client.post("/items", Map.of("item", Map.of("name", "Foo", "price", 1.5)));
            assertEquals(422, missing.status());
            JsonNode err = missing.json().get("detail").get(0);
            assertEquals("missing", err.get("type").asText());
            assertEquals("[\"body\",\"user\"]", err.get("loc").toString());

            // the same dependency alone on a route: its body is the whole body (not embedded)
            TestResponse alone = client.post("/owners", Map.of("username", "bob"));
            assertEquals("{\"owner\":\"bob\"}", alone.json().toString(), alone.text());

            JsonNode doc = client.get("/openapi.json").json();
            String ref = doc.at("/paths/~1items/post/requestBody/content/application~1json/schema/$ref")
                    .asText();
            assertEquals("#/components/schemas/Body_create_items_post", ref);
            JsonNode body = doc.at("/components/schemas/Body_create_items_post");
            assertEquals("[\"item\",\"user\"]", body.get("required").toString());
            assertEquals(
                    "#/components/schemas/User",
                    body.at("/properties/user/$ref").asText());
            assertEquals(
                    "#/components/schemas/User",
                    doc.at("/paths/~1owners/post/requestBody/content/application~1json/schema/$ref")
                            .asText());
        }
    }
}
