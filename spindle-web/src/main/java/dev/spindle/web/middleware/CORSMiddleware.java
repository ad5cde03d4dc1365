package dev.spindle.web.middleware;

import dev.spindle.web.Request;
import dev.spindle.web.responses.Response;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cross-Origin Resource Sharing with Starlette's defaults and behaviour: preflight requests ({@code OPTIONS} with
 * {@code Access-Control-Request-Method}) answered here, 200 or 400 naming what was disallowed; other requests from
 * an allowed origin get {@code Access-Control-Allow-Origin} (and credentials, exposed headers) on their response.
 *
 * {@snippet :
 * app.addMiddleware(CORSMiddleware.builder()
 *         .allowOrigins("http://localhost:8080", "https://example.com")
 *         .allowCredentials(true)
 *         .allowMethods("*")
 *         .allowHeaders("*")
 *         .build());
 * }
 *
 * <p>Defaults: no origin allowed, methods {@code GET} only, no extra headers, no credentials, nothing exposed,
 * preflight cached 600 s. With credentials, {@code *} origins are echoed rather than sent as {@code *} (browsers refuse
 * a wildcard with credentials).
 */
public final class CORSMiddleware implements Middleware {
    private static final Set<String> SAFELISTED =
            Set.of("accept", "accept-language", "content-language", "content-type");
    private static final List<String> ALL_METHODS = List.of("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT");

    private final boolean allowAllOrigins;
    private final Set<String> origins;
    private final Pattern originRegex;
    private final boolean allowAllHeaders;
    private final Set<String> headers;
    private final List<String> methods;
    private final boolean credentials;
    private final String expose;
    private final int maxAge;

    private CORSMiddleware(Builder b) {
        allowAllOrigins = b.origins.contains("*");
        origins = Set.copyOf(b.origins);
        originRegex = b.originRegex == null ? null : Pattern.compile(b.originRegex);
        allowAllHeaders = b.headers.contains("*");
        Set<String> h = new LinkedHashSet<>(SAFELISTED);
        for (String x : b.headers) {
            h.add(x.toLowerCase(Locale.ROOT));
        }
        headers = h;
        methods = b.methods.contains("*") ? ALL_METHODS : List.copyOf(b.methods);
        credentials = b.credentials;
        expose = String.join(", ", b.expose);
        maxAge = b.maxAge;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response dispatch(Request request, CallNext next) throws Exception {
        String origin = request.header("Origin");
        if (origin == null) {
            return next.call(request);
        }
        if (request.method().equals("OPTIONS") && request.header("Access-Control-Request-Method") != null) {
            return preflight(request, origin);
        }
        Response r = next.call(request);
        if (allowAllOrigins && !credentials && request.header("Cookie") == null) {
            r.header("Access-Control-Allow-Origin", "*");
        } else if (isAllowed(origin)) {
            r.header("Access-Control-Allow-Origin", origin);
            addVary(r);
        } else {
            return r;
        }
        if (credentials) {
            r.header("Access-Control-Allow-Credentials", "true");
        }
        if (!expose.isEmpty()) {
            r.header("Access-Control-Expose-Headers", expose);
        }
        return r;
    }

    private Response preflight(Request request, String origin) {
        List<String> failures = new ArrayList<>();
        Response r = new Response();
        if (isAllowed(origin)) {
            r.header("Access-Control-Allow-Origin", allowAllOrigins && !credentials ? "*" : origin);
        } else {
            failures.add("origin");
        }
        if (!allowAllOrigins || credentials) {
            r.header("Vary", "Origin");
        }
        if (!methods.contains(request.header("Access-Control-Request-Method"))) {
            failures.add("method");
        }
        String requested = request.header("Access-Control-Request-Headers");
        if (allowAllHeaders && requested != null) {
            r.header("Access-Control-Allow-Headers", requested);
        } else {
            if (requested != null) {
                for (String h : requested.split(",")) {
                    String name = h.strip().toLowerCase(Locale.ROOT);
                    if (!name.isEmpty() && !headers.contains(name)) {
                        failures.add("headers");
                        break;
                    }
                }
            }
            r.header("Access-Control-Allow-Headers", String.join(", ", headers));
        }
        r.header("Access-Control-Allow-Methods", String.join(", ", methods));
        r.header("Access-Control-Max-Age", String.valueOf(maxAge));
        if (credentials) {
            r.header("Access-Control-Allow-Credentials", "true");
        }
        if (!failures.isEmpty()) {
            return Response.text("Disallowed CORS " + String.join(", ", failures))
                    .status(400)
                    .mergeFrom(r);
        }
        return Response.text("OK").mergeFrom(r);
    }

    private boolean isAllowed(String origin) {
        return allowAllOrigins
                || origins.contains(origin)
                || (originRegex != null && originRegex.matcher(origin).matches());
    }

    private static void addVary(Response r) {
        String vary = r.headers().get("Vary");
        r.header("Vary", vary == null ? "Origin" : vary + ", Origin");
    }

    /** Builds a {@link CORSMiddleware}. */
    public static final class Builder {
        private final List<String> origins = new ArrayList<>();
        private String originRegex;
        private final List<String> methods = new ArrayList<>(List.of("GET"));
        private final List<String> headers = new ArrayList<>();
        private boolean credentials;
        private final List<String> expose = new ArrayList<>();
        private int maxAge = 600;

        private Builder() {}

        /** Origins allowed ({@code "*"} for any). */
        public Builder allowOrigins(String... origins) {
            this.origins.addAll(List.of(origins));
            return this;
        }

        /** A regular expression origins may match as a whole. */
        public Builder allowOriginRegex(String regex) {
            this.originRegex = regex;
            return this;
        }

        /** Methods allowed ({@code "*"} for all); replaces the default {@code GET}. */
        public Builder allowMethods(String... methods) {
            this.methods.clear();
            for (String m : methods) {
                this.methods.add(m.toUpperCase(Locale.ROOT));
            }
            return this;
        }

        /** Request headers allowed beyond the CORS-safelisted ones ({@code "*"} for any). */
        public Builder allowHeaders(String... headers) {
            this.headers.addAll(List.of(headers));
            return this;
        }

        public Builder allowCredentials(boolean on) {
            this.credentials = on;
            return this;
        }

        public Builder exposeHeaders(String... headers) {
            this.expose.addAll(List.of(headers));
            return this;
        }

        /** How long browsers may cache a preflight answer, in seconds. */
        public Builder maxAge(int seconds) {
            this.maxAge = seconds;
            return this;
        }

        public CORSMiddleware build() {
            return new CORSMiddleware(this);
        }
    }
}
