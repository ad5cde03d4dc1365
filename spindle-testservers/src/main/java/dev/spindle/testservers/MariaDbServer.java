package dev.spindle.testservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server of the test's own (Debian package {@code mariadb-server}): {@code mariadb-install-db} into a fresh
 * temporary data directory, then {@code mariadbd} on a free port of 127.0.0.1 and a private unix socket, running as
 * root (the tests do), with grants checked. Users are created with the auth plugins the test names, by an init file
 * that the server runs at every start (so they survive {@link #restart}). Optionally TLS, with a throw-away CA whose
 * certificate {@link #caCertificate()} gives, and a server certificate for {@code localhost} and {@code 127.0.0.1}.
 *
 * {@snippet :
 * try (MariaDbServer db = MariaDbServer.builder()
 *         .user("app", "secret", "mysql_native_password")
 *         .user("edna", "secret", "ed25519")
 *         .tls(true)
 *         .start()) {
 *     String url = "mysql://app:secret@127.0.0.1:" + db.port() + "/test?sslMode=DISABLED";
 *     db.kill();     // crash
 *     db.restart();  // same port, same data
 * }
 * }
 *
 * <p>Every user gets all privileges; a database {@code test} exists. Thread-safety: as {@link ServerProcess}.
 */
public final class MariaDbServer implements AutoCloseable {
    private final ServerProcess process;
    private final boolean tls;

    private MariaDbServer(ServerProcess process, boolean tls) {
        this.process = process;
        this.tls = tls;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return process.port();
    }

    /** The server's unix socket. */
    public Path socket() {
        return process.dataDir().resolve("mysqld.sock");
    }

    /** The PEM certificate of the CA that signed the server's certificate; only with {@code tls(true)}. */
    public Path caCertificate() {
        if (!tls) {
            throw new IllegalStateException("this MariaDbServer was started without TLS");
        }
        return process.dataDir().resolve("ca.pem");
    }

    /** The underlying process: {@link ServerProcess#pid()}, {@link ServerProcess#logTail}. */
    public ServerProcess process() {
        return process;
    }

    /** Kills the server (SIGKILL), as a crash would. */
    public void kill() {
        process.kill();
    }

    /** Starts it again on the same port with the same data (after {@link #kill}, or killing it first). */
    public void restart() {
        process.restart();
    }

    @Override
    public void close() {
        process.close();
    }

    /** A user to create: name, password, and auth plugin ({@code mysql_native_password}, {@code ed25519}). */
    private record User(String name, String password, String plugin) {}

    /** Describes the server to start. */
    public static final class Builder {
        private final List<User> users = new ArrayList<>();
        private final List<String> options = new ArrayList<>();
        private final List<String> initSql = new ArrayList<>();
        private boolean tls;

        private Builder() {}

        /** Adds a user with all privileges, identified by {@code plugin}, from any host. */
        public Builder user(String name, String password, String plugin) {
            if (!name.matches("[A-Za-z0-9_]+") || password.contains("'") || !plugin.matches("[a-z0-9_]+")) {
                throw new IllegalArgumentException("user names, passwords and plugins must be plain: " + name);
            }
            users.add(new User(name, password, plugin));
            return this;
        }

        /** Serves TLS with a fresh CA (needs {@code openssl}, Debian package {@code openssl}). */
        public Builder tls(boolean on) {
            this.tls = on;
            return this;
        }

        /** Adds a {@code mariadbd} command-line option, e.g. {@code --server-id=2}. */
        public Builder option(String option) {
            options.add(option);
            return this;
        }

        /** Adds a statement to the init file run at every start. */
        public Builder initSql(String sql) {
            initSql.add(sql);
            return this;
        }

        public MariaDbServer start() {
            Path mariadbd = Binaries.require("mariadbd", "mariadb-server");
            Path installDb = Binaries.require("mariadb-install-db", "mariadb-server");
            Path openssl = tls ? Binaries.require("openssl", "openssl") : null;
            ServerProcess p = ServerProcess.builder("mariadb")
                    .startTimeout(Duration.ofSeconds(60))
                    .setup((port, dir) -> {
                        run(
                                dir,
                                List.of(
                                        installDb.toString(),
                                        "--no-defaults",
                                        "--datadir=" + dir.resolve("data"),
                                        "--user=root",
                                        "--auth-root-authentication-method=normal",
                                        "--skip-test-db",
                                        "--skip-name-resolve"));
                        if (openssl != null) {
                            makeCertificates(openssl, dir);
                        }
                        Files.writeString(dir.resolve("init.sql"), initFile(), StandardCharsets.UTF_8);
                    })
                    .command((port, dir) -> {
                        List<String> cmd = new ArrayList<>(List.of(
                                mariadbd.toString(),
                                "--no-defaults",
                                "--datadir=" + dir.resolve("data"),
                                "--port=" + port,
                                "--bind-address=127.0.0.1",
                                "--socket=" + dir.resolve("mysqld.sock"),
                                "--pid-file=" + dir.resolve("mysqld.pid"),
                                "--user=root",
                                "--init-file=" + dir.resolve("init.sql"),
                                "--plugin-load-add=auth_ed25519",
                                "--skip-name-resolve",
                                "--skip-log-bin",
                                "--innodb-buffer-pool-size=64M",
                                "--innodb-log-file-size=16M",
                                "--innodb-flush-log-at-trx-commit=2",
                                "--performance-schema=OFF",
                                "--max-connections=1000",
                                "--character-set-server=utf8mb4",
                                "--collation-server=utf8mb4_general_ci"));
                        if (openssl != null) {
                            cmd.add("--ssl-ca=" + dir.resolve("ca.pem"));
                            cmd.add("--ssl-cert=" + dir.resolve("server-cert.pem"));
                            cmd.add("--ssl-key=" + dir.resolve("server-key.pem"));
                        }
                        cmd.addAll(options);
                        return cmd;
                    })
                    .start();
            return new MariaDbServer(p, tls);
        }

        private String initFile() {
            StringBuilder sb = new StringBuilder();
            sb.append("CREATE DATABASE IF NOT EXISTS test;\n");
            for (User u : users) {
                String how = u.plugin().equals("ed25519")
                        ? "IDENTIFIED VIA ed25519 USING PASSWORD('" + u.password() + "')"
                        : "IDENTIFIED VIA " + u.plugin() + " USING PASSWORD('" + u.password() + "')";
                sb.append("CREATE USER IF NOT EXISTS '")
                        .append(u.name())
                        .append("'@'%' ")
                        .append(how)
                        .append(";\n");
                sb.append("CREATE USER IF NOT EXISTS '")
                        .append(u.name())
                        .append("'@'localhost' ")
                        .append(how)
                        .append(";\n");
                sb.append("GRANT ALL PRIVILEGES ON *.* TO '").append(u.name()).append("'@'%' WITH GRANT OPTION;\n");
                sb.append("GRANT ALL PRIVILEGES ON *.* TO '")
                        .append(u.name())
                        .append("'@'localhost' WITH GRANT OPTION;\n");
            }
            for (String s : initSql) {
                sb.append(s).append(";\n");
            }
            return sb.toString();
        }

        private static void makeCertificates(Path openssl, Path dir) throws IOException, InterruptedException {
            String o = openssl.toString();
            Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
            run(
                    dir,
                    List.of(
                            o,
                            "req",
                            "-x509",
                            "-newkey",
                            "rsa:2048",
                            "-nodes",
                            "-keyout",
                            "ca-key.pem",
                            "-out",
                            "ca.pem",
                            "-days",
                            "3",
                            "-subj",
                            "/CN=Spindle test CA"));
            run(
                    dir,
                    List.of(
                            o,
                            "req",
                            "-newkey",
                            "rsa:2048",
                            "-nodes",
                            "-keyout",
                            "server-key.pem",
                            "-out",
                            "server-req.pem",
                            "-subj",
                            "/CN=localhost"));
            run(
                    dir,
                    List.of(
                            o,
                            "x509",
                            "-req",
                            "-in",
                            "server-req.pem",
                            "-CA",
                            "ca.pem",
                            "-CAkey",
                            "ca-key.pem",
                            "-CAcreateserial",
                            "-out",
                            "server-cert.pem",
                            "-days",
                            "3",
                            "-extfile",
                            "san.ext"));
        }

        private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
            Path log = dir.resolve("setup.log");
            Process p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " took over 120 s");
            }
            if (p.exitValue() != 0) {
                String out;
                try {
                    out = Files.readString(log);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                throw new IllegalStateException(
                        String.join(" ", command) + " failed with status " + p.exitValue() + ":\n" + out);
            }
        }
    }
}
