package dev.spindle.testservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A real server process for tests (redis-server, mariadbd, ...): started on a free port of 127.0.0.1 with its own
 * temporary data directory, so a test can {@link #kill} it, {@link #restart} it on the same port with the same data,
 * and be sure nothing else talks to it. Its output goes to {@code server.log} in the data directory, and a start that
 * fails shows that log's tail.
 *
 * <p>Protocol modules build their own fixture on this one (a {@code RedisServer}, a {@code MariaDbServer}) by giving
 * the command line and, where a listening port is not enough, a readiness probe.
 *
 * {@snippet :
 * try (ServerProcess redis = ServerProcess.builder("redis")
 *         .command((port, dir) -> List.of(Binaries.require("redis-server", "redis-server").toString(),
 *                 "--port", String.valueOf(port), "--dir", dir.toString(), "--save", ""))
 *         .start()) {
 *     connectTo(redis.port());
 *     redis.kill();      // the server dies mid-test
 *     redis.restart();   // and comes back on the same port
 * }
 * }
 *
 * <p>Thread-safety: meant for one test thread; {@link #close} may be called from a shutdown hook.
 */
public final class ServerProcess implements AutoCloseable {

    /** Builds a server's command line from its port and data directory. */
    @FunctionalInterface
    public interface CommandLine {
        List<String> build(int port, Path dataDir);
    }

    /** Prepares a fresh data directory before the first start (e.g. {@code mariadb-install-db}). */
    @FunctionalInterface
    public interface Setup {
        void prepare(int port, Path dataDir) throws Exception;
    }

    private final String name;
    private final CommandLine commandLine;
    private final BooleanSupplier readyProbe;
    private final Duration startTimeout;
    private final Path dataDir;
    private final int port;
    private Process process;

    private ServerProcess(Builder b, int port, Path dataDir) {
        this.name = b.name;
        this.commandLine = b.commandLine;
        this.readyProbe = b.readyProbe;
        this.startTimeout = b.startTimeout;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Starts describing a server named {@code name} (used in messages and the data directory's name). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The TCP port on 127.0.0.1 the server listens on; the same after {@link #restart}. */
    public int port() {
        return port;
    }

    /** The server's private data directory, deleted by {@link #close}. */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the process is alive. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The operating system's id of the running process. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return process.pid();
    }

    /** Kills the server at once (SIGKILL), as a crash would, and waits until it is gone. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitGone();
        }
    }

    /** Stops the server politely (SIGTERM) and waits up to 30 s, then kills it. */
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            waitGone();
        }
    }

    /** Starts the server again on the same port with the same data directory; kills it first if it still runs. */
    public void restart() {
        kill();
        launch();
    }

    /** The last {@code lines} lines of the server's log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(dataDir.resolve("server.log"), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the server and deletes its data directory. */
    @Override
    public void close() {
        kill();
        deleteTree(dataDir);
    }

    private void launch() {
        List<String> command = commandLine.build(port, dataDir);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dataDir.resolve("server.log").toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue()
                        + " while starting on port " + port + "; its log ends:\n" + logTail(30));
            }
            if (accepts(port) && (readyProbe == null || readyProbe.getAsBoolean())) {
                return;
            }
            sleep(20);
        }
        process.destroyForcibly();
        throw new IllegalStateException(
                name + " was not ready on port " + port + " after " + startTimeout + "; its log ends:\n" + logTail(30));
    }

    private void waitGone() {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a server to start", e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a server's leftover socket or lock file: the temp directory's cleaner takes it later
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }

    /** Describes a server: its command line, optional set-up and readiness probe, and start timeout. */
    public static final class Builder {
        private final String name;
        private CommandLine commandLine;
        private Setup setup;
        private BooleanSupplier readyProbe;
        private Duration startTimeout = Duration.ofSeconds(30);

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** The command line; required. */
        public Builder command(CommandLine commandLine) {
            this.commandLine = Objects.requireNonNull(commandLine, "commandLine");
            return this;
        }

        /** Work done once on the fresh data directory before the first start. */
        public Builder setup(Setup setup) {
            this.setup = setup;
            return this;
        }

        /** Checked after the port accepts connections, until it returns true; none by default. */
        public Builder readyWhen(BooleanSupplier probe) {
            this.readyProbe = probe;
            return this;
        }

        /** How long a start may take; 30 s by default. */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Creates the data directory, runs the set-up, and starts the server on a free port, trying new ports a few
         * times when one was taken meanwhile.
         */
        public ServerProcess start() {
            if (commandLine == null) {
                throw new IllegalStateException("ServerProcess " + name + ": no command given");
            }
            IllegalStateException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                Path dir;
                try {
                    dir = Files.createTempDirectory("spindle-" + name + "-");
                } catch (IOException e) {
                    throw new UncheckedIOException("could not create a data directory for " + name, e);
                }
                int port = FreePorts.find();
                ServerProcess server = new ServerProcess(this, port, dir);
                try {
                    if (setup != null) {
                        setup.prepare(port, dir);
                    }
                    server.launch();
                    Runtime.getRuntime().addShutdownHook(new Thread(server::kill, "kill " + name));
                    return server;
                } catch (IllegalStateException e) {
                    last = e;
                    server.close();
                } catch (RuntimeException e) {
                    server.close();
                    throw e;
                } catch (Exception e) {
                    server.close();
                    throw new IllegalStateException("set-up of " + name + " failed: " + e, e);
                }
            }
            throw last;
        }
    }
}
