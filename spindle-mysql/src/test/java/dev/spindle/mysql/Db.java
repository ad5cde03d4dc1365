package dev.spindle.mysql;

import dev.spindle.testservers.MariaDbServer;

/**
 * The MariaDB server shared by this JVM's tests (started once, killed at exit): users {@code spindle}
 * (mysql_native_password) and {@code edna} (ed25519), TLS with a throw-away CA, database {@code test}. Tests that kill
 * or restart a server start their own.
 */
final class Db {
    static final String USER = "spindle";
    static final String PASSWORD = "s3cret-pw";
    static final String ED_USER = "edna";
    static final String ED_PASSWORD = "ed-s3cret";

    private static MariaDbServer server;

    private Db() {}

    static synchronized MariaDbServer server() {
        if (server == null) {
            server = MariaDbServer.builder()
                    .user(USER, PASSWORD, "mysql_native_password")
                    .user(ED_USER, ED_PASSWORD, "ed25519")
                    .tls(true)
                    .option("--performance-schema=ON") // connection attributes are checked there
                    .option("--performance-schema-max-thread-instances=200")
                    .start();
        }
        return server;
    }

    /** Options for the shared server over plain TCP as {@link #USER}, database {@code test}. */
    static MySqlOptions.Builder options() {
        return optionsFor(server());
    }

    static MySqlOptions.Builder optionsFor(MariaDbServer s) {
        return MySqlOptions.builder()
                .host(s.host())
                .port(s.port())
                .user(USER)
                .password(PASSWORD)
                .database("test")
                .sslMode(SslMode.DISABLED);
    }

    static MySqlConnection connect() {
        return MySql.connect(options().build());
    }
}
