package dev.spindle.http.client;

import dev.spindle.http.Headers;
import dev.spindle.http.internal.Tokens;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One HTTP request to send: method, URL, headers, optional body and per-request settings. Immutable (its headers
 * are a read-only view); made with a {@link Builder}, usually through {@link #get}, {@link #post} and friends.
 *
 * {@snippet :
 * ClientRequest req = ClientRequest.post("https://api.example.com/items")
 *         .param("dry_run", "true")               // appended to the query, percent-encoded
 *         .header("Authorization", "Bearer " + token)
 *         .content(Content.json("{\"name\":\"pen\"}"))
 *         .timeouts(Timeouts.of(Duration.ofSeconds(2)))
 *         .build();
 * try (ClientResponse res = client.send(req)) { ... }
 * }
 *
 * <p>A relative URL ({@code "/items"}) is resolved against the client's {@linkplain HttpClient.Builder#baseUrl base
 * URL} when sent. The client adds {@code Host}, {@code User-Agent}, {@code Accept}, {@code Accept-Encoding},
 * {@code Content-Length} or {@code Transfer-Encoding}, and the body's {@code Content-Type} unless the request sets
 * them itself ({@code Host}, {@code Content-Length} and {@code Transfer-Encoding} are always the client's).
 */
public final class ClientRequest {
    private final String method;
    private final URI url;
    private final Headers headers;
    private final Content content;
    private final Timeouts timeouts;
    private final Boolean followRedirects;
    private final boolean expectContinue;

    private ClientRequest(Builder b) {
        this.method = b.method;
        this.url = b.url();
        this.headers = b.headers.copy().readOnly();
        this.content = b.content;
        this.timeouts = b.timeouts;
        this.followRedirects = b.followRedirects;
        this.expectContinue = b.expectContinue;
    }

    /**
     * A builder for {@code method} (a token such as {@code "GET"} or {@code "PROPFIND"}; kept as given, upper case
     * by convention) and {@code url}.
     *
     * @throws IllegalArgumentException for a method that is not a token or a URL that does not parse
     */
    public static Builder builder(String method, String url) {
        return new Builder(method, url);
    }

    public static Builder get(String url) {
        return new Builder("GET", url);
    }

    public static Builder head(String url) {
        return new Builder("HEAD", url);
    }

    public static Builder delete(String url) {
        return new Builder("DELETE", url);
    }

    public static Builder options(String url) {
        return new Builder("OPTIONS", url);
    }

    public static Builder post(String url) {
        return new Builder("POST", url);
    }

    public static Builder put(String url) {
        return new Builder("PUT", url);
    }

    public static Builder patch(String url) {
        return new Builder("PATCH", url);
    }

    /** A builder starting from this request. */
    public Builder toBuilder() {
        Builder b = new Builder(method, url);
        b.headers = headers.copy();
        b.content = content;
        b.timeouts = timeouts;
        b.followRedirects = followRedirects;
        b.expectContinue = expectContinue;
        return b;
    }

    public String method() {
        return method;
    }

    /** The URL as given (with the query parameters added); relative until the client resolves it. */
    public URI url() {
        return url;
    }

    /** The request's own headers (read-only); the client adds its defaults when sending. */
    public Headers headers() {
        return headers;
    }

    /** The body, or null. */
    public Content content() {
        return content;
    }

    /** This request's timeouts, or null for the client's. */
    public Timeouts timeouts() {
        return timeouts;
    }

    /** Whether to follow redirects, or null for the client's choice. */
    public Boolean followRedirects() {
        return followRedirects;
    }

    /** Whether the body waits for {@code 100 Continue} (see {@link Builder#expectContinue}). */
    public boolean expectContinue() {
        return expectContinue;
    }

    /** Whether a repeat does no more than the first (RFC 9110 §9.2.2): GET, HEAD, OPTIONS, TRACE, PUT, DELETE. */
    public boolean isIdempotent() {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
            default -> false;
        };
    }

    @Override
    public String toString() {
        return method + " " + url;
    }

    /** Builds a {@link ClientRequest}; not thread-safe. */
    public static final class Builder {
        private String method;
        private URI url;
        private StringBuilder params;
        private Headers headers = new Headers();
        private Content content;
        private Timeouts timeouts;
        private Boolean followRedirects;
        private boolean expectContinue;

        private Builder(String method, String url) {
            this(method, parse(url));
        }

        private Builder(String method, URI url) {
            method(method);
            this.url = Objects.requireNonNull(url, "url");
        }

        private static URI parse(String url) {
            Objects.requireNonNull(url, "url");
            try {
                return new URI(url);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("invalid URL " + url + ": " + e.getMessage(), e);
            }
        }

        public Builder method(String method) {
            Objects.requireNonNull(method, "method");
            if (!Tokens.isToken(method)) {
                throw new IllegalArgumentException("the method \"" + method + "\" is not an HTTP token");
            }
            this.method = method;
            return this;
        }

        public Builder url(String url) {
            this.url = parse(url);
            return this;
        }

        /** Appends {@code name=value} to the URL's query, both percent-encoded as UTF-8 (space as {@code %20}). */
        public Builder param(String name, String value) {
            if (params == null) {
                params = new StringBuilder();
            } else {
                params.append('&');
            }
            params.append(encode(name)).append('=').append(encode(value));
            return this;
        }

        /** Adds a header, keeping others of the same name. */
        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        /** Adds every field of {@code more}. */
        public Builder headers(Headers more) {
            more.forEach(headers::add);
            return this;
        }

        /** Replaces the headers of that name with one. */
        public Builder setHeader(String name, String value) {
            headers.set(name, value);
            return this;
        }

        /** Removes every header of these names. */
        public Builder removeHeaders(String... names) {
            for (String n : names) {
                headers.remove(n);
            }
            return this;
        }

        /** The body, or null for none. */
        public Builder content(Content content) {
            this.content = content;
            return this;
        }

        /** {@code content(Content.json(json))}. */
        public Builder json(String json) {
            return content(Content.json(json));
        }

        /** Timeouts for this request instead of the client's. */
        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = timeouts;
            return this;
        }

        /** Follow redirects for this request, or not, whatever the client's default. */
        public Builder followRedirects(boolean follow) {
            this.followRedirects = follow;
            return this;
        }

        /**
         * Sends {@code Expect: 100-continue} and holds the body back until the server answers 100 (or a second
         * passes without an answer, as curl does); a server that answers with a final status (401, 413...) at once
         * saves the upload. Only for requests with a body.
         */
        public Builder expectContinue(boolean expect) {
            this.expectContinue = expect;
            return this;
        }

        public ClientRequest build() {
            return new ClientRequest(this);
        }

        private URI url() {
            if (params == null) {
                return url;
            }
            String s = url.toString();
            int hash = s.indexOf('#');
            String fragment = hash < 0 ? "" : s.substring(hash);
            String base = hash < 0 ? s : s.substring(0, hash);
            String sep = url.getRawQuery() == null ? (base.endsWith("?") ? "" : "?") : "&";
            return URI.create(base + sep + params + fragment);
        }

        private static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}
