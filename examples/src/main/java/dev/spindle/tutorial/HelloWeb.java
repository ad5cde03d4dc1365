package dev.spindle.tutorial;

// tutorial:begin
import dev.spindle.web.App;
import dev.spindle.web.Get;
import dev.spindle.web.params.Path;
import dev.spindle.web.params.Query;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

public class HelloWeb {
    @Get("/")
    Map<String, String> readRoot() {
        return Map.of("Hello", "World");
    }

    @Get("/items/{item_id}")
    Map<String, Object> readItem(@Path("item_id") int itemId, @Query("q") Optional<String> q) {
        Map<String, Object> item = new LinkedHashMap<>(); // keeps the keys in order; allows a null q
        item.put("item_id", itemId);
        item.put("q", q.orElse(null));
        return item;
    }

    public static void main(String[] args) {
        int port = Integer.getInteger("port", 8000);
        new App().include(new HelloWeb()).serve(port); // until Ctrl-C; Swagger UI at /docs
    }
}
// tutorial:end
