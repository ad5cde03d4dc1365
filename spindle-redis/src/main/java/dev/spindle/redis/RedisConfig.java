package dev.spindle.redis;

import dev.spindle.io.TlsOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a {@link RedisClient} connects: immutable, made from a URL (redis-py's {@code from_url} forms) or a
 * {@link #builder()}.
 *
 * {@snippet :
 * RedisConfig a = RedisConfig.fromUrl("redis://app:s%3Acret@cache.internal:6380/2?timeout=2s&client_name=web");
 * RedisConfig b = RedisConfig.builder().host("cache.internal").password("secret").database(2).build();
 * }
 *
 * <h2>URLs</h2>
 * <ul>
 *   <li>{@code redis://[[user]:password@]host[:port][/db][?options]}: TCP, port 6379 by default;
 *   <li>{@code rediss://...}: the same over TLS, with certificate and host-name verification on;
 *   <li>{@code unix:///path/to/redis.sock[?db=n&password=...]}: a Unix domain socket;
 *   <li>{@code redis-sentinel://[[user]:password@]host:port[,host:port...]/masterName[/db][?options]}: the master
 *       that the sentinels name (asked again at every reconnect, so a failover is followed).
 * </ul>
 * User and password are percent-decoded. The database comes from the path ({@code /2}) or {@code ?db=2}. Options
 * (redis-py's names): {@code db}, {@code password}, {@code username}, {@code client_name}, {@code protocol} (2 or 3),
 * {@code timeout} / {@code socket_timeout} (per command), {@code connect_timeout} / {@code socket_connect_timeout},
 * {@code pool_size} / {@code max_connections}, {@code pool_timeout}, {@code health_check_interval},
 * {@code max_lifetime}, {@code retries}, {@code sharing} ({@code multiplexed} or {@code pooled}), and for rediss
 * {@code ssl_cert_reqs=none} (no verification at all: for test servers only). Durations are seconds ({@code 1.5}) or
 * carry a unit ({@code 250ms}, {@code 2s}, {@code 1m}). An unknown scheme, an unknown option or a bad value fails at
 * once with an {@link IllegalArgumentException} naming it.
 */
public final class RedisConfig {

    /** How ordinary commands share connections. */
    public enum Sharing {
        /** One connection per loop, shared by every coroutine, commands pipelined on it (Lettuce's model). */
        MULTIPLEXED,
        /** Each command borrows a connection from the pool and gives it back. */
        POOLED
    }

    private final String host;
    private final int port;
    private final Path unixSocket;
    private final TlsOptions tls;
    private final String username;
    private final String password;
    private final int database;
    private final String clientName;
    private final int protocol;
    private final Duration connectTimeout;
    private final Duration commandTimeout;
    private final int poolSize;
    private final Duration poolTimeout;
    private final Duration healthCheckInterval;
    private final Duration maxLifetime;
    private final int retries;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final Sharing sharing;
    private final List<String> sentinels;
    private final String masterName;

    private RedisConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.unixSocket = b.unixSocket;
        this.tls = b.tls;
        this.username = b.username;
        this.password = b.password;
        this.database = b.database;
        this.clientName = b.clientName;
        this.protocol = b.protocol;
        this.connectTimeout = b.connectTimeout;
        this.commandTimeout = b.commandTimeout;
        this.poolSize = b.poolSize;
        this.poolTimeout = b.poolTimeout;
        this.healthCheckInterval = b.healthCheckInterval;
        this.maxLifetime = b.maxLifetime;
        this.retries = b.retries;
        this.backoffBase = b.backoffBase;
        this.backoffMax = b.backoffMax;
        this.sharing = b.sharing;
        this.sentinels = List.copyOf(b.sentinels);
        this.masterName = b.masterName;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.unixSocket = unixSocket;
        b.tls = tls;
        b.username = username;
        b.password = password;
        b.database = database;
        b.clientName = clientName;
        b.protocol = protocol;
        b.connectTimeout = connectTimeout;
        b.commandTimeout = commandTimeout;
        b.poolSize = poolSize;
        b.poolTimeout = poolTimeout;
        b.healthCheckInterval = healthCheckInterval;
        b.maxLifetime = maxLifetime;
        b.retries = retries;
        b.backoffBase = backoffBase;
        b.backoffMax = backoffMax;
        b.sharing = sharing;
        b.sentinels = sentinels;
        b.masterName = masterName;
        return b;
    }

    /**
     * Parses a {@code redis://}, {@code rediss://}, {@code unix://} or {@code redis-sentinel://} URL (see the class doc).
     *
     * @throws IllegalArgumentException naming the scheme, option or value that is wrong
     */
    public static RedisConfig fromUrl(String url) {
        Objects.requireNonNull(url, "url");
        if (url.regionMatches(true, 0, "redis-sentinel://", 0, 17)) {
            return fromSentinelUrl(url);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + redact(url) + " (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Builder b = builder();
        switch (scheme) {
            case "redis", "rediss" -> {
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("no host in " + redact(url));
                }
                String h = uri.getHost();
                b.host(h.startsWith("[") ? h.substring(1, h.length() - 1) : h);
                if (uri.getPort() != -1) {
                    b.port(uri.getPort());
                }
                if (scheme.equals("rediss")) {
                    b.tls(TlsOptions.client());
                }
                String path = uri.getRawPath();
                if (path != null && !path.isEmpty() && !path.equals("/")) {
                    b.database(parseInt("database in the path", path.substring(1)));
                }
            }
            case "unix" -> {
                String path = uri.getPath();
                if (path == null || path.isEmpty()) {
                    throw new IllegalArgumentException("no socket path in " + redact(url));
                }
                b.unixSocket(Path.of(path));
            }
            default ->
                throw new IllegalArgumentException(
                        "unknown scheme '" + scheme + "' in " + redact(url) + ": use redis://, rediss:// or unix://");
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? null : decode(userInfo.substring(0, colon));
            String pass = colon < 0 ? decode(userInfo) : decode(userInfo.substring(colon + 1));
            if (user != null && !user.isEmpty()) {
                b.username(user);
            }
            if (!pass.isEmpty()) {
                b.password(pass);
            }
        }
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                option(b, name, value, scheme);
            }
        }
        return b.build();
    }

    /**
     * {@code redis-sentinel://[[user]:password@]host:port[,host:port...]/masterName[/db][?options]}: the sentinels
     * are asked for the master's address; user and password are the master's.
     */
    private static RedisConfig fromSentinelUrl(String url) {
        String rest = url.substring("redis-sentinel://".length());
        int at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
        String userInfo = at < 0 ? null : rest.substring(0, at);
        rest = rest.substring(at + 1);
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(
                    "no master name in " + redact(url) + " (redis-sentinel://host:port[,host:port]/masterName)");
        }
        String hosts = rest.substring(0, slash);
        String path = rest.substring(slash + 1);
        String query = null;
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        String[] parts = path.split("/");
        if (parts[0].isEmpty()) {
            throw new IllegalArgumentException("no master name in " + redact(url));
        }
        List<String> sentinels = new java.util.ArrayList<>();
        for (String h : hosts.split(",")) {
            int colon = h.lastIndexOf(':');
            String host = colon < 0 ? h : h.substring(0, colon);
            int port = colon < 0 ? 26379 : parseInt("sentinel port", h.substring(colon + 1));
            if (host.isEmpty()) {
                throw new IllegalArgumentException("empty sentinel host in " + redact(url));
            }
            sentinels.add(host + ":" + port);
        }
        StringBuilder plain = new StringBuilder("redis://");
        if (userInfo != null) {
            plain.append(userInfo).append('@');
        }
        plain.append("127.0.0.1");
        if (parts.length > 1) {
            plain.append('/').append(parts[1]);
        }
        if (query != null) {
            plain.append('?').append(query);
        }
        return fromUrl(plain.toString()).toBuilder()
                .sentinel(decode(parts[0]), sentinels)
                .build();
    }

    private static void option(Builder b, String name, String value, String scheme) {
        switch (name) {
            case "db" -> b.database(parseInt(name, value));
            case "password" -> b.password(value);
            case "username", "user" -> b.username(value);
            case "client_name" -> b.clientName(value);
            case "protocol" -> b.protocol(parseInt(name, value));
            case "timeout", "socket_timeout" -> b.commandTimeout(parseDuration(name, value));
            case "connect_timeout", "socket_connect_timeout" -> b.connectTimeout(parseDuration(name, value));
            case "pool_size", "max_connections" -> b.poolSize(parseInt(name, value));
            case "pool_timeout" -> b.poolTimeout(parseDuration(name, value));
            case "health_check_interval" -> b.healthCheckInterval(parseDuration(name, value));
            case "max_lifetime" -> b.maxLifetime(parseDuration(name, value));
            case "retries" -> b.retries(parseInt(name, value));
            case "sharing" -> {
                try {
                    b.sharing(Sharing.valueOf(value.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "bad value for sharing: '" + value + "' (use multiplexed or pooled)");
                }
            }
            case "ssl_cert_reqs" -> {
                if (!scheme.equals("rediss")) {
                    throw new IllegalArgumentException("ssl_cert_reqs is only for rediss:// URLs");
                }
                switch (value.toLowerCase(Locale.ROOT)) {
                    case "required" -> {}
                    case "none" -> b.tls(InsecureTrust.options());
                    default ->
                        throw new IllegalArgumentException(
                                "bad value for ssl_cert_reqs: '" + value + "' (use required or none)");
                }
            }
            default -> throw new IllegalArgumentException("unknown option '" + name + "' in the Redis URL");
        }
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad value for " + name + ": '" + value + "' is not a whole number");
        }
    }

    static Duration parseDuration(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return seconds(Double.parseDouble(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return seconds(60 * Double.parseDouble(v.substring(0, v.length() - 1)));
            }
            return seconds(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad value for " + name + ": '" + value
                    + "' is not a duration (seconds like 1.5, or 250ms, 2s, 1m)");
        }
    }

    private static Duration seconds(double s) {
        if (!(s >= 0) || Double.isInfinite(s)) {
            throw new NumberFormatException();
        }
        return Duration.ofNanos((long) (s * 1e9));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String redact(String url) {
        return url.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@");
    }

    // ---- accessors ------------------------------------------------------------------------------------------

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The Unix socket to connect to instead of host and port. */
    public Optional<Path> unixSocket() {
        return Optional.ofNullable(unixSocket);
    }

    /** TLS, when set (rediss://); verification is on unless the options say otherwise. */
    public Optional<TlsOptions> tls() {
        return Optional.ofNullable(tls);
    }

    /** The ACL user; with only a password, AUTH uses the {@code default} user. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** The database SELECTed after connecting; 0 by default. */
    public int database() {
        return database;
    }

    /** The name given with CLIENT SETNAME. */
    public Optional<String> clientName() {
        return Optional.ofNullable(clientName);
    }

    /** 3 (HELLO 3, falling back to RESP2 on servers before 6) by default, or 2 to stay on RESP2. */
    public int protocol() {
        return protocol;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * How long a command waits for its reply (10 s by default); never applied to blocking commands, which wait as
     * long as their own server-side timeout says.
     */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** Most connections the pool holds (per loop); 16 by default. */
    public int poolSize() {
        return poolSize;
    }

    /** How long a borrower waits for a free connection before {@link RedisPoolExhausted}; 5 s by default. */
    public Duration poolTimeout() {
        return poolTimeout;
    }

    /** A pooled connection idle longer than this is checked with PING before use; 30 s by default. */
    public Duration healthCheckInterval() {
        return healthCheckInterval;
    }

    /** A pooled connection older than this is closed instead of reused; 30 min by default. */
    public Duration maxLifetime() {
        return maxLifetime;
    }

    /** How many times an idempotent command is retried on a new connection after its connection was lost; 3. */
    public int retries() {
        return retries;
    }

    /** The first reconnect delay; doubled (with full jitter) after each failure up to {@link #backoffMax()}. */
    public Duration backoffBase() {
        return backoffBase;
    }

    public Duration backoffMax() {
        return backoffMax;
    }

    public Sharing sharing() {
        return sharing;
    }

    /** The sentinels ({@code host:port}) asked for the master's address; empty when connecting directly. */
    public List<String> sentinels() {
        return sentinels;
    }

    /** The name the sentinels know the master by, when {@link #sentinels()} is not empty. */
    public Optional<String> masterName() {
        return Optional.ofNullable(masterName);
    }

    /** Where the client connects, for messages: {@code host:port} or the socket path. */
    public String address() {
        if (masterName != null && host.equals(SENTINEL_PLACEHOLDER)) {
            return "master '" + masterName + "' of sentinels " + sentinels;
        }
        return unixSocket != null ? unixSocket.toString() : (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "RedisConfig[" + (tls != null ? "rediss://" : "redis://") + address() + "/" + database
                + (username != null ? ", user " + username : "") + (password != null ? ", password ***" : "")
                + ", RESP" + protocol + ", " + sharing.name().toLowerCase(Locale.ROOT) + "]";
    }

    private static final String SENTINEL_PLACEHOLDER = "sentinel-resolved";

    /** Builds a {@link RedisConfig}; every setter checks its argument at once. */
    public static final class Builder {
        private List<String> sentinels = List.of();
        private String masterName;

        private String host = "127.0.0.1";
        private int port = 6379;
        private Path unixSocket;
        private TlsOptions tls;
        private String username;
        private String password;
        private int database;
        private String clientName;
        private int protocol = 3;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration commandTimeout = Duration.ofSeconds(10);
        private int poolSize = 16;
        private Duration poolTimeout = Duration.ofSeconds(5);
        private Duration healthCheckInterval = Duration.ofSeconds(30);
        private Duration maxLifetime = Duration.ofMinutes(30);
        private int retries = 3;
        private Duration backoffBase = Duration.ofMillis(50);
        private Duration backoffMax = Duration.ofSeconds(5);
        private Sharing sharing = Sharing.MULTIPLEXED;

        private Builder() {}

        public Builder host(String host) {
            if (Objects.requireNonNull(host, "host").isEmpty()) {
                throw new IllegalArgumentException("host is empty");
            }
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bad port: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder unixSocket(Path path) {
            this.unixSocket = Objects.requireNonNull(path, "path");
            return this;
        }

        public Builder tls(TlsOptions tls) {
            if (tls != null && !tls.isClient()) {
                throw new IllegalArgumentException("TLS options for a server were given to a client");
            }
            this.tls = tls;
            return this;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder database(int database) {
            if (database < 0) {
                throw new IllegalArgumentException("bad value for db: " + database + " is negative");
            }
            this.database = database;
            return this;
        }

        public Builder clientName(String name) {
            if (name != null && (name.contains(" ") || name.contains("\n"))) {
                throw new IllegalArgumentException("bad client_name: '" + name + "' (no spaces or newlines)");
            }
            this.clientName = name;
            return this;
        }

        public Builder protocol(int protocol) {
            if (protocol != 2 && protocol != 3) {
                throw new IllegalArgumentException("bad value for protocol: " + protocol + " (use 2 or 3)");
            }
            this.protocol = protocol;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connect_timeout", timeout);
            return this;
        }

        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = positive("timeout", timeout);
            return this;
        }

        public Builder poolSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("bad value for pool_size: " + size + " (at least 1)");
            }
            this.poolSize = size;
            return this;
        }

        public Builder poolTimeout(Duration timeout) {
            this.poolTimeout = positive("pool_timeout", timeout);
            return this;
        }

        public Builder healthCheckInterval(Duration interval) {
            this.healthCheckInterval = Objects.requireNonNull(interval, "health_check_interval");
            return this;
        }

        public Builder maxLifetime(Duration lifetime) {
            this.maxLifetime = positive("max_lifetime", lifetime);
            return this;
        }

        public Builder retries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("bad value for retries: " + retries);
            }
            this.retries = retries;
            return this;
        }

        /** The reconnect backoff: first delay and cap. */
        public Builder backoff(Duration base, Duration max) {
            this.backoffBase = positive("backoff base", base);
            this.backoffMax = positive("backoff max", max);
            return this;
        }

        public Builder sharing(Sharing sharing) {
            this.sharing = Objects.requireNonNull(sharing, "sharing");
            return this;
        }

        /**
         * Find the master through sentinels: {@code masterName} as they know it, each sentinel as {@code host:port}.
         * Every (re)connect asks them again, so a failover is followed.
         */
        public Builder sentinel(String masterName, List<String> sentinels) {
            if (Objects.requireNonNull(masterName, "masterName").isEmpty() || sentinels.isEmpty()) {
                throw new IllegalArgumentException("a sentinel set-up needs a master name and at least one sentinel");
            }
            for (String s : sentinels) {
                if (s.lastIndexOf(':') <= 0) {
                    throw new IllegalArgumentException("bad sentinel address (host:port): " + s);
                }
                parseInt("sentinel port", s.substring(s.lastIndexOf(':') + 1));
            }
            this.masterName = masterName;
            this.sentinels = List.copyOf(sentinels);
            this.host = SENTINEL_PLACEHOLDER;
            return this;
        }

        public RedisConfig build() {
            return new RedisConfig(this);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("bad value for " + name + ": " + d + " (must be positive)");
            }
            return d;
        }
    }
}
