package dev.spindle.mysql;

import static dev.spindle.Spindle.toThread;

import dev.spindle.task.Task;
import dev.spindle.testservers.MariaDbServer;

/**
 * The MariaDB server shared by this JVM's tests (started once, killed at exit): users {@code spindle}
 * (mysql_native_password) and {@code edna} (ed25519), TLS with a throw-away CA, database {@code test}, a binary log
 * (so that ReplicationTest can hang a replica on it). Tests that kill
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
            warmUp();
            server = MariaDbServer.builder()
                    .user(USER, PASSWORD, "mysql_native_password")
                    .user(ED_USER, ED_PASSWORD, "ed25519")
                    .tls(true)
                    .option("--performance-schema=ON") // connection attributes are checked there
                    .option("--server-id=1") // a replication primary for ReplicationTest
                    .option("--log-bin=primary-bin")
                    .option("--binlog-format=ROW")
                    .option("--performance-schema-max-thread-instances=200")
                    .start();
        }
        return server;
    }

    /**
     * Loads, off the loop, what a JVM's first connection would otherwise load on it, holding the loop for about a
     * second on a busy machine (core matters, reported to the lead): Netty's native library on the Netty backend, and
     * the JDK's elliptic-curve tables that the first TLS handshake's key share builds. No test's slow-step check then
     * trips over a one-time cost.
     */
    private static void warmUp() {
        if (Task.currentOrNull() == null) {
            return;
        }
        toThread(() -> {
            if ("netty".equals(System.getProperty("spindle.io.backend"))) {
                for (String c : new String[] {"io.netty.util.NetUtil", "io.netty.channel.epoll.Epoll"}) {
                    try {
                        Class.forName(c, true, Db.class.getClassLoader());
                    } catch (ClassNotFoundException | LinkageError e) {
                        // not on this platform: the backend says so itself
                    }
                }
            }
            for (String curve : new String[] {"secp256r1", "secp384r1"}) {
                java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
                g.initialize(new java.security.spec.ECGenParameterSpec(curve));
                g.generateKeyPair();
            }
            java.security.KeyPairGenerator.getInstance("X25519").generateKeyPair();
            javax.net.ssl.SSLEngine engine =
                    javax.net.ssl.SSLContext.getDefault().createSSLEngine();
            engine.setUseClientMode(true);
            engine.beginHandshake();
            engine.wrap( // the ClientHello: its key shares initialize the curves' tables
                    java.nio.ByteBuffer.allocate(0),
                    java.nio.ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
            return null;
        });
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
