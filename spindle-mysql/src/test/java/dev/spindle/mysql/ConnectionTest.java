package dev.spindle.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.Server;
import dev.spindle.io.Streams;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import dev.spindle.time.TimedOut;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connecting: auth plugins, TLS modes, unix socket, URL options, session set-up, and peers that misbehave. */
@SpindleTest(time = TimeMode.REAL)
class ConnectionTest {
    @Test
    void nativePasswordOverTcp() {
        try (MySqlConnection c = Db.connect()) {
            assertEquals(
                    Db.USER + "@localhost",
                    c.fetchValue(String.class, "SELECT CURRENT_USER()").replace("%", "localhost"));
            assertEquals(
                    "mysql_native_password",
                    c.fetchValue(String.class, "SELECT plugin FROM mysql.user WHERE user = ? LIMIT 1", Db.USER));
            assertFalse(c.isTls());
            assertTrue(c.isMariaDb());
        }
    }

    @Test
    void ed25519ThroughAnAuthSwitch() {
        // the server greets with mysql_native_password and switches to client_ed25519 for this user
        try (MySqlConnection c = MySql.connect(
                Db.options().user(Db.ED_USER).password(Db.ED_PASSWORD).build())) {
            assertEquals(
                    "ed25519",
                    c.fetchValue(String.class, "SELECT plugin FROM mysql.user WHERE user = ? LIMIT 1", Db.ED_USER));
            assertTrue(c.fetchValue(String.class, "SELECT CURRENT_USER()").startsWith(Db.ED_USER + "@"));
        }
        ServerError.AccessDenied e = assertThrows(
                ServerError.AccessDenied.class,
                () -> MySql.connect(
                        Db.options().user(Db.ED_USER).password("wrong").build()));
        assertEquals(1045, e.code());
        assertEquals("28000", e.sqlState());
    }

    @Test
    void wrongPasswordIsAccessDenied() {
        ServerError.AccessDenied e = assertThrows(
                ServerError.AccessDenied.class,
                () -> MySql.connect(Db.options().password("nope").build()));
        assertTrue(e.getMessage().contains("Access denied"), e.getMessage());
    }

    @Test
    void tlsVerifiesTheServerByDefault() {
        var server = Db.server();
        MySqlOptions verified = Db.options()
                .sslMode(SslMode.VERIFY_IDENTITY)
                .sslCa(server.caCertificate())
                .build();
        try (MySqlConnection c = MySql.connect(verified)) {
            assertTrue(c.isTls());
            String cipher = c.fetchOne("SHOW SESSION STATUS LIKE 'Ssl_cipher'").getString(1);
            assertFalse(cipher.isEmpty(), "the server sees TLS");
            assertEquals(1, c.fetchValue(Integer.class, "SELECT ?", 1));
        }
        try (MySqlConnection c = MySql.connect(Db.options()
                .host("localhost")
                .sslMode(SslMode.VERIFY_IDENTITY)
                .sslCa(server.caCertificate())
                .build())) {
            assertTrue(c.isTls());
        }
        // the default mode (VERIFY_IDENTITY) with the JDK's trusted CAs refuses the test CA's certificate
        MySqlOptions untrusted = MySqlOptions.builder()
                .host("127.0.0.1")
                .port(server.port())
                .user(Db.USER)
                .password(Db.PASSWORD)
                .build();
        assertEquals(SslMode.VERIFY_IDENTITY, untrusted.sslMode());
        ConnectionLostError e = assertThrows(ConnectionLostError.class, () -> MySql.connect(untrusted));
        assertTrue(e.getMessage().contains("TLS"), e.getMessage());
        // REQUIRED encrypts without checking
        try (MySqlConnection c =
                MySql.connect(Db.options().sslMode(SslMode.REQUIRED).build())) {
            assertTrue(c.isTls());
        }
    }

    @Test
    void unixSocket() {
        try (MySqlConnection c = MySql.connect(Db.options()
                .socket(Db.server().socket())
                .sslMode(SslMode.VERIFY_IDENTITY)
                .build())) {
            assertFalse(c.isTls(), "no TLS over a unix socket");
            assertEquals(
                    "Localhost via UNIX socket".isEmpty() ? "" : "localhost",
                    c.fetchValue(String.class, "SELECT SUBSTRING_INDEX(USER(), '@', -1)"));
        }
    }

