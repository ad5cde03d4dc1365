package dev.spindle.bench.web;

import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;

/**
 * The floors under {@link WebStartup}'s figures: {@code --empty} is a JVM that starts, runs an empty {@code main}
 * and exits (it prints {@code total_ms}, the time to {@code main}, and its CPU time); the default is a hello-world
 * spindle-http server (one handler, no framework) answering its first request, measured as WebStartup measures
 * (its {@code declare_ms} and {@code compile_ms} are 0).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.spindle.bench.web.StartupFloor [--empty] [--start-ns EPOCH_NANOS]
 * </pre>
 */
public final class StartupFloor {
    private StartupFloor() {}

    public static void main(String[] args) throws Exception {
        long mainNs = System.currentTimeMillis() * 1_000_000L;
        long mainNano = System.nanoTime();
        Long startNs = null;
        boolean empty = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--start-ns" -> startNs = Long.parseLong(args[++i]);
                case "--empty" -> empty = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (startNs == null) {
            throw new IllegalArgumentException("--start-ns is required (date +%s%N just before java ran)");
        }
        if (empty) {
            System.out.printf(
                    "total_ms=%.1f cpu_ms=%d jvm_ms=%.1f%n",
                    (mainNs - startNs) / 1e6, WebStartup.cpuMillis(), (mainNs - startNs) / 1e6);
            System.exit(0);
        }
        byte[] hello = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.start(
                (req, res) -> res.contentType("application/json").send(hello),
                HttpServerOptions.builder().port(0).loops(1).build());
        long started = System.nanoTime();
        int status = WebStartup.get(server.port(), "/");
        long answered = System.nanoTime();
        if (status != 200) {
            throw new IllegalStateException("GET / answered " + status);
        }
        System.out.printf(
                "total_ms=%.1f cpu_ms=%d jvm_ms=%.1f declare_ms=0 compile_ms=0 server_ms=%.1f first_request_ms=%.1f%n",
                (mainNs - startNs + (answered - mainNano)) / 1e6,
                WebStartup.cpuMillis(),
                (mainNs - startNs) / 1e6,
                (started - mainNano) / 1e6,
                (answered - started) / 1e6);
        server.close();
        System.exit(0);
    }
}
