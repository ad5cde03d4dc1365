package dev.spindle.web.security;

import dev.spindle.web.HTTPException;
import dev.spindle.web.Request;
import dev.spindle.web.depends.Provides;
import java.util.Map;
import java.util.Objects;

/**
 * An API key in the request's cookie {@code name} (FastAPI's {@code APIKeyCookie}): the value is the key; without one,
 * 401 {@code {"detail": "Not authenticated"}}. OpenAPI gets an {@code apiKey} scheme in {@code cookie}, which Swagger
 * UI's Authorize dialog fills.
 *
 * {@snippet :
 * app.provide(new APIKeyCookie("X-API-Key"));
 *
 * @Get("/data")
 * Data data(@Depends(APIKeyCookie.class) String key) { ... }
 * }
 */
public class APIKeyCookie implements SecurityScheme {
    private final String name;
    private final boolean autoError;

    public APIKeyCookie(String name) {
        this(name, true);
    }

    /** @param autoError whether a missing key answers 401 ({@code false}: the value is {@code null}) */
    public APIKeyCookie(String name, boolean autoError) {
        this.name = Objects.requireNonNull(name, "name");
        this.autoError = autoError;
    }

    @Provides
    public String key(Request request) {
        String v = request.cookies().get(name);
        if (v == null || v.isEmpty()) {
            if (autoError) {
                throw new HTTPException(401, "Not authenticated", Map.of("WWW-Authenticate", "APIKey"));
            }
            return null;
        }
        return v;
    }

    @Override
    public Map<String, Object> openApi() {
        return Map.of("type", "apiKey", "name", name, "in", "cookie");
    }
}
