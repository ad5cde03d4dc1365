package dev.spindle.web.security;

import dev.spindle.web.HTTPException;
import dev.spindle.web.Request;
import dev.spindle.web.depends.Provides;
import java.util.Map;

/**
 * HTTP bearer authentication (FastAPI's {@code HTTPBearer}): the value is the {@code Authorization: Bearer} header's
 * credentials; without them (or with another scheme), 401 with {@code WWW-Authenticate: Bearer}. OpenAPI gets an
 * {@code http}/{@code bearer} scheme.
 *
 * {@snippet :
 * @Get("/secure")
 * String secure(@Depends(HTTPBearer.class) HTTPAuthorizationCredentials credentials) { ... }
 * }
 */
public class HTTPBearer implements SecurityScheme {
    private final String bearerFormat;
    private final boolean autoError;

    public HTTPBearer() {
        this(null, true);
    }

    /**
     * @param bearerFormat a hint for OpenAPI ({@code "JWT"}), or {@code null}
     * @param autoError whether missing credentials answer 401 ({@code false}: the value is {@code null})
     */
    public HTTPBearer(String bearerFormat, boolean autoError) {
        this.bearerFormat = bearerFormat;
        this.autoError = autoError;
    }

    @Provides
    public HTTPAuthorizationCredentials credentials(Request request) {
        String[] p = Credentials.split(request.header("Authorization"));
        if (p == null || !p[0].equalsIgnoreCase("bearer") || p[1].isEmpty()) {
            if (autoError) {
                throw new HTTPException(401, "Not authenticated", Map.of("WWW-Authenticate", "Bearer"));
            }
            return null;
        }
        return new HTTPAuthorizationCredentials(p[0], p[1]);
    }

    @Override
    public Map<String, Object> openApi() {
        return bearerFormat == null
                ? Map.of("type", "http", "scheme", "bearer")
                : Map.of("type", "http", "scheme", "bearer", "bearerFormat", bearerFormat);
    }
}
