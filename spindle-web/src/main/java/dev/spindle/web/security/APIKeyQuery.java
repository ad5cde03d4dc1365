package dev.spindle.web.security;

import dev.spindle.web.HTTPException;
import dev.spindle.web.Request;
import dev.spindle.web.depends.Provides;
import java.util.Map;
import java.util.Objects;

/**
 * An API key in the request's query {@code name} (FastAPI's {@code APIKeyQuery}): the value is the key; without one,
 * 401 {@code {"detail": "Not authenticated"}}. OpenAPI gets an {@code apiKey} scheme in {@code query}, which Swagger
 * UI's Authorize dialog fills.
 *
 * {@snippet :
 * app.provide(new APIKeyQuery("X-API-Key"));
 *
 * @Get("/data")
 * Data data(@Depends(APIKeyQuery.class) String key) { ... }
 * }
 */
public class APIKeyQuery implements SecurityScheme {
    private final String name;
    private final boolean autoError;

    public APIKeyQuery(String name) {
        this(name, true);
    }

    /** @param autoError whether a missing key answers 401 ({@code false}: the value is {@code null}) */
    public APIKeyQuery(String name, boolean autoError) {
        this.name = Objects.requireNonNull(name, "name");
        this.autoError = autoError;
    }

    @Provides
    public String key(Request request) {
        String v = request.queryParam(name).orElse(null);
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
        return Map.of("type", "apiKey", "name", name, "in", "query");
    }
}
