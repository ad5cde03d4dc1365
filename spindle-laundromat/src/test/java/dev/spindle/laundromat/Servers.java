package dev.spindle.laundromat;

import dev.spindle.testservers.MariaDbServer;
import dev.spindle.testservers.RedisServer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real servers this JVM's tests share: one mariadbd (each service gets a database of its own) and a
 * redis-server per service (the ready stream and rate keys are per Redis), both from spindle-testservers.
 */
final class Servers {
    static final String USER = "laundromat";
    static final String PASSWORD = "laundromat-pw";
    private static final AtomicInteger databases = new AtomicInteger();
    private static MariaDbServer db;

    private Servers() {}

    static synchronized MariaDbServer mariadb() {
        if (db == null) {
            db = MariaDbServer.builder()
                    .user(USER, PASSWORD, "mysql_native_password")
                    .start();
        }
        return db;
    }

    /** A URL of a database no other service of this JVM uses (created by the service at start). */
    static String freshDatabaseUrl() {
        MariaDbServer s = mariadb();
        return "mysql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + s.port() + "/laundromat_"
                + ProcessHandle.current().pid() + "_" + databases.incrementAndGet() + "?sslMode=DISABLED";
    }

    /** A configuration for {@code redis} and a fresh database, fast time, any free port. */
    static LaundromatConfig.Builder config(RedisServer redis) {
        return LaundromatConfig.builder()
                .redisUrl(redis.url())
                .mysqlUrl(freshDatabaseUrl())
                .port(0)
                .speed(600); // a wash minute is 100 ms
    }
}
