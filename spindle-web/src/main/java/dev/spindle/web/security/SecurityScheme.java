package dev.spindle.web.security;

import java.util.Map;

/**
 * A dependency that is also an OpenAPI security scheme: the routes depending on it list it in their
 * {@code security}, and Swagger UI's Authorize dialog offers it.
 *
 * {@snippet :
 * app.provide(new OAuth2PasswordBearer("token"));   // name "OAuth2PasswordBearer" in OpenAPI
 * }
 */
public interface SecurityScheme {
    /** The key in {@code components.securitySchemes} (the class's simple name by default). */
    default String schemeName() {
        return getClass().getSimpleName();
    }

    /** The scheme object ({@code {"type": "oauth2", "flows": ...}}). */
    Map<String, Object> openApi();
}
