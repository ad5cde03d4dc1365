package dev.spindle.web.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Parsing of {@code Authorization} values, shared by the security helpers. */
final class Credentials {
    private Credentials() {}

    /** The token of {@code Bearer <token>}, or {@code null}. */
    static String bearer(String authorization) {
        String[] p = split(authorization);
        return p != null && p[0].equalsIgnoreCase("bearer") && !p[1].isEmpty() ? p[1] : null;
    }

    /** {@code [scheme, credentials]}, or {@code null}. */
    static String[] split(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.strip();
        int sp = a.indexOf(' ');
        if (sp <= 0) {
            return null;
        }
        return new String[] {a.substring(0, sp), a.substring(sp + 1).strip()};
    }

    /** {@code [user, password]} of a Basic value, or {@code null} if it is not one or is malformed. */
    static String[] basic(String authorization) {
        String[] p = split(authorization);
        if (p == null || !p[0].equalsIgnoreCase("basic")) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(p[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new String[0];
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return new String[0];
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
