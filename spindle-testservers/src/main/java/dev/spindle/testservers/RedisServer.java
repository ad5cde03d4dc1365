package dev.spindle.testservers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server for tests, on a free port of 127.0.0.1 and a Unix socket in its data directory, with no
 * persistence and the DEBUG command allowed (for {@code DEBUG SLEEP} in fault tests). Kill it and restart it on the
 * same port to test reconnects.
 *
 * {@snippet :
 * try (RedisServer redis = RedisServer.start()) {
 *     RedisClient client = RedisClient.create(redis.url());
 *     redis.kill();
 *     redis.restart();
 * }
 * }
 */
public final class RedisServer implements AutoCloseable {
    private final ServerProcess process;

    private RedisServer(ServerProcess process) {
        this.process = process;
    }

    /** Starts a server; {@code extraArgs} are more redis-server options ({@code "--requirepass", "secret"}). */
    public static RedisServer start(String... extraArgs) {
        Path binary = Binaries.require("redis-server", "redis-server");
        ServerProcess p = ServerProcess.builder("redis")
                .command((port, dir) -> {
                    List<String> cmd = new ArrayList<>(List.of(
                            binary.toString(),
                            "--port",
                            String.valueOf(port),
                            "--bind",
                            "127.0.0.1",
                            "--dir",
                            dir.toString(),
                            "--unixsocket",
                            dir.resolve("redis.sock").toString(),
                            "--unixsocketperm",
                            "700",
                            "--save",
                            "",
                            "--appendonly",
                            "no",
                            "--enable-debug-command",
                            "yes",
                            "--daemonize",
                            "no"));
                    cmd.addAll(List.of(extraArgs));
                    return cmd;
                })
                .start();
        RedisServer server = new RedisServer(p);
        server.awaitPong();
        return server;
    }

    /** The TCP port on 127.0.0.1; the same after {@link #restart()}. */
    public int port() {
        return process.port();
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String url() {
        return "redis://127.0.0.1:" + port();
    }

    /** The server's Unix socket. */
    public Path unixSocket() {
        return process.dataDir().resolve("redis.sock");
    }

    /** The server's process, to kill or restart it. */
    public ServerProcess process() {
        return process;
    }

    /** Kills the server at once (SIGKILL), as a crash would. */
    public void kill() {
        process.kill();
    }

    /** Starts the server again on the same port (its data is gone: no persistence). */
    public void restart() {
        process.restart();
        awaitPong();
    }

    /**
     * Sends one command with a plain blocking socket and returns the raw reply's first line, for test set-up that
     * should not depend on the client under test.
     */
    public String command(String... args) {
        return exchange(false, args);
    }

    /** Like {@link #command} for a command whose reply is a bulk string (CLUSTER NODES, INFO): its text. */
    public String commandText(String... args) {
        return exchange(true, args);
    }

    private String exchange(boolean bulk, String... args) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port()), 2000);
            s.setSoTimeout(5000);
            StringBuilder sb =
                    new StringBuilder().append('*').append(args.length).append("\r\n");
            for (String a : args) {
                sb.append('$')
                        .append(a.getBytes(StandardCharsets.UTF_8).length)
                        .append("\r\n")
                        .append(a)
                        .append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            String line = readLine(in);
            if (bulk && line.startsWith("$") && !line.equals("$-1")) {
                byte[] body = in.readNBytes(Integer.parseInt(line.substring(1)));
                return new String(body, StandardCharsets.UTF_8);
            }
            return line;
        } catch (IOException e) {
            throw new IllegalStateException("redis on port " + port() + " did not answer " + List.of(args), e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private void awaitPong() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                String reply = command("PING");
                if (reply.equals("+PONG") || reply.startsWith("-NOAUTH")) {
                    return;
                }
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis did not answer PING; its log ends:\n" + process.logTail(30));
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
