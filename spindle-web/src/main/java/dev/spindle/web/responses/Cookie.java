package dev.spindle.web.responses;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * A cookie to set (RFC 6265 {@code Set-Cookie}) with all its attributes; immutable, built by chaining. Defaults are
 * Starlette's: {@code Path=/}, {@code SameSite=lax}, neither Secure nor HttpOnly.
 *
 * {@snippet :
 * response.setCookie(Cookie.of("session", token).maxAge(Duration.ofHours(1)).httpOnly(true).secure(true));
 * }
 *
 * <p>The value is written as given when it is a cookie-octet string and quoted and escaped otherwise, so a value
 * can never split the header or add attributes.
 */
public final class Cookie {
    private static final DateTimeFormatter EXPIRES =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT);

    private final String name;
    private final String value;
    private final Long maxAge;
    private final ZonedDateTime expires;
    private final String path;
    private final String domain;
    private final boolean secure;
    private final boolean httpOnly;
    private final String sameSite;
    private final boolean partitioned;

    private Cookie(
            String name,
            String value,
            Long maxAge,
            ZonedDateTime expires,
            String path,
            String domain,
            boolean secure,
            boolean httpOnly,
            String sameSite,
            boolean partitioned) {
        this.name = name;
        this.value = value;
        this.maxAge = maxAge;
        this.expires = expires;
        this.path = path;
        this.domain = domain;
        this.secure = secure;
        this.httpOnly = httpOnly;
        this.sameSite = sameSite;
        this.partitioned = partitioned;
    }

    /**
     * A cookie named {@code name} (an RFC 6265 token) with {@code value}.
     *
     * @throws IllegalArgumentException for a name that is not a token
     */
    public static Cookie of(String name, String value) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || !name.chars().allMatch(Cookie::isTokenChar)) {
            throw new IllegalArgumentException("a cookie name must be a non-empty token: \"" + name + "\"");
        }
        return new Cookie(
                name, Objects.requireNonNull(value, "value"), null, null, "/", null, false, false, "lax", false);
    }

    /** The deletion of cookie {@code name}: empty value, {@code Max-Age=0} and an expiry in the past. */
    public static Cookie delete(String name) {
        return of(name, "").maxAge(Duration.ZERO).expires(ZonedDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
    }

    public Cookie maxAge(Duration maxAge) {
        return new Cookie(
                name,
                value,
                maxAge == null ? null : maxAge.toSeconds(),
                expires,
                path,
                domain,
                secure,
                httpOnly,
                sameSite,
                partitioned);
    }

    public Cookie expires(ZonedDateTime expires) {
        return new Cookie(name, value, maxAge, expires, path, domain, secure, httpOnly, sameSite, partitioned);
    }

    /** The path ({@code null}: no Path attribute). */
    public Cookie path(String path) {
        checkAttribute("path", path);
        return new Cookie(name, value, maxAge, expires, path, domain, secure, httpOnly, sameSite, partitioned);
    }

    public Cookie domain(String domain) {
        checkAttribute("domain", domain);
        return new Cookie(name, value, maxAge, expires, path, domain, secure, httpOnly, sameSite, partitioned);
    }

    public Cookie secure(boolean secure) {
        return new Cookie(name, value, maxAge, expires, path, domain, secure, httpOnly, sameSite, partitioned);
    }

    public Cookie httpOnly(boolean httpOnly) {
        return new Cookie(name, value, maxAge, expires, path, domain, secure, httpOnly, sameSite, partitioned);
    }

    /**
     * {@code "strict"}, {@code "lax"} or {@code "none"} (any case), or {@code null} for no attribute.
     *
     * @throws IllegalArgumentException for another value
     */
    public Cookie sameSite(String sameSite) {
        if (sameSite != null
                && !(sameSite.equalsIgnoreCase("strict")
                        || sameSite.equalsIgnoreCase("lax")
                        || sameSite.equalsIgnoreCase("none"))) {
            throw new IllegalArgumentException("sameSite must be strict, lax or none: " + sameSite);
        }
        return new Cookie(
                name,
                value,
                maxAge,
                expires,
                path,
                domain,
                secure,
                httpOnly,
                sameSite == null ? null : sameSite.toLowerCase(Locale.ROOT),
                partitioned);
    }

    public Cookie partitioned(boolean partitioned) {
        return new Cookie(name, value, maxAge, expires, path, domain, secure, httpOnly, sameSite, partitioned);
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    /** The {@code Set-Cookie} header value. */
    public String toHeaderValue() {
        StringBuilder b = new StringBuilder(name).append('=');
        if (value.chars().allMatch(Cookie::isCookieOctet)) {
            b.append(value);
        } else {
            b.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20 || c == 0x7f || c > 0x7e || c == ';' || c == ',') {
                    b.append(String.format("\\%03o", c & 0xff));
                } else {
                    b.append(c);
                }
            }
            b.append('"');
        }
        if (maxAge != null) {
            b.append("; Max-Age=").append(maxAge);
        }
        if (expires != null) {
            b.append("; expires=").append(EXPIRES.format(expires.withZoneSameInstant(ZoneOffset.UTC)));
        }
        if (domain != null) {
            b.append("; Domain=").append(domain);
        }
        if (httpOnly) {
            b.append("; HttpOnly");
        }
        if (path != null) {
            b.append("; Path=").append(path);
        }
        if (sameSite != null) {
            b.append("; SameSite=").append(sameSite);
        }
        if (secure) {
            b.append("; Secure");
        }
        if (partitioned) {
            b.append("; Partitioned");
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return toHeaderValue();
    }

    private static void checkAttribute(String what, String v) {
        if (v != null && !v.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ';')) {
            throw new IllegalArgumentException("a cookie " + what + " must be visible ASCII without ';': " + v);
        }
    }

    private static boolean isCookieOctet(int c) {
        return c == 0x21
                || (c >= 0x23 && c <= 0x2b)
                || (c >= 0x2d && c <= 0x3a)
                || (c >= 0x3c && c <= 0x5b)
                || (c >= 0x5d && c <= 0x7e);
    }

    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
}
