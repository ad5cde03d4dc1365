package dev.spindle.http.client;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Cookies kept between requests (httpx's {@code cookies=}), by the rules of RFC 6265 §5: a client given a jar
 * ({@link HttpClient.Builder#cookies}) stores what responses set with {@code Set-Cookie} (redirect responses too) and
 * sends back, in a {@code Cookie} header, the cookies whose domain, path, {@code Secure} flag and expiry match each
 * request. A client without a jar neither stores nor sends cookies.
 *
 * {@snippet :
 * CookieJar jar = new CookieJar();
 * try (HttpClient client = HttpClient.builder().cookies(jar).followRedirects(true).build()) {
 *     client.post("https://example.com/login", Content.form(Map.of("user", "ada", "password", secret)));
 *     client.get("https://example.com/account");   // sends the session cookie the login set
 * }
 * jar.cookies().forEach(System.out::println);
 * }
 *
 * <h2>Rules (RFC 6265 §5.2-5.4)</h2>
 * <ul>
 *   <li><b>Domain.</b> Without a {@code Domain} attribute a cookie goes back only to the host that set it
 *       (host-only). With one, to that domain and its subdomains, and only if the setting host is within that domain
 *       (else the cookie is ignored); an IP address only to itself. Single-label domains ({@code com}) are refused,
 *       as a stand-in for the public-suffix list this jar does not carry.
 *   <li><b>Path.</b> Without a {@code Path}, the directory of the request's path; a cookie goes back to requests
 *       whose path is its path or below it (a {@code /} boundary).
 *   <li><b>Secure</b> cookies go only over {@code https}. {@code HttpOnly} is kept and shown, with no effect here.
 *   <li><b>Expiry.</b> {@code Max-Age} wins over {@code Expires}; a past or zero expiry deletes the cookie; without
 *       either the cookie lasts as long as the jar (a session cookie).
 *   <li><b>Replacing.</b> A cookie with the same name, domain and path replaces the old one.
 *   <li><b>Order and limits.</b> Longer paths first, then older cookies. A name plus value over 4096 bytes is ignored;
 *       past 3000 cookies the oldest go.
 * </ul>
 *
 * <p>Thread-safe: one jar may serve several clients and loops. A request that sets its own {@code Cookie} header
 * sends that instead of the jar's.
 */
public final class CookieJar {
    private static final int MAX_COOKIE_SIZE = 4096;
    private static final int MAX_COOKIES = 3000;

    /**
     * A stored cookie.
     *
     * @param domain the host (host-only) or the domain it goes to, lower case
     * @param expires when it expires, or null for a session cookie
     */
    public record Cookie(
            String name,
            String value,
            String domain,
            String path,
            boolean hostOnly,
            boolean secure,
            boolean httpOnly,
            Instant expires) {
        @Override
        public String toString() {
            return name + "=" + value + "; Domain=" + domain + (hostOnly ? " (host-only)" : "") + "; Path=" + path
                    + (secure ? "; Secure" : "") + (httpOnly ? "; HttpOnly" : "")
                    + (expires == null ? "" : "; Expires=" + expires);
        }
    }

    private record Entry(Cookie cookie, long created) {}

    private final Clock clock;
    private final List<Entry> entries = new ArrayList<>();
    private long sequence;

    /** An empty jar on the system clock. */
    public CookieJar() {
        this(Clock.systemUTC());
    }

    /** An empty jar whose expiry times are read from {@code clock} (a fixed clock for tests). */
    public CookieJar(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The cookies held now (expired ones dropped), oldest first. */
    public synchronized List<Cookie> cookies() {
        purge();
        return entries.stream().map(Entry::cookie).toList();
    }

    /** The value of the cookie {@code name} that a request to {@code url} would send, if any. */
    public Optional<String> get(URI url, String name) {
        return matching(url).stream()
                .filter(c -> c.name().equals(name))
                .map(Cookie::value)
                .findFirst();
    }

    /** Forgets every cookie. */
    public synchronized void clear() {
        entries.clear();
    }

    /**
     * Stores the cookie of one {@code Set-Cookie} field value as if a response from {@code url} had set it; an
     * invalid or refused one is ignored (as §5.2 and §5.3 say), which the return value tells.
     *
     * @return whether a cookie was stored or deleted
     */
    public synchronized boolean store(URI url, String setCookie) {
        String host = host(url);
        if (host == null || setCookie == null) {
            return false;
        }
        int semi = setCookie.indexOf(';');
        String pair = semi < 0 ? setCookie : setCookie.substring(0, semi);
        int eq = pair.indexOf('=');
        if (eq < 0) {
            return false;
        }
        String name = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        if (name.isEmpty() || name.length() + value.length() > MAX_COOKIE_SIZE || hasControl(name + value)) {
            return false;
        }
        Instant now = clock.instant();
        Instant expires = null;
        Instant maxAgeExpiry = null;
        String domain = null;
        String path = null;
        boolean secure = false;
        boolean httpOnly = false;
        if (semi >= 0) {
            for (String av : setCookie.substring(semi + 1).split(";")) {
                int e = av.indexOf('=');
                String an = (e < 0 ? av : av.substring(0, e)).trim().toLowerCase(Locale.ROOT);
                String v = e < 0 ? "" : av.substring(e + 1).trim();
                switch (an) {
                    case "expires" -> {
                        Instant t = parseDate(v);
                        if (t != null) {
                            expires = t;
                        }
                    }
                    case "max-age" -> {
                        if (v.matches("-?\\d{1,18}")) {
                            long s = Long.parseLong(v);
                            maxAgeExpiry = s <= 0 ? Instant.EPOCH : now.plusSeconds(Math.min(s, 400L * 86400 * 365));
                        }
                    }
                    case "domain" -> {
                        if (!v.isEmpty()) {
                            domain = (v.startsWith(".") ? v.substring(1) : v).toLowerCase(Locale.ROOT);
                        }
                    }
                    case "path" -> path = v.startsWith("/") ? v : null;
                    case "secure" -> secure = true;
                    case "httponly" -> httpOnly = true;
                    default -> {} // SameSite and others: not a client's concern
                }
            }
        }
        if (maxAgeExpiry != null) {
            expires = maxAgeExpiry;
        }
        boolean hostOnly;
        if (domain == null || domain.isEmpty()) {
            hostOnly = true;
            domain = host;
        } else {
            if (!domainMatches(host, domain)) {
                return false; // a host may not set cookies for another domain
            }
            if (!domain.contains(".") && !domain.equals(host)) {
                return false; // a single-label domain: a public suffix such as "com"
            }
            hostOnly = false;
        }
        if (path == null) {
            path = defaultPath(url);
        }
        Cookie c = new Cookie(name, value, domain, path, hostOnly, secure, httpOnly, expires);
        long created = sequence++;
        for (int i = 0; i < entries.size(); i++) {
            Cookie old = entries.get(i).cookie();
            if (old.name().equals(name)
                    && old.domain().equals(domain)
                    && old.path().equals(path)) {
                created = entries.get(i).created(); // §5.3 step 11: the creation time is kept
                entries.remove(i);
                break;
            }
        }
        if (expires != null && !expires.isAfter(now)) {
            return true; // an expiry in the past deletes
        }
        entries.add(new Entry(c, created));
        entries.sort(Comparator.comparingLong(Entry::created));
        while (entries.size() > MAX_COOKIES) {
            entries.removeFirst();
        }
        return true;
    }

    /** The cookies a request to {@code url} carries, in §5.4's order. */
    public synchronized List<Cookie> matching(URI url) {
        String host = host(url);
        if (host == null) {
            return List.of();
        }
        purge();
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        boolean secureChannel = scheme.equals("https") || scheme.equals("wss");
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            Cookie c = e.cookie();
            boolean domainOk = c.hostOnly() ? host.equals(c.domain()) : domainMatches(host, c.domain());
            if (domainOk && pathMatches(path, c.path()) && (!c.secure() || secureChannel)) {
                out.add(e);
            }
        }
        out.sort(
                Comparator.<Entry>comparingInt(e -> -e.cookie().path().length()).thenComparingLong(Entry::created));
        return out.stream().map(Entry::cookie).toList();
    }

    /** The {@code Cookie} header for a request to {@code url}, or null if no cookie matches. */
    public String header(URI url) {
        List<Cookie> cs = matching(url);
        if (cs.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (Cookie c : cs) {
            if (!b.isEmpty()) {
                b.append("; ");
            }
            b.append(c.name()).append('=').append(c.value());
        }
        return b.toString();
    }

    @Override
    public synchronized String toString() {
        return "CookieJar[" + entries.size() + " cookies]";
    }

    private void purge() {
        Instant now = clock.instant();
        entries.removeIf(
                e -> e.cookie().expires() != null && !e.cookie().expires().isAfter(now));
    }

    private static String host(URI url) {
        String h = url.getHost();
        if (h == null) {
            return null;
        }
        h = h.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** §5.1.3: identical, or a suffix after a dot and the host is a name, not an IP address. */
    static boolean domainMatches(String host, String domain) {
        if (host.equals(domain)) {
            return true;
        }
        return host.endsWith("." + domain) && !isIpAddress(host);
    }

    private static boolean isIpAddress(String host) {
        return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** §5.1.4: the path's directory. */
    static String defaultPath(URI url) {
        String p = url.getRawPath();
        if (p == null || p.isEmpty() || p.charAt(0) != '/') {
            return "/";
        }
        int last = p.lastIndexOf('/');
        return last == 0 ? "/" : p.substring(0, last);
    }

    /** §5.1.4: the same path, or below it at a slash. */
    static boolean pathMatches(String requestPath, String cookiePath) {
        if (requestPath.equals(cookiePath)) {
            return true;
        }
        return requestPath.startsWith(cookiePath)
                && (cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/');
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 && ch != '\t' || ch == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** Expires in the RFC 1123 form servers send, or the obsolete RFC 850 and asctime forms; null if none fits. */
    private static Instant parseDate(String v) {
        try {
            return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            // try the others
        }
        for (String pattern : new String[] {"EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE, dd-MMM-yyyy HH:mm:ss zzz"}) {
            try {
                return ZonedDateTime.parse(v, DateTimeFormatter.ofPattern(pattern, Locale.US))
                        .toInstant();
            } catch (DateTimeParseException e) {
                // next
            }
        }
        return null;
    }
}
