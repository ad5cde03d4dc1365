package dev.spindle.web;

import dev.spindle.web.depends.Depends;
import dev.spindle.web.params.Default;
import dev.spindle.web.params.Field;
import dev.spindle.web.params.Path;
import dev.spindle.web.params.Query;
import dev.spindle.web.security.OAuth2PasswordBearer;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** FastAPI's tutorial chapters, ported: first steps, path, query, body, validation, dependencies, errors, security. */
final class TutorialApp {
    enum ModelName {
        alexnet,
        resnet,
        lenet
    }

    record Item(String name, Optional<String> description, double price, Optional<Double> tax) {}

    record UserIn(
            String username,
            String password,
            String email,
            @Field(alias = "full_name") Optional<String> fullName) {}

    record UserOut(
            String username,
            String email,
            @Field(alias = "full_name") Optional<String> fullName) {}

    record CommonQueryParams(
            @Query Optional<String> q,
            @Query @Default("0") int skip,
            @Query @Default("100") int limit) {}

    static final List<Map<String, String>> FAKE_ITEMS_DB =
            List.of(Map.of("item_name", "Foo"), Map.of("item_name", "Bar"), Map.of("item_name", "Baz"));

    /** Python's {@code db[skip:skip + limit]}, negative indexes counted from the end. */
    static List<Map<String, String>> slice(int skip, int limit) {
        int n = FAKE_ITEMS_DB.size();
        long from = skip < 0 ? Math.max(0L, n + (long) skip) : Math.min(skip, n);
        long end = (long) skip + limit;
        long to = end < 0 ? Math.max(0L, n + end) : Math.min(end, n);
        return to <= from ? List.of() : FAKE_ITEMS_DB.subList((int) from, (int) to);
    }

    static final class FirstSteps {
        @Get("/")
        Map<String, String> root() {
            return Map.of("message", "Hello World");
        }
    }

    static final class PathParams {
        @Get("/items/{item_id}")
        Map<String, Object> readItem(@Path("item_id") int itemId) {
            return Map.of("item_id", itemId);
        }

        @Get("/users/me")
        Map<String, String> readUserMe() {
            return Map.of("user_id", "the current user");
        }

        @Get("/users/{user_id}")
        Map<String, String> readUser(@Path("user_id") String userId) {
            return Map.of("user_id", userId);
        }

        @Get("/models/{model_name}")
        Map<String, Object> getModel(@Path("model_name") ModelName modelName) {
            String message =
                    switch (modelName) {
                        case alexnet -> "Deep Learning FTW!";
                        case lenet -> "LeCNN all the images";
                        case resnet -> "Have some residuals";
                    };
            return Map.of("model_name", modelName, "message", message);
        }

        @Get("/files/{file_path:path}")
        Map<String, String> readFile(@Path("file_path") String filePath) {
            return Map.of("file_path", filePath);
        }
    }

    static final class QueryParams {
        @Get("/items/")
        List<Map<String, String>> readItems(@Query @Default("0") int skip, @Query @Default("10") int limit) {
            return slice(skip, limit);
        }

        @Get("/items/{item_id}")
        Map<String, Object> readItem(
                @Path("item_id") String itemId,
                @Query Optional<String> q,
                @Query("short") @Default("false") boolean isShort,
                @Query String needy) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("item_id", itemId);
            item.put("needy", needy);
            q.ifPresent(v -> item.put("q", v));
            if (!isShort) {
                item.put("description", "This is an amazing item that has a long description");
            }
            return item;
        }
    }

    static final class Bodies {
        @Post("/items/")
        Item createItem(Item item) {
            return item;
        }

        @Put("/items/{item_id}")
        Map<String, Object> updateItem(@Path("item_id") int itemId, Item item, @Query Optional<String> q) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("item_id", itemId);
            r.put("name", item.name());
            r.put("description", item.description().orElse(null));
            r.put("price", item.price());
            r.put("tax", item.tax().orElse(null));
            q.ifPresent(v -> r.put("q", v));
            return r;
        }
    }

    static final class Validations {
        @Get("/items/")
        Map<String, Object> readItems(@Query @Size(min = 3, max = 50) Optional<String> q) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("items", List.of(Map.of("item_id", "Foo"), Map.of("item_id", "Bar")));
            q.ifPresent(v -> r.put("q", v));
            return r;
        }
    }

    static final class Dependencies {
        @Get("/items/")
        Map<String, Object> readItems(@Depends CommonQueryParams commons) {
            Map<String, Object> r = new LinkedHashMap<>();
            commons.q().ifPresent(v -> r.put("q", v));
            r.put("items", slice(commons.skip(), commons.limit()));
            return r;
        }
    }

    static final class Errors {
        static final Map<String, String> ITEMS = Map.of("foo", "The Foo Wrestlers");

        @Get("/items/{item_id}")
        Map<String, String> readItem(@Path("item_id") String itemId) {
            String item = ITEMS.get(itemId);
            if (item == null) {
                throw new HTTPException(404, "Item not found");
            }
            return Map.of("item", item);
        }
    }

    static final class ResponseModels {
        @Post(value = "/user/", responseModel = UserOut.class)
        UserIn createUser(UserIn user) {
            return user;
        }
    }

    static final class Security {
        @Get("/items/")
        Map<String, String> readItems(@Depends(OAuth2PasswordBearer.class) String token) {
            return Map.of("token", token);
        }
    }

    static App app() {
        App app = new App();
        app.provide(new OAuth2PasswordBearer("token"));
        app.include(new FirstSteps());
        app.include(new Router("/path").include(new PathParams()));
        app.include(new Router("/query").include(new QueryParams()));
        app.include(new Router("/body").include(new Bodies()));
        app.include(new Router("/validation").include(new Validations()));
        app.include(new Router("/depends").include(new Dependencies()));
        app.include(new Router("/errors").include(new Errors()));
        app.include(new Router("/response").include(new ResponseModels()));
        app.include(new Router("/security").include(new Security()));
        return app;
    }

    private TutorialApp() {}
}
