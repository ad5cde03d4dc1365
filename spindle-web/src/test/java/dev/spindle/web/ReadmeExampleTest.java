package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.web.params.Field;
import dev.spindle.web.params.Path;
import dev.spindle.web.params.Query;
import dev.spindle.web.testing.TestClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README's Spindle twin of FastAPI's first app, answering as the README says. */
class ReadmeExampleTest {
    public static class Main {
        record Item(
                String name,
                double price,
                @Field(alias = "is_offer") Optional<Boolean> isOffer) {}

        @Get("/")
        Map<String, String> readRoot() {
            return Map.of("Hello", "World");
        }

        @Get("/items/{item_id}")
        Map<String, Object> readItem(@Path("item_id") int itemId, @Query Optional<String> q) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("item_id", itemId);
            out.put("q", q.orElse(null));
            return out;
        }

        @Put("/items/{item_id}")
        Map<String, Object> updateItem(@Path("item_id") int itemId, Item item) {
            return Map.of("item_name", item.name(), "item_id", itemId);
        }
    }

    @Test
    void answersAsDocumented() {
        try (TestClient client = TestClient.serve(new App().include(new Main()))) {
            assertEquals("{\"Hello\":\"World\"}", client.get("/").text());
            assertEquals(
                    "{\"item_id\":5,\"q\":\"somequery\"}",
                    client.get("/items/5?q=somequery").text());
            assertEquals(
                    "{\"detail\":[{\"type\":\"int_parsing\",\"loc\":[\"path\",\"item_id\"],\"msg\":\"Input should"
                            + " be a valid integer, unable to parse string as an integer\",\"input\":\"foo\"}]}",
                    client.get("/items/foo").text());
            assertEquals(
                    Map.of("item_name", "Chair", "item_id", 3),
                    client.put("/items/3", Map.of("name", "Chair", "price", 9.5, "is_offer", true))
                            .json(Map.class));
            assertEquals(200, client.get("/docs").status());
        }
    }
}
