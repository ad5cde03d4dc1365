package dev.spindle.web.security;

/**
 * The scheme and credentials of an {@code Authorization} header, as {@link HTTPBearer} gives them.
 *
 * {@snippet :
 * String token = credentials.credentials();
 * }
 */
public record HTTPAuthorizationCredentials(String scheme, String credentials) {}
