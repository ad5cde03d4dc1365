package dev.spindle.laundromat;

import dev.spindle.testservers.FreePorts;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service as a child JVM ({@link Main} with URLs given), as a user runs it, so a test can kill it
 * ({@code destroyForcibly}, SIGKILL) or stop it ({@code destroy}, SIGTERM) and start it again on the same port.
 */
final class ServiceProcess implements AutoCloseable {
    final int port;
    final List<String> args;
    final Path log;
    Process process;

    ServiceProcess(String name, List<String> args) throws Exception {
        this.port = FreePorts.find();
        this.args = args;
        Files.createDirectories(Path.of("target"));
        this.log = Path.of("target", name + ".log");
        Files.deleteIfExists(log);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the child and waits until it answers /health. */
    void start() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        int logBefore = Files.exists(log) ? Files.readString(log).length() : 0;
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "--add-opens",
                "java.base/java.lang=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED",
                "-Xss1m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.spindle.laundromat.Main",
                "--port=" + port));
        cmd.addAll(args);
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log.toString())))
                .start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(
                        "the service exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200
                        && Files.readString(log).substring(logBefore).contains("Ctrl-C stops it")) {
                    return; // serving, and Main has printed that it is ready
                }
            } catch (Exception notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service did not answer within 120 s:\n" + Files.readString(log));
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws Exception {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("a killed service did not exit");
        }
    }

    /** SIGTERM (Ctrl-C's path): the graceful stop; returns the exit code. */
    int stop() throws Exception {
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the service did not stop within 120 s:\n" + Files.readString(log));
        }
        return process.exitValue();
    }

    String output() throws Exception {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }
}
