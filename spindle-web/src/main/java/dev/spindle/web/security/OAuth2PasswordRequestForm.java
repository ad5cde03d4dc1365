package dev.spindle.web.security;

import dev.spindle.web.params.Default;
import dev.spindle.web.params.Form;
import jakarta.validation.constraints.Pattern;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The form of OAuth2's password flow (FastAPI's {@code OAuth2PasswordRequestForm}), as a dependency: the token
 * endpoint declares it and gets the posted user name, password and scopes.
 *
 * {@snippet :
 * @Post("/token")
 * Map<String, String> login(@Depends OAuth2PasswordRequestForm form) {
 *     User user = authenticate(form.username(), form.password());
 *     return Map.of("access_token", issueToken(user), "token_type", "bearer");
 * }
 * }
 *
 * @param grantType {@code "password"} if sent (anything else is a 422)
 * @param scope the scopes, separated by spaces
 */
public record OAuth2PasswordRequestForm(
        @Form("grant_type") @Pattern(regexp = "^password$") Optional<String> grantType,
        @Form String username,
        @Form String password,
        @Form @Default("") String scope,
        @Form("client_id") Optional<String> clientId,
        @Form("client_secret") Optional<String> clientSecret) {

    /** The requested scopes. */
    public List<String> scopes() {
        return Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public String toString() {
        return "OAuth2PasswordRequestForm[username=" + username + ", password=***, scopes=" + scopes() + "]";
    }
}