    @Test
    void urlOptionsAttributesAndSessionSetUp() {
        var s = Db.server();
        String url = "mysql://" + Db.USER + ":" + URLEncoder.encode(Db.PASSWORD, StandardCharsets.UTF_8) + "@127.0.0.1:"
                + s.port() + "/test?sslMode=DISABLED&connectTimeout=5s&attr.app=laundromat&collation=utf8mb4_unicode_ci"
                + "&initSql=" + URLEncoder.encode("SET @greeting = 'hi'", StandardCharsets.UTF_8);
        try (MySqlConnection c = MySql.connect(url)) {
            assertEquals("hi", c.fetchValue(String.class, "SELECT @greeting"));
            assertEquals("utf8mb4_unicode_ci", c.fetchValue(String.class, "SELECT @@collation_connection"));
            assertEquals("utf8mb4", c.fetchValue(String.class, "SELECT @@character_set_results"));
            assertEquals("+00:00", c.fetchValue(String.class, "SELECT @@session.time_zone"));
            assertEquals(
                    "laundromat",
                    c.fetchValue(
                            String.class,
                            "SELECT ATTR_VALUE FROM performance_schema.session_connect_attrs"
                                    + " WHERE PROCESSLIST_ID = CONNECTION_ID() AND ATTR_NAME = 'app'"));
            assertEquals(
                    "spindle-mysql",
                    c.fetchValue(
                            String.class,
                            "SELECT ATTR_VALUE FROM performance_schema.session_connect_attrs"
                                    + " WHERE PROCESSLIST_ID = CONNECTION_ID() AND ATTR_NAME = '_client_name'"));
            assertEquals("test", c.fetchValue(String.class, "SELECT DATABASE()"));
            assertEquals("\uD83E\uDDFA", c.fetchValue(String.class, "SELECT ?", "\uD83E\uDDFA")); // 4-byte UTF-8
        }
        // a collation beyond the handshake's byte goes through SET NAMES
        try (MySqlConnection c = MySql.connect(Db.options()
                .collation("utf8mb4_unicode_nopad_ci")
                .timeZone(java.time.ZoneOffset.ofHours(2))
                .build())) {
            assertEquals("utf8mb4_unicode_nopad_ci", c.fetchValue(String.class, "SELECT @@collation_connection"));
            assertEquals("+02:00", c.fetchValue(String.class, "SELECT @@session.time_zone"));
        }
    }

    @Test
    void badOptionsFailNamingTheOption() {
        assertMessage("unknown option frobnicate", () -> MySqlOptions.parse("mysql://u@h/db?frobnicate=1"));
        assertMessage("sslMode", () -> MySqlOptions.parse("mysql://u@h/db?sslMode=SOMETIMES"));
        assertMessage("connectTimeout", () -> MySqlOptions.parse("mysql://u@h/db?connectTimeout=soon"));
        assertMessage("port", () -> MySqlOptions.builder().port(70000));
        assertMessage("statementCacheSize", () -> MySqlOptions.parse("mysql://u@h/db?statementCacheSize=x"));
        assertMessage("zeroDates", () -> MySqlOptions.parse("mysql://u@h/db?zeroDates=maybe"));
        assertMessage("scheme", () -> MySqlOptions.parse("postgres://u@h/db"));
        MySqlOptions o = MySqlOptions.parse(
                "mariadb://a%40b:p%3Ass@db.example:3307/shop?ssl-mode=verify_ca&zeroDates=null&timeZone=server");
        assertEquals("a@b", o.user());
        assertEquals("p:ss", o.password());
        assertEquals("db.example", o.host());
        assertEquals(3307, o.port());
        assertEquals("shop", o.database());
        assertEquals(SslMode.VERIFY_CA, o.sslMode());
        assertTrue(o.zeroDateIsNull());
        assertEquals(null, o.timeZone());
        assertFalse(o.toString().contains("p:ss"), "the password stays out of toString");
        assertTrue(o.pacePipelineReads(), "paced by default");
        assertFalse(MySqlOptions.parse("mysql://u@h/db?pacePipelineReads=false").pacePipelineReads());
        assertFalse(o.toBuilder().pacePipelineReads(false).build().pacePipelineReads());
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage());
    }

    @Test
    void aPeerThatNeverGreetsHitsTheConnectTimeout() {
        Server silent = Streams.startServer((r, w) -> r.readAll(), "127.0.0.1", 0); // reads until the client goes
        try {
            int port = ((InetSocketAddress) silent.addresses().get(0)).getPort();
            MySqlOptions o = Db.options()
                    .port(port)
                    .connectTimeout(Duration.ofMillis(300))
                    .build();
            assertThrows(TimedOut.class, () -> MySql.connect(o));
        } finally {
            silent.close();
        }
    }

    @Test
    void aPeerSpeakingNonsenseIsAProtocolError() {
        Server liar = Streams.startServer(
                (r, w) -> {
                    w.write(new byte[] {3, 0, 0, 0, 10, 'x', 'y'}); // a whole packet; the version string has no end
                    r.readAll();
                },
                "127.0.0.1",
                0);
        Server http = Streams.startServer(
                (r, w) -> {
                    w.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    w.close();
                },
                "127.0.0.1",
                0);
        try {
            int port = ((InetSocketAddress) liar.addresses().get(0)).getPort();
            ProtocolError e = assertThrows(
                    ProtocolError.class,
                    () -> MySql.connect(Db.options()
                            .port(port)
                            .connectTimeout(Duration.ofSeconds(5))
                            .build()));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            int port2 = ((InetSocketAddress) http.addresses().get(0)).getPort();
            RuntimeException e2 = assertThrows(
                    RuntimeException.class,
                    () -> MySql.connect(Db.options()
                            .port(port2)
                            .connectTimeout(Duration.ofSeconds(5))
                            .build()));
            assertInstanceOf(MySqlException.class, e2, e2.toString());
        } finally {
            liar.close();
            http.close();
        }
    }
}
