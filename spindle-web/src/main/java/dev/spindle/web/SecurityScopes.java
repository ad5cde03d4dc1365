package dev.spindle.web;

import java.util.List;

/**
 * The OAuth2 scopes required along the dependency chain down to the dependency that declares this parameter
 * (FastAPI's {@code SecurityScopes}): a token checker compares the token's scopes with these.
 *
 * {@snippet :
 * public User provide(SecurityScopes required, @Depends(OAuth2.class) String token) {
 *     for (String scope : required.scopes()) {
 *         if (!tokenScopes(token).contains(scope)) {
 *             throw new HTTPException(401, "Not enough permissions", Map.of("WWW-Authenticate",
 *                     "Bearer scope=\"" + required.scopeStr() + "\""));
 *         }
 *     }
 *     ...
 * }
 * }
 */
public record SecurityScopes(List<String> scopes) {
    public SecurityScopes {
        scopes = List.copyOf(scopes);
    }

    /** The scopes separated by spaces, as OAuth2 writes them. */
    public String scopeStr() {
        return String.join(" ", scopes);
    }
}
