package dev.spindle.web.security;

import dev.spindle.web.HTTPException;
import dev.spindle.web.Request;
import dev.spindle.web.depends.Provides;
import java.util.Map;

/**
 * HTTP Basic authentication (FastAPI's {@code HTTPBasic}): the value is the user name and password of the
 * {@code Authorization: Basic} header; without a valid one, 401 with {@code WWW-Authenticate: Basic} (and the
 * realm), which makes browsers ask. OpenAPI gets an {@code http}/{@code basic} scheme.
 *
 * {@snippet :
 * @Get("/users/me")
 * Map<String, String> me(@Depends(HTTPBasic.class) HTTPBasicCredentials credentials) {
 *     return Map.of("username", credentials.username());
 * }
 * }
 */
public class HTTPBasic implements SecurityScheme {
    private final String realm;
    private final boolean autoError;

    public HTTPBasic() {
        this(null, true);
    }

    /**
     * @param realm the realm named in {@code WWW-Authenticate}, or {@code null}
     * @param autoError whether missing credentials answer 401 ({@code false}: the value is {@code null})
     */
    public HTTPBasic(String realm, boolean autoError) {
        if (realm != null && (realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0)) {
            throw new IllegalArgumentException("a realm must not hold quotes or backslashes: " + realm);
        }
        this.realm = realm;
        this.autoError = autoError;
    }

    @Provides
    public HTTPBasicCredentials credentials(Request request) {
        String[] up = Credentials.basic(request.header("Authorization"));
        if (up == null || up.length != 2) {
            if (!autoError && up == null) {
                return null;
            }
            throw new HTTPException(
                    401,
                    up == null ? "Not authenticated" : "Invalid authentication credentials",
                    Map.of("WWW-Authenticate", realm == null ? "Basic" : "Basic realm=\"" + realm + "\""));
        }
        return new HTTPBasicCredentials(up[0], up[1]);
    }

    @Override
    public Map<String, Object> openApi() {
        return Map.of("type", "http", "scheme", "basic");
    }
}
