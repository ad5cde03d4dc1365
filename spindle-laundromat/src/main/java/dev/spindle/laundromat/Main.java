package dev.spindle.laundromat;

import java.nio.file.Path;

/**
 * The one command: {@code ./mvnw -q package -DskipTests -Pdemo} in this module (or {@code java ...
 * dev.spindle.laundromat.Main}). Reads {@link LaundromatConfig#fromEnvironment}; starts a local redis-server and
 * mariadbd ({@link LocalServers}) for each URL not given; starts the {@link Laundromat}; prints where everything is;
 * on Ctrl-C (SIGINT) or SIGTERM stops it gracefully, saving the washes in progress.
 *
 * {@snippet lang=text :
 * $ SPINDLE_REDIS_URL=redis://127.0.0.1:6379 java --add-opens java.base/java.lang=ALL-UNNAMED \
 *       -cp ... dev.spindle.laundromat.Main --port=8000 --speed=60
 * }
 */
public final class Main {
    /** Held so the level set on it stays (JUL keeps loggers weakly). */
    private static final java.util.logging.Logger ACCESS_LOG =
            java.util.logging.Logger.getLogger("dev.spindle.http.access");

    private Main() {}

    public static void main(String[] args) {
        LaundromatConfig config = LaundromatConfig.fromEnvironment(System.getenv(), args);
        if (System.getProperty("java.util.logging.config.file") == null) {
            // one line per request drowns the console under load; -Djava.util.logging.config.file=... brings it back
            ACCESS_LOG.setLevel(java.util.logging.Level.WARNING);
        }
        LocalServers local = null;
        if (config.redisUrl() == null || config.mysqlUrl() == null) {
            Path dir = config.dataDir() != null
                    ? Path.of(config.dataDir())
                    : Path.of(System.getProperty("user.home"), ".spindle-laundromat");
            System.out.println("Starting local servers (data in " + dir + ") ...");
            local = LocalServers.start(dir, config.redisUrl() == null, config.mysqlUrl() == null);
            LaundromatConfig.Builder b = config.toBuilder();
            if (local.redisUrl() != null) {
                b.redisUrl(local.redisUrl());
                System.out.println(
                        "  redis-server  " + local.redisUrl() + "  (local, data in " + dir.resolve("redis") + ")");
            }
            if (local.mysqlUrl() != null) {
                b.mysqlUrl(local.mysqlUrl());
                System.out.println(
                        "  mariadbd      " + local.mysqlUrl() + "  (local, data in " + dir.resolve("mariadb") + ")");
            }
            config = b.build();
        }
        boolean portGiven = System.getenv("SPINDLE_LAUNDROMAT_PORT") != null
                || LaundromatConfig.splitArgs(args).stream().anyMatch(a -> a.startsWith("--port="));
        if (!portGiven && !isFree(config.host(), config.port())) {
            System.out.println("Port " + config.port() + " is taken; using a free one (--port=N to choose).");
            config = config.toBuilder().port(0).build();
        }
        // the hook is in place before the start, so a signal during the start stops what it started, gracefully
        java.util.concurrent.CompletableFuture<Laundromat> running = new java.util.concurrent.CompletableFuture<>();
        LocalServers servers = local;
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            Laundromat s = running.handle((v, e) -> v).join(); // waits for a start under way
                            if (s != null) {
                                System.out.println("Stopping: saving the washes in progress ...");
                                s.close();
                            }
                            if (servers != null) {
                                servers.close();
                            }
                            if (s != null) {
                                System.out.println("Stopped.");
                                System.out.flush();
                                // a stop asked for is a success: exit 0 rather than the signal's 130 or 143
                                Runtime.getRuntime().halt(0);
                            }
                        },
                        "laundromat-shutdown"));
        Laundromat shop;
        try {
            shop = Laundromat.start(config);
            running.complete(shop);
        } catch (RuntimeException e) {
            running.complete(null);
            throw e;
        }
        System.out.println("Spindle Laundromat: " + config.machines() + " machines, time x" + config.speed()
                + (shop.resumed() > 0 ? ", " + shop.resumed() + " washes resumed" : ""));
        System.out.println("  redis         " + config.redisUrl());
        System.out.println("  mariadb       " + redact(config.mysqlUrl()));
        System.out.println("  page          " + shop.baseUrl() + "/");
        System.out.println("  API docs      " + shop.baseUrl() + "/docs");
        System.out.println("Ctrl-C stops it; washes in progress are saved and resume at the next start.");
        shop.awaitStopped();
    }

    private static boolean isFree(String host, int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new java.net.InetSocketAddress(host, port));
            return true;
        } catch (java.io.IOException taken) {
            return false;
        }
    }

    /** The URL without its password. */
    static String redact(String url) {
        return url.replaceFirst("://([^:@/]+):[^@/]*@", "://$1:***@");
    }
}
