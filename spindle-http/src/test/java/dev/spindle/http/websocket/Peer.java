package dev.spindle.http.websocket;

import dev.spindle.testservers.Binaries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A peer program for a test (Python websockets, Chromium): run to completion with a deadline, or started in the
 * background and read line by line. Fails, naming the Debian package, when the program is missing.
 */
final class Peer implements AutoCloseable {
    final Process process;
    private final BufferedReader out;
    private final CompletableFuture<String> err;

    private Peer(List<String> command) throws IOException {
        process = new ProcessBuilder(command).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        err = CompletableFuture.supplyAsync(() -> readAll(process));
    }

    /** Debian's python3, checked to have the websockets module (python3-websockets). */
    static String python() throws IOException, InterruptedException {
        Binaries.require("python3", "python3-websockets");
        String py = Files.exists(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process p = new ProcessBuilder(py, "-c", "import websockets").start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(
                    "python3 lacks the websockets module: install the Debian package python3-websockets");
        }
        return py;
    }

    /** Starts {@code python3 -c script args...} in the background. */
    static Peer startPython(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(python(), "-c", script));
        cmd.addAll(List.of(args));
        return new Peer(cmd);
    }

    static Peer start(List<String> command) throws IOException {
        return new Peer(command);
    }

    /** Runs {@code python3 -c script args...} to its end (at most 60 s); returns its stdout, failing on exit != 0. */
    static String runPython(String script, String... args) throws Exception {
        try (Peer p = startPython(script, args)) {
            return p.finish();
        }
    }

    /** The next line of stdout (null at its end). */
    String readLine() throws IOException {
        return out.readLine();
    }

    /** Waits for the end (at most 60 s); returns the rest of stdout; fails on a non-zero exit. */
    String finish() throws Exception {
        StringBuilder b = new StringBuilder();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    b.append(line).append('\n');
                }
            } catch (IOException e) {
                b.append("<").append(e).append(">");
            }
        });
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the peer did not finish within 60 s; stderr:\n" + err.getNow(""));
        }
        reading.get(10, TimeUnit.SECONDS);
        if (process.exitValue() != 0) {
            throw new AssertionError("exit " + process.exitValue() + "\nstdout:\n" + b + "\nstderr:\n" + err.get());
        }
        return b.toString();
    }

    String stderr() throws Exception {
        return err.get(10, TimeUnit.SECONDS);
    }

    private static String readAll(Process p) {
        try {
            return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
