package dev.spindle.mysql;

import dev.spindle.io.TlsOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how to connect: server, credentials, TLS, timeouts, session set-up and value mapping. Immutable; made
 * from a URL with {@link #parse} or with {@link #builder()}. A bad value fails at once, naming the option.
 *
 * {@snippet :
 * MySqlOptions a = MySqlOptions.parse("mysql://app:s3cret@db.internal:3306/shop?sslMode=VERIFY_CA&sslCa=/etc/ca.pem"
 *         + "&connectTimeout=5s");
 * MySqlOptions b = MySqlOptions.builder()
 *         .host("127.0.0.1").port(3306).user("app").password("s3cret").database("shop")
 *         .sslMode(SslMode.DISABLED)
 *         .initSql("SET SESSION sql_mode = 'STRICT_ALL_TABLES'")
 *         .build();
 * }
 *
 * <h2>URL</h2>
 * {@code mysql://user:password@host:port/database?option=value&...} ({@code mariadb://} is accepted too); user and
 * password are percent-decoded. A unix socket: {@code mysql://user@localhost/db?socket=/run/mysqld/mysqld.sock}.
 * Options, by their builder names (MySQL's dashed names such as {@code ssl-mode} are accepted as well):
 * {@code sslMode}, {@code sslCa}, {@code socket}, {@code connectTimeout}, {@code cancelTimeout}, {@code collation},
 * {@code timeZone}, {@code tinyInt1IsBoolean}, {@code zeroDates} ({@code null} or {@code error}),
 * {@code multiStatements}, {@code statementCacheSize}, {@code pacePipelineReads}, {@code maxPacketSize}, {@code serverRsaPublicKey},
 * {@code allowPublicKeyRetrieval}, {@code initSql}, {@code attr.<name>} (a connection attribute). Durations take
 * {@code 500ms}, {@code 5s}, {@code 2m} or ISO-8601 ({@code PT5S}); a bare number is seconds.
 *
 * <h2>Session time zone</h2>
 * The connection sets the session's {@code time_zone} to {@link #timeZone()} ({@code +00:00} by default), so TIMESTAMP
 * columns read back as {@link java.time.LocalDateTime} in that zone, and {@link java.time.Instant} parameters are
 * converted in it. {@code timeZone=server} leaves the server's setting alone (Instants are then refused).
 */
public final class MySqlOptions {
    private final String host;
    private final int port;
    private final Path socket;
    private final String user;
    private final String password;
    private final String database;
    private final SslMode sslMode;
    private final Path sslCa;
    private final TlsOptions tls;
    private final Duration connectTimeout;
    private final Duration cancelTimeout;
    private final String collation;
    private final ZoneId timeZone;
    private final boolean tinyInt1IsBoolean;
    private final boolean zeroDateIsNull;
    private final boolean multiStatements;
    private final int statementCacheSize;
    private final boolean pacePipelineReads;
    private final int maxPacketSize;
    private final String serverRsaPublicKey;
    private final boolean allowPublicKeyRetrieval;
    private final List<String> initSql;
    private final Map<String, String> attributes;

    private MySqlOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.socket = b.socket;
        this.user = b.user;
        this.password = b.password;
        this.database = b.database;
        this.sslMode = b.sslMode;
        this.sslCa = b.sslCa;
        this.tls = b.tls;
        this.connectTimeout = b.connectTimeout;
        this.cancelTimeout = b.cancelTimeout;
        this.collation = b.collation;
        this.timeZone = b.timeZone;
        this.tinyInt1IsBoolean = b.tinyInt1IsBoolean;
        this.zeroDateIsNull = b.zeroDateIsNull;
        this.multiStatements = b.multiStatements;
        this.statementCacheSize = b.statementCacheSize;
        this.pacePipelineReads = b.pacePipelineReads;
        this.maxPacketSize = b.maxPacketSize;
        this.serverRsaPublicKey = b.serverRsaPublicKey;
        this.allowPublicKeyRetrieval = b.allowPublicKeyRetrieval;
        this.initSql = List.copyOf(b.initSql);
        this.attributes = Map.copyOf(b.attributes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.socket = socket;
        b.user = user;
        b.password = password;
        b.database = database;
        b.sslMode = sslMode;
        b.sslCa = sslCa;
        b.tls = tls;
        b.connectTimeout = connectTimeout;
        b.cancelTimeout = cancelTimeout;
        b.collation = collation;
        b.timeZone = timeZone;
        b.tinyInt1IsBoolean = tinyInt1IsBoolean;
        b.zeroDateIsNull = zeroDateIsNull;
        b.multiStatements = multiStatements;
        b.statementCacheSize = statementCacheSize;
        b.pacePipelineReads = pacePipelineReads;
        b.maxPacketSize = maxPacketSize;
        b.serverRsaPublicKey = serverRsaPublicKey;
        b.allowPublicKeyRetrieval = allowPublicKeyRetrieval;
        b.initSql.addAll(initSql);
        b.attributes.putAll(attributes);
        return b;
    }

    /**
     * Options from a {@code mysql://} URL (see the class description).
     *
     * @throws IllegalArgumentException naming the option whose value is bad, or an unknown option
     */
    public static MySqlOptions parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a mysql:// URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equalsIgnoreCase("mysql")
                        || scheme.equalsIgnoreCase("mariadb")
                        || scheme.equalsIgnoreCase("jdbc"))) {
            throw new IllegalArgumentException("URL scheme must be mysql:// or mariadb://, not " + scheme);
        }
        Builder b = builder();
        if (uri.getHost() != null) {
            b.host(uri.getHost());
        }
        if (uri.getPort() != -1) {
            b.port(uri.getPort());
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            b.user(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                b.password(decode(userInfo.substring(colon + 1)));
            }
        }
        String path = uri.getRawPath();
        if (path != null && path.length() > 1) {
            b.database(decode(path.substring(1)));
        }
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
                b.option(key, value);
            }
        }
        return b.build();
    }

    /** Query values are form-encoded: {@code +} is a space (as browsers and Python's urllib write them). */
    private static String decodeQuery(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** User, password and database: {@code +} is itself (RFC 3986), so a password may hold one unencoded. */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The server's host name or IP; {@code localhost} by default. */
    public String host() {
        return host;
    }

    /** The TCP port; 3306 by default. */
    public int port() {
        return port;
    }

    /** The unix socket to connect through instead of TCP, or null. */
    public Path socket() {
        return socket;
    }

    public String user() {
        return user;
    }

    /** The password, or null for none. Not shown by {@link #toString()}. */
    public String password() {
        return password;
    }

    /** The default database, or null. */
    public String database() {
        return database;
    }

    public SslMode sslMode() {
        return sslMode;
    }

    /** A PEM file of CA certificates to trust instead of the JDK's, or null. */
    public Path sslCa() {
        return sslCa;
    }

    /** TLS settings given whole (an {@code SSLContext} of one's own), or null; overrides {@link #sslCa()}. */
    public TlsOptions tls() {
        return tls;
    }

    /** The most a connect may take, TLS and authentication included; 10 s by default. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * How long cleaning up after a cancelled query may take (the KILL QUERY on a side connection and reading the
     * rest of the reply) before the connection is closed instead; 5 s by default.
     */
    public Duration cancelTimeout() {
        return cancelTimeout;
    }

    /** The utf8mb4 collation of the session; {@code utf8mb4_general_ci} by default. */
    public String collation() {
        return collation;
    }

    /** The session time zone (see the class description), or null for the server's. */
    public ZoneId timeZone() {
        return timeZone;
    }

    /** Whether TINYINT(1) and BIT(1) read as Boolean; true by default. */
    public boolean tinyInt1IsBoolean() {
        return tinyInt1IsBoolean;
    }

    /** Whether zero dates read as null (else they fail the read, naming the column); false by default. */
    public boolean zeroDateIsNull() {
        return zeroDateIsNull;
    }

    /** Whether one text query may hold several statements separated by {@code ;}; false by default. */
    public boolean multiStatements() {
        return multiStatements;
    }

    /** How many prepared statements each connection keeps (LRU; the evicted one is closed); 256 by default. */
    public int statementCacheSize() {
        return statementCacheSize;
    }

    /**
     * Whether a {@link Pipeline} waits a little on purpose before reading its replies, so that it takes many per read;
     * true by default. The server sends each statement's reply as soon as it is done; reading them as they trickle in
     * costs a read, a loop wake-up and (on Linux) an ACK per few replies. The wait follows an estimate of the server's
     * time per reply that adapts to what each connection sees, and is never more than half a millisecond, so a
     * pipeline's last reply is read at most that much later than it could have been. Off, replies are read as soon as
     * they arrive (the lowest latency, for pipelines of slow statements where that half millisecond matters).
     */
    public boolean pacePipelineReads() {
        return pacePipelineReads;
    }

    /** The longest packet accepted from the server; 256 MiB by default. */
    public int maxPacketSize() {
        return maxPacketSize;
    }

    /** The server's RSA public key (PEM) for sha256 password exchanges without TLS, or null. */
    public String serverRsaPublicKey() {
        return serverRsaPublicKey;
    }

    /** Whether the client may ask the server for its RSA key (open to a man in the middle); false by default. */
    public boolean allowPublicKeyRetrieval() {
        return allowPublicKeyRetrieval;
    }

    /** Statements run on every new connection after login, in order. */
    public List<String> initSql() {
        return initSql;
    }

    /** Connection attributes sent at login (shown in performance_schema.session_connect_attrs). */
    public Map<String, String> attributes() {
        return attributes;
    }

    /** The URL form, without the password. */
    @Override
    public String toString() {
        return "mysql://" + (user == null ? "" : user + "@") + host + ":" + port + "/"
                + (database == null ? "" : database) + (socket == null ? "" : "?socket=" + socket) + " [sslMode="
                + sslMode + "]";
    }

    /** Builds {@link MySqlOptions}; each setter checks its value. Not thread-safe. */
    public static final class Builder {
        private String host = "localhost";
        private int port = 3306;
        private Path socket;
        private String user = "root";
        private String password;
        private String database;
        private SslMode sslMode = SslMode.VERIFY_IDENTITY;
        private Path sslCa;
        private TlsOptions tls;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration cancelTimeout = Duration.ofSeconds(5);
        private String collation = "utf8mb4_general_ci";
        private ZoneId timeZone = ZoneId.of("Z");
        private boolean tinyInt1IsBoolean = true;
        private boolean zeroDateIsNull;
        private boolean multiStatements;
        private int statementCacheSize = 256;
        private boolean pacePipelineReads = true;
        private int maxPacketSize = 256 << 20;
        private String serverRsaPublicKey;
        private boolean allowPublicKeyRetrieval;
        private final List<String> initSql = new ArrayList<>();
        private final Map<String, String> attributes = new LinkedHashMap<>();

        private Builder() {}

        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host: must not be empty");
            }
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " is not between 1 and 65535");
            }
            this.port = port;
            return this;
        }

        public Builder socket(Path socket) {
            this.socket = socket;
            return this;
        }

        public Builder user(String user) {
            if (user == null || user.isEmpty()) {
                throw new IllegalArgumentException("user: must not be empty");
            }
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder database(String database) {
            this.database = database == null || database.isEmpty() ? null : database;
            return this;
        }

        public Builder sslMode(SslMode mode) {
            this.sslMode = Objects.requireNonNull(mode, "sslMode");
            return this;
        }

        public Builder sslCa(Path pemFile) {
            this.sslCa = pemFile;
            return this;
        }

        public Builder tls(TlsOptions tls) {
            if (tls != null && !tls.isClient()) {
                throw new IllegalArgumentException("tls: server-side TlsOptions given; use TlsOptions.client(...)");
            }
            this.tls = tls;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        public Builder cancelTimeout(Duration timeout) {
            this.cancelTimeout = positive("cancelTimeout", timeout);
            return this;
        }

        public Builder collation(String collation) {
            if (collation == null
                    || !collation.toLowerCase(Locale.ROOT).startsWith("utf8mb4_")
                    || !collation.matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("collation: " + collation + " is not a utf8mb4 collation");
            }
            this.collation = collation.toLowerCase(Locale.ROOT);
            return this;
        }

        /** The session time zone; null to leave the server's. */
        public Builder timeZone(ZoneId zone) {
            this.timeZone = zone;
            return this;
        }

        public Builder tinyInt1IsBoolean(boolean on) {
            this.tinyInt1IsBoolean = on;
            return this;
        }

        public Builder zeroDateIsNull(boolean on) {
            this.zeroDateIsNull = on;
            return this;
        }

        public Builder multiStatements(boolean on) {
            this.multiStatements = on;
            return this;
        }

        public Builder statementCacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("statementCacheSize: " + size + " is negative");
            }
            this.statementCacheSize = size;
            return this;
        }

        /** See {@link MySqlOptions#pacePipelineReads()}. */
        public Builder pacePipelineReads(boolean on) {
            this.pacePipelineReads = on;
            return this;
        }

        public Builder maxPacketSize(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxPacketSize: " + bytes + " is below 1024");
            }
            this.maxPacketSize = bytes;
            return this;
        }

        public Builder serverRsaPublicKey(String pem) {
            if (pem != null && !pem.contains("BEGIN PUBLIC KEY")) {
                throw new IllegalArgumentException("serverRsaPublicKey: not a PEM public key");
            }
            this.serverRsaPublicKey = pem;
            return this;
        }

        public Builder allowPublicKeyRetrieval(boolean on) {
            this.allowPublicKeyRetrieval = on;
            return this;
        }

        /** Adds a statement run on every new connection after login. */
        public Builder initSql(String sql) {
            if (sql == null || sql.isBlank()) {
                throw new IllegalArgumentException("initSql: must not be empty");
            }
            this.initSql.add(sql);
            return this;
        }

        /** Removes the statements added with {@link #initSql(String)}. */
        public Builder clearInitSql() {
            this.initSql.clear();
            return this;
        }

        /** Adds a connection attribute (besides {@code _client_name}, {@code _client_version}, {@code _pid}...). */
        public Builder attribute(String name, String value) {
            if (name == null || name.isEmpty() || value == null) {
                throw new IllegalArgumentException("attribute: name and value must not be empty");
            }
            this.attributes.put(name, value);
            return this;
        }

        /**
         * Sets an option by its URL name (see {@link MySqlOptions}).
         *
         * @throws IllegalArgumentException naming the option, for an unknown name or a bad value
         */
        public Builder option(String name, String value) {
            if (name.startsWith("attr.")) {
                return attribute(name.substring(5), value);
            }
            String key = name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
            return switch (key) {
                case "sslmode" -> sslMode(SslMode.parse(value));
                case "sslca" -> sslCa(Path.of(value));
                case "socket" -> socket(Path.of(value));
                case "connecttimeout" -> connectTimeout(duration(name, value));
                case "canceltimeout" -> cancelTimeout(duration(name, value));
                case "collation" -> collation(value);
                case "timezone" -> timeZone(zone(name, value));
                case "tinyint1isboolean", "tinyint1isbit" -> tinyInt1IsBoolean(bool(name, value));
                case "zerodates", "zerodatetimebehavior" -> zeroDateIsNull(zeroDates(name, value));
                case "multistatements", "allowmultiqueries" -> multiStatements(bool(name, value));
                case "statementcachesize" -> statementCacheSize(integer(name, value));
                case "maxpacketsize" -> maxPacketSize(integer(name, value));
                case "pacepipelinereads" -> pacePipelineReads(bool(name, value));
                case "serverrsapublickey" -> serverRsaPublicKey(value);
                case "allowpublickeyretrieval" -> allowPublicKeyRetrieval(bool(name, value));
                case "initsql" -> initSql(value);
                case "user" -> user(value);
                case "password" -> password(value);
                case "database" -> database(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            };
        }

        public MySqlOptions build() {
            return new MySqlOptions(this);
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + ": " + d + " is not a positive duration");
            }
            return d;
        }

        static Duration duration(String name, String v) {
            String s = v.trim().toLowerCase(Locale.ROOT);
            try {
                if (s.startsWith("pt")) {
                    return positive(name, Duration.parse(s));
                }
                if (s.endsWith("ms")) {
                    return positive(name, Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2))));
                }
                if (s.endsWith("s")) {
                    return positive(name, Duration.ofMillis((long)
                            (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000)));
                }
                if (s.endsWith("m")) {
                    return positive(name, Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1))));
                }
                return positive(name, Duration.ofMillis((long) (Double.parseDouble(s) * 1000)));
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new IllegalArgumentException(name + ": " + v + " is not a duration (e.g. 500ms, 5s, PT5S)");
            }
        }

        private static boolean bool(String name, String v) {
            return switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes", "on" -> true;
                case "false", "0", "no", "off" -> false;
                default -> throw new IllegalArgumentException(name + ": " + v + " is not true or false");
            };
        }

        private static int integer(String name, String v) {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": " + v + " is not an integer");
            }
        }

        private static boolean zeroDates(String name, String v) {
            return switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "null", "converttonull" -> true;
                case "error", "exception" -> false;
                default -> throw new IllegalArgumentException(name + ": " + v + " is not null or error");
            };
        }

        private static ZoneId zone(String name, String v) {
            if (v.equalsIgnoreCase("server")) {
                return null;
            }
            try {
                return ZoneId.of(v.trim());
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException(
                        name + ": " + v + " is not a time zone (e.g. +00:00, Europe/Paris," + " server)");
            }
        }
    }
}
