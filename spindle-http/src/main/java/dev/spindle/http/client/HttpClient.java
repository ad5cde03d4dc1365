package dev.spindle.http.client;

import dev.spindle.http.Headers;
import dev.spindle.http.client.HttpTimeout.Phase;
import dev.spindle.http.client.internal.ClientConnection;
import dev.spindle.http.client.internal.ConnectionPool;
import dev.spindle.http.client.internal.ContentDecoder;
import dev.spindle.http.client.internal.Deadline;
import dev.spindle.http.client.internal.Exchange;
import dev.spindle.http.client.internal.Origin;
import dev.spindle.http.client.internal.ResponseBody;
import dev.spindle.http.client.internal.ResponseDecoder;
import dev.spindle.http.internal.observe.ClientRequestEvent;
import dev.spindle.io.ConnectOptions;
import dev.spindle.io.Connection;
import dev.spindle.io.StreamError;
import dev.spindle.io.Streams;
import dev.spindle.io.TlsOptions;
import dev.spindle.loop.Loop;
import dev.spindle.observe.SpindleJfr;
import dev.spindle.task.Cancelled;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An HTTP/1.1 client for coroutines (httpx's {@code Client}): requests are straight-line calls that suspend only the
 * calling coroutine, over a pool of keep-alive connections per origin. Plain HTTP and HTTPS (certificates and host
 * names verified by default); no proxy support, by design: the client connects to the URL's host itself and ignores
 * {@code HTTP_PROXY} and the JDK's proxy selector, unless a {@link Connector} opens its connections instead
 * ({@link Builder#connector}: an in-process server over a memory pair, a Unix domain socket).
 *
 * {@snippet :
 * try (HttpClient client = HttpClient.builder().baseUrl("https://api.example.com").build()) {
 *     ClientResponse r = client.get("/users/1").raiseForStatus();
 *     System.out.println(r.text());
 *     client.post("/users", Content.json("{\"name\":\"Ada\"}"));
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Call from coroutines. One client may be shared by every coroutine and every loop of the
 *       program; each loop gets its own pool (a connection belongs to one loop), each with the {@link PoolLimits}.
 *   <li><b>Bodies.</b> {@link #send} (and {@link #get}, {@link #post}...) reads the whole body, up to
 *       {@link Builder#maxBodySize}; {@link #stream} returns once the head is in, and the body is read as the caller
 *       iterates: close that response (try-with-resources).
 *   <li><b>Cancellation.</b> A request cancelled or timed out at any point (waiting for the pool, connecting,
 *       writing, reading the head or the body) closes the connection it was using: a half-written request or
 *       half-read response is never handed to another request. A connection returns to the pool only after a
 *       response read cleanly to its end.
 *   <li><b>Retries.</b> One only: when a pooled keep-alive connection turns out to have been closed by the server
 *       before any byte of the response came, an idempotent request (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) with a
 *       replayable body is sent again on a new connection. Nothing else is retried.
 *   <li><b>Redirects</b> are not followed unless asked ({@link Builder#followRedirects}, or per request), as in
 *       httpx. When followed: at most {@link Builder#maxRedirects}; 301 and 302 turn POST into GET, 303 turns any
 *       method but HEAD into GET (the body dropped), 307 and 308 keep method and body (a streamed body cannot be
 *       sent twice, so the redirect is returned instead); {@code Authorization} and {@code Cookie} are dropped when
 *       the origin changes.
 *   <li><b>Errors.</b> {@link HttpTimeout} (a {@link dev.spindle.time.TimedOut}) with its phase; {@link ProtocolError}
 *       for a response that breaks HTTP/1.1; {@link StreamError} (and its {@link dev.spindle.io.ConnectionLost})
 *       for refused and broken connections; {@link TooManyRedirects}; {@link BodyTooLarge}. A 4xx or 5xx is a
 *       response, not an error, unless {@link ClientResponse#raiseForStatus()} says so.
 * </ul>
 *
 * <h2>Why the name</h2>
 * It is the name every Java HTTP library uses for this role, and Spindle's lives in its own package; it clashes only
 * with {@code java.net.http.HttpClient}, which a Spindle program has no reason to import beside it (a test that
 * drives both writes one qualified). The request and response types are {@code ClientRequest} and
 * {@code ClientResponse} because those do meet the server's {@code Request} and {@code Response} in one file: a
 * handler that calls another service.
 */
public final class HttpClient implements AutoCloseable {
    /** A redirect's body up to this size is read, so its connection can be reused; a larger one closes it. */
    private static final int REDIRECT_DRAIN = 64 * 1024;

    private final URI baseUrl;
    private final Headers defaultHeaders;
    private final Timeouts timeouts;
    private final PoolLimits limits;
    private final boolean followRedirects;
    private final int maxRedirects;
    private final long maxBodySize;
    private final boolean decompress;
    /** Null: no cookies kept or sent. */
    private final CookieJar cookies;

    private final ResponseDecoder.Limits responseLimits;
    private final ConnectOptions plain;
    private final ConnectOptions secure;
    /** Null: dial the origin. */
    private final Connector connector;

    private final Map<Loop, ConnectionPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private HttpClient(Builder b) {
        this.baseUrl = b.baseUrl;
        Headers h = new Headers();
        h.add("User-Agent", b.userAgent);
        h.add("Accept", "*/*");
        if (b.decompress) {
            h.add("Accept-Encoding", "gzip, deflate");
        }
        b.headers.forEach(h::set);
        this.defaultHeaders = h.readOnly();
        this.timeouts = b.timeouts;
        this.limits = b.limits;
        this.followRedirects = b.followRedirects;
        this.maxRedirects = b.maxRedirects;
        this.maxBodySize = b.maxBodySize;
        this.decompress = b.decompress;
        this.cookies = b.cookies;
        this.responseLimits =
                new ResponseDecoder.Limits(b.maxHeadSize, b.maxHeadSize, b.maxHeaderCount, 1024, 16 * 1024);
        this.plain = ConnectOptions.defaults();
        TlsOptions tls = b.tls == null ? TlsOptions.client() : b.tls;
        if (tls.alpn().isEmpty()) {
            tls = tls.withAlpn("http/1.1");
        }
        this.secure = ConnectOptions.builder().tls(tls).build();
        this.connector = b.connector;
    }

    /** A client with the defaults: {@link Timeouts#defaults()}, {@link PoolLimits#defaults()}, no redirects. */
    public static HttpClient create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- requests -------------------------------------------------------------------------------------------

    /** GET {@code url}, body read. */
    public ClientResponse get(String url) {
        return send(ClientRequest.get(url).build());
    }

    /** HEAD {@code url}. */
    public ClientResponse head(String url) {
        return send(ClientRequest.head(url).build());
    }

    /** DELETE {@code url}, body read. */
    public ClientResponse delete(String url) {
        return send(ClientRequest.delete(url).build());
    }

    /** POST {@code content} to {@code url}, body read. */
    public ClientResponse post(String url, Content content) {
        return send(ClientRequest.post(url).content(content).build());
    }

    /** PUT {@code content} to {@code url}, body read. */
    public ClientResponse put(String url, Content content) {
        return send(ClientRequest.put(url).content(content).build());
    }

    /** PATCH {@code content} to {@code url}, body read. */
    public ClientResponse patch(String url, Content content) {
        return send(ClientRequest.patch(url).content(content).build());
    }

    /**
     * Sends {@code request} and reads the whole response body (up to {@link Builder#maxBodySize}); the connection is
     * back in the pool when this returns.
     *
     * @throws HttpTimeout past a timeout; ProtocolError, StreamError, TooManyRedirects, BodyTooLarge (see above)
     */
    public ClientResponse send(ClientRequest request) {
        ClientResponse r = execute(request, false);
        try {
            r.bytes();
        } catch (Throwable e) {
            r.close();
            throw e;
        }
        return r;
    }

    /**
     * Sends {@code request} and returns once the response head is in; the body is read through the response
     * ({@link ClientResponse#chunks()}, or {@code bytes()}), which must be closed.
     *
     * {@snippet :
     * try (ClientResponse r = client.stream(ClientRequest.get(url).build())) {
     *     for (byte[] chunk : r.chunks()) { sink.write(chunk); }
     * }
     * }
     */
    public ClientResponse stream(ClientRequest request) {
        return execute(request, true);
    }

    /**
     * Closes every idle connection and refuses new requests; connections in use close when their response ends.
     * May be called from any thread; idempotent.
     */
    @Override
    public void close() {
        closed = true;
        Loop here = Loop.currentOrNull();
        for (Map.Entry<Loop, ConnectionPool> e : pools.entrySet()) {
            if (e.getKey() == here) {
                e.getValue().close();
            } else if (!e.getKey().isClosed()) {
                try {
                    e.getKey().callSoonThreadsafe(e.getValue()::close);
                } catch (RuntimeException ignored) {
                    // the loop closed meanwhile: its connections went with it
                    e.getValue().unregister();
                }
            } else {
                e.getValue().unregister(); // its connections went with the loop; its metrics go now
            }
        }
        pools.clear();
    }

    @Override
    public String toString() {
        return "HttpClient[" + (baseUrl == null ? "" : baseUrl + ", ") + pools.size() + " loops"
                + (closed ? ", closed" : "") + "]";
    }

    // ---- the request's path -------------------------------------------------------------------------------

    private ClientResponse execute(ClientRequest request, boolean stream) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new IllegalStateException("the HTTP client is closed");
        }
        Loop loop = Loop.currentOrNull();
        if (loop == null) {
            throw new IllegalStateException("HttpClient requests are made from coroutines (inside Spindle.run)");
        }
        ConnectionPool pool = pools.get(loop);
        if (pool == null) {
            pools.entrySet()
                    .removeIf(
                            en -> { // a loop's pool goes with it (each Spindle.run makes a loop)
                                if (en.getKey().isClosed()) {
                                    en.getValue().unregister();
                                    return true;
                                }
                                return false;
                            });
            pool = pools.computeIfAbsent(loop, l -> new ConnectionPool(l, limits, this::connect, poolName(l)));
        }
        Timeouts t = request.timeouts() != null ? request.timeouts() : timeouts;
        Deadline deadline = Deadline.start(loop, t);
        boolean follow = request.followRedirects() != null ? request.followRedirects() : followRedirects;
        URI url = resolve(request.url());
        List<ClientResponse> history = new ArrayList<>();
        ClientRequest current = request;
        while (true) {
            ClientResponse r = sendOnce(pool, current, url, deadline, stream);
            ClientRequest next;
            try {
                next = follow && r.isRedirect() ? Redirects.next(current, url, r) : null;
            } catch (RuntimeException e) {
                r.close(); // its connection must not stay checked out
                throw e;
            }
            if (next == null) {
                r.history(history);
                return r;
            }
            drainQuietly(r);
            history.add(r);
            if (history.size() > maxRedirects) {
                throw new TooManyRedirects("more than " + maxRedirects + " redirects, starting from " + request.method()
                        + " " + resolve(request.url()) + "; the last to " + next.url());
            }
            current = next;
            url = next.url();
        }
    }

    /** The name of this client's pool on {@code loop} in {@link dev.spindle.observe.Metrics}. */
    private String poolName(Loop loop) {
        return (baseUrl == null ? "HttpClient" : Origin.of(baseUrl).toString()) + " on " + loop.name();
    }

    private URI resolve(URI url) {
        if (url.isAbsolute() || baseUrl == null) {
            return url;
        }
        String base = baseUrl.toString();
        String rel = url.toString();
        if (base.endsWith("/") && rel.startsWith("/")) {
            rel = rel.substring(1);
        } else if (!base.endsWith("/") && !rel.startsWith("/") && !rel.isEmpty()) {
            rel = "/" + rel;
        }
        return URI.create(base + rel); // httpx's rule: the base's path is kept, the relative one appended
    }

    private ClientResponse sendOnce(
            ConnectionPool pool, ClientRequest request, URI url, Deadline deadline, boolean stream) {
        if (!SpindleJfr.recording()) { // one volatile read while JFR never ran
            return sendUnrecorded(pool, request, url, deadline, stream);
        }
        ClientRequestEvent e = ClientRequestEvent.start();
        if (e == null) {
            return sendUnrecorded(pool, request, url, deadline, stream);
        }
        int status = 0;
        String outcome = "error";
        try {
            ClientResponse r = sendUnrecorded(pool, request, url, deadline, stream);
            status = r.status();
            outcome = "ok";
            return r;
        } catch (Cancelled c) {
            outcome = "cancelled";
            throw c;
        } finally {
            e.finish(request.method(), Origin.of(url).toString(), status, outcome);
        }
    }

    private ClientResponse sendUnrecorded(
            ConnectionPool pool, ClientRequest request, URI url, Deadline deadline, boolean stream) {
        Origin origin = Origin.of(url);
        Headers headers = headersFor(request, url, origin);
        if (cookies != null && !headers.contains("Cookie")) {
            String cookie = cookies.header(url);
            if (cookie != null) {
                headers.add("Cookie", cookie);
            }
        }
        String target = target(url);
        Content content = request.content();
        for (int attempt = 0; ; attempt++) {
            ClientConnection c = pool.acquire(origin, deadline);
            boolean reused = c.use() > 0;
            ResponseDecoder.Head head;
            try {
                head = Exchange.send(c, request.method(), target, headers, content, request.expectContinue(), deadline);
                if (headers.containsToken("Connection", "close")) {
                    c.forbidReuse();
                }
            } catch (Throwable e) {
                boolean nothingCame = !c.decoder().anythingReceived();
                pool.discard(c);
                if (attempt == 0
                        && reused
                        && nothingCame
                        && (e instanceof StreamError || e instanceof ProtocolError)
                        && request.isIdempotent()
                        && (content == null || content.isReplayable())) {
                    continue; // the server had closed the kept-alive connection: once more, on a fresh one
                }
                throw e;
            }
            if (cookies != null) {
                for (String setCookie : head.headers().getAll("Set-Cookie")) {
                    cookies.store(url, setCookie);
                }
            }
            ContentDecoder decoding =
                    decompress ? ContentDecoder.forEncoding(head.headers().get("Content-Encoding")) : null;
            ResponseBody body = new ResponseBody(
                    c, pool, stream ? deadline.withoutDeadline() : deadline, decoding, request.method() + " " + url);
            return new ClientResponse(
                    request, url, head.version(), head.status(), head.reason(), head.headers(), body, maxBodySize);
        }
    }

    private Headers headersFor(ClientRequest request, URI url, Origin origin) {
        Headers own = request.headers();
        Headers h = new Headers();
        h.add("Host", origin.hostHeader());
        for (int i = 0; i < defaultHeaders.size(); i++) {
            if (!own.contains(defaultHeaders.name(i))) {
                h.add(defaultHeaders.name(i), defaultHeaders.value(i));
            }
        }
        for (int i = 0; i < own.size(); i++) {
            String n = own.name(i);
            if (!n.equalsIgnoreCase("Host")
                    && !n.equalsIgnoreCase("Content-Length")
                    && !n.equalsIgnoreCase("Transfer-Encoding")
                    && !n.equalsIgnoreCase("Expect")) {
                h.add(n, own.value(i));
            }
        }
        Content content = request.content();
        if (content != null && content.contentType() != null && !h.contains("Content-Type")) {
            h.add("Content-Type", content.contentType());
        }
        String userInfo = url.getRawUserInfo();
        if (userInfo != null && !h.contains("Authorization")) {
            String decoded = java.net.URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
            h.add(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8)));
        }
        if (content == null
                && (request.method().equals("POST")
                        || request.method().equals("PUT")
                        || request.method().equals("PATCH"))) {
            h.add("Content-Length", "0"); // RFC 9110 §8.6: a body-expecting method with no body says so
        }
        return h;
    }

    /** The origin-form request target: the path (at least "/") and the query, percent-encoded ASCII. */
    private static String target(URI url) {
        URI ascii;
        try {
            ascii = new URI(url.toASCIIString());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid URL " + url + ": " + e.getMessage(), e);
        }
        String path = ascii.getRawPath();
        String query = ascii.getRawQuery();
        String t = path == null || path.isEmpty() ? "/" : path;
        return query == null ? t : t + "?" + query;
    }

    /** Reads a small redirect body so its connection can be reused; closes a large or broken one. */
    private static void drainQuietly(ClientResponse r) {
        try (var chunks = r.chunks()) {
            long n = 0;
            while (n <= REDIRECT_DRAIN && chunks.hasNext()) {
                n += chunks.next().length;
            }
        } catch (ProtocolError | StreamError | HttpTimeout e) {
            // the redirect is followed anyway; its connection is already closed (a cancellation goes on up)
        }
    }

    private ClientConnection connect(Origin origin, Deadline deadline) {
        ConnectOptions options = origin.isTls() ? secure : plain;
        Connection conn = deadline.run(
                Phase.CONNECT,
                "a connection to " + origin,
                () -> connector != null
                        ? Objects.requireNonNull(
                                connector.connect(origin.host(), origin.port(), origin.isTls()),
                                "the connector returned no connection")
                        : Streams.openConnection(origin.host(), origin.port(), options));
        String alpn = conn.writer().alpnProtocol().orElse("http/1.1");
        if (!alpn.equals("http/1.1")) {
            conn.writer().abort();
            throw new ProtocolError(origin + " chose the application protocol " + alpn + " over http/1.1");
        }
        return new ClientConnection(origin, conn, responseLimits);
    }

    /** Builds an {@link HttpClient}; every setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private URI baseUrl;
        private final Headers headers = new Headers();
        private Timeouts timeouts = Timeouts.defaults();
        private PoolLimits limits = PoolLimits.defaults();
        private boolean followRedirects;
        private int maxRedirects = 20;
        private long maxBodySize = 64L << 20;
        private boolean decompress = true;
        private CookieJar cookies;
        private int maxHeadSize = 64 * 1024;
        private int maxHeaderCount = 100;
        private TlsOptions tls;
        private String userAgent = "spindle-http/0.1";
        private Connector connector;

        private Builder() {}

        /**
         * Opens connections with {@code connector} instead of dialing each URL's host (see {@link Connector}): for an
         * in-process server over a memory pair, a Unix domain socket, a tunnel. Everything else (pooling, timeouts,
         * the HTTP/1.1 exchange) is unchanged.
         */
        public Builder connector(Connector connector) {
            this.connector = Objects.requireNonNull(connector, "connector");
            return this;
        }

        /** Relative request URLs are appended to this one (httpx's {@code base_url}). */
        public Builder baseUrl(String url) {
            try {
                URI u = new URI(url);
                Origin.of(u); // checks scheme and host now
                this.baseUrl = u;
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("invalid base URL " + url + ": " + e.getMessage(), e);
            }
            return this;
        }

        /** A header sent with every request (a request's own field of the same name wins). */
        public Builder header(String name, String value) {
            headers.set(name, value);
            return this;
        }

        /** Defaults: {@link Timeouts#defaults()} (5 s each, no deadline). */
        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        public Builder limits(PoolLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Keeps cookies in {@code jar}: responses' {@code Set-Cookie} fields are stored, and matching cookies sent
         * with every request (RFC 6265, see {@link CookieJar}). Off by default: a client without a jar keeps none.
         */
        public Builder cookies(CookieJar jar) {
            this.cookies = Objects.requireNonNull(jar, "jar");
            return this;
        }

        /** Whether requests follow redirects unless they say otherwise; false by default, as in httpx. */
        public Builder followRedirects(boolean follow) {
            this.followRedirects = follow;
            return this;
        }

        /** The most redirects one request follows (20 by default, as httpx); past it {@link TooManyRedirects}. */
        public Builder maxRedirects(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxRedirects must not be negative: " + n);
            }
            this.maxRedirects = n;
            return this;
        }

        /** The largest body {@link ClientResponse#bytes()} reads, decoded (64 MiB by default). */
        public Builder maxBodySize(long bytes) {
            if (bytes < 0 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxBodySize must be 0 to 2 GiB: " + bytes);
            }
            this.maxBodySize = bytes;
            return this;
        }

        /** Whether to send {@code Accept-Encoding: gzip, deflate} and decode such bodies (true by default). */
        public Builder decompress(boolean decompress) {
            this.decompress = decompress;
            return this;
        }

        /** The largest response head (status line and fields) and each field line (64 KiB by default). */
        public Builder maxHeadSize(int bytes) {
            if (bytes < 64) {
                throw new IllegalArgumentException("maxHeadSize must be at least 64 bytes: " + bytes);
            }
            this.maxHeadSize = bytes;
            return this;
        }

        /** The most header fields in a response (100 by default). */
        public Builder maxHeaderCount(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("maxHeaderCount must be positive: " + n);
            }
            this.maxHeaderCount = n;
            return this;
        }

        /**
         * TLS for https URLs: default {@link TlsOptions#client()} (the JDK's trusted CAs, host names verified),
         * offering ALPN {@code http/1.1}.
         */
        public Builder tls(TlsOptions tls) {
            if (!Objects.requireNonNull(tls, "tls").isClient()) {
                throw new IllegalArgumentException("the client needs client TLS options (TlsOptions.client...)");
            }
            this.tls = tls;
            return this;
        }

        /** The User-Agent sent ({@code spindle-http/0.1} by default). */
        public Builder userAgent(String userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
            return this;
        }

        public HttpClient build() {
            return new HttpClient(this);
        }
    }
}
