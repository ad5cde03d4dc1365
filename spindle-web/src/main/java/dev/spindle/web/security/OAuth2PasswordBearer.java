package dev.spindle.web.security;

import dev.spindle.web.HTTPException;
import dev.spindle.web.Request;
import dev.spindle.web.depends.Provides;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The bearer token of OAuth2's password flow (FastAPI's {@code OAuth2PasswordBearer}): the value is the token from
 * {@code Authorization: Bearer <token>}; without one, 401 {@code {"detail": "Not authenticated"}} with
 * {@code WWW-Authenticate: Bearer}. OpenAPI gets an {@code oauth2} password-flow scheme, so Swagger UI's Authorize
 * dialog asks for a user name and password and posts them to {@code tokenUrl}.
 *
 * {@snippet :
 * app.provide(new OAuth2PasswordBearer("token"));
 *
 * @Get("/users/me")
 * User me(@Depends(OAuth2PasswordBearer.class) String token) { ... }
 * }
 *
 * <p>It only extracts the token: checking it (a JWT's signature, a session table) is the next dependency's job.
 */
public class OAuth2PasswordBearer implements SecurityScheme {
    private final String tokenUrl;
    private final Map<String, String> scopes;
    private final boolean autoError;

    /** Tokens from {@code tokenUrl}, no scopes, missing tokens answered 401. */
    public OAuth2PasswordBearer(String tokenUrl) {
        this(tokenUrl, Map.of(), true);
    }

    /**
     * @param tokenUrl where the password flow posts (relative to the app, {@code "token"})
     * @param scopes the scopes with their descriptions, for the Authorize dialog
     * @param autoError whether a missing token answers 401 ({@code false}: the value is {@code null})
     */
    public OAuth2PasswordBearer(String tokenUrl, Map<String, String> scopes, boolean autoError) {
        this.tokenUrl = Objects.requireNonNull(tokenUrl, "tokenUrl");
        this.scopes = new LinkedHashMap<>(scopes);
        this.autoError = autoError;
    }

    @Provides
    public String token(Request request) {
        String auth = request.header("Authorization");
        String token = Credentials.bearer(auth);
        if (token == null) {
            if (autoError) {
                throw new HTTPException(401, "Not authenticated", Map.of("WWW-Authenticate", "Bearer"));
            }
            return null;
        }
        return token;
    }

    @Override
    public Map<String, Object> openApi() {
        return Map.of("type", "oauth2", "flows", Map.of("password", Map.of("scopes", scopes, "tokenUrl", tokenUrl)));
    }
}
