package dev.spindle.laundromat;

import dev.spindle.testservers.Binaries;
import dev.spindle.testservers.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local redis-server and mariadbd for the service when no URLs are given (as the tests start theirs), on free
 * ports of 127.0.0.1, but with their data kept in a directory of the user's (default
 * {@code ~/.spindle-laundromat}): Redis with an append-only file, MariaDB's data directory made once with
 * {@code mariadb-install-db}. So a stopped service's saved washes are there at the next start.
 *
 * {@snippet :
 * try (LocalServers local = LocalServers.start(Path.of(System.getProperty("user.home"), ".spindle-laundromat"),
 *         true, true)) {
 *     String redisUrl = local.redisUrl();   // redis://127.0.0.1:41234
 *     String mysqlUrl = local.mysqlUrl();   // mysql://laundromat:laundromat@127.0.0.1:41235/laundromat?sslMode=DISABLED
 * }
 * }
 *
 * <p>{@link #close} stops the servers (SIGTERM, so they write their data out; killed after 30 s). The programs come
 * from the Debian packages {@code redis-server} and {@code mariadb-server}; a missing one is named in the error.
 * These are conveniences for a demo, not production servers: no password on Redis, a fixed MariaDB password, and
 * both listen on 127.0.0.1 only.
 */
public final class LocalServers implements AutoCloseable {
    private static final String USER = "laundromat";
    private static final String PASSWORD = "laundromat";

    private final List<Process> processes = new ArrayList<>();
    private String redisUrl;
    private String mysqlUrl;
    private final Path dir;

    private LocalServers(Path dir) {
        this.dir = dir;
    }

    /** Starts the servers asked for, keeping their data under {@code dir}. */
    public static LocalServers start(Path dir, boolean redis, boolean mysql) {
        LocalServers s = new LocalServers(dir);
        try {
            Files.createDirectories(dir);
            if (redis) {
                s.startRedis();
            }
            if (mysql) {
                s.startMariaDb();
            }
            return s;
        } catch (IOException e) {
            s.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The Redis URL, or {@code null} if Redis was not started here. */
    public String redisUrl() {
        return redisUrl;
    }

    /** The MariaDB URL, or {@code null} if MariaDB was not started here. */
    public String mysqlUrl() {
        return mysqlUrl;
    }

    /** Where the data is kept. */
    public Path dir() {
        return dir;
    }

    private void startRedis() throws IOException {
        Path binary = Binaries.require("redis-server", "redis-server");
        Path data = Files.createDirectories(dir.resolve("redis"));
        int port = FreePorts.find();
        Process p = launch(
                data.resolve("redis.log"),
                List.of(
                        binary.toString(),
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--dir",
                        data.toString(),
                        "--appendonly",
                        "yes",
                        "--save",
                        "",
                        "--daemonize",
                        "no"));
        awaitPort(p, port, data.resolve("redis.log"));
        redisUrl = "redis://127.0.0.1:" + port;
    }

    private void startMariaDb() throws IOException {
        Path mariadbd = Binaries.require("mariadbd", "mariadb-server");
        Path root = Files.createDirectories(dir.resolve("mariadb"));
        Path data = root.resolve("data");
        String user = System.getProperty("user.name");
        if (!Files.isDirectory(data.resolve("mysql"))) {
            Path installDb = Binaries.require("mariadb-install-db", "mariadb-server");
            Process install = launch(
                    root.resolve("install.log"),
                    List.of(
                            installDb.toString(),
                            "--no-defaults",
                            "--datadir=" + data,
                            "--user=" + user,
                            "--auth-root-authentication-method=normal",
                            "--skip-test-db",
                            "--skip-name-resolve"));
            try {
                if (!install.waitFor(120, TimeUnit.SECONDS) || install.exitValue() != 0) {
                    install.destroyForcibly();
                    throw new IllegalStateException("mariadb-install-db failed; see " + root.resolve("install.log"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            processes.remove(install);
        }
        Files.writeString(
                root.resolve("init.sql"),
                "CREATE DATABASE IF NOT EXISTS laundromat;\n"
                        + "CREATE USER IF NOT EXISTS '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "';\n"
                        + "CREATE USER IF NOT EXISTS '" + USER + "'@'localhost' IDENTIFIED BY '" + PASSWORD + "';\n"
                        + "GRANT ALL PRIVILEGES ON laundromat.* TO '" + USER + "'@'127.0.0.1';\n"
                        + "GRANT ALL PRIVILEGES ON laundromat.* TO '" + USER + "'@'localhost';\n");
        int port = FreePorts.find();
        Process p = launch(
                root.resolve("mariadbd.log"),
                List.of(
                        mariadbd.toString(),
                        "--no-defaults",
                        "--datadir=" + data,
                        "--port=" + port,
                        "--bind-address=127.0.0.1",
                        "--socket=" + root.resolve("mysqld.sock"),
                        "--pid-file=" + root.resolve("mysqld.pid"),
                        "--user=" + user,
                        "--init-file=" + root.resolve("init.sql"),
                        "--skip-name-resolve",
                        "--skip-log-bin",
                        "--innodb-buffer-pool-size=64M",
                        "--performance-schema=OFF",
                        "--max-connections=500",
                        "--character-set-server=utf8mb4",
                        "--collation-server=utf8mb4_general_ci"));
        awaitPort(p, port, root.resolve("mariadbd.log"));
        mysqlUrl = "mysql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/laundromat?sslMode=DISABLED";
    }

    private Process launch(Path log, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        processes.add(p);
        return p;
    }

    private static void awaitPort(Process p, int port, Path log) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(
                        "the server exited with " + p.exitValue() + " before listening; see " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        throw new IllegalStateException("the server did not listen on " + port + " within 90 s; see " + log);
    }

    /** Stops the servers, newest first (SIGTERM; killed after 30 s). */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }
}
