package dev.spindle.mysql;

import static dev.spindle.Spindle.toThread;

import dev.spindle.task.Task;
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
            warmUpNetty();
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

    /**
     * On the Netty backend, the first connection of the JVM loads Netty's native library inside the loop's poller
     * set-up, holding the loop for about a second (a core matter, reported to the lead); load it off the loop here so
     * that no test's slow-step check trips over it.
     */
    private static void warmUpNetty() {
        if ("netty".equals(System.getProperty("spindle.io.backend")) && Task.currentOrNull() != null) {
            toThread(() -> {
                for (String c : new String[] {"io.netty.util.NetUtil", "io.netty.channel.epoll.Epoll"}) {
                    try {
                        Class.forName(c, true, Db.class.getClassLoader());
                    } catch (ClassNotFoundException | LinkageError e) {
                        // not on this platform: the backend says so itself
                    }
                }
                return null;
            });
        }
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
