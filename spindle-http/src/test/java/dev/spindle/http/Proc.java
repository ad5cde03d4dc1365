package dev.spindle.http;

import dev.spindle.testservers.Binaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a peer program (curl, python3) to completion, bounded in time; its stdout and stderr. */
final class Proc {
    final int exit;
    final String out;
    final String err;

    private Proc(int exit, String out, String err) {
        this.exit = exit;
        this.out = out;
        this.err = err;
    }

    static Proc run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        var outF = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        var errF = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command.getFirst() + " did not finish within 60 s");
        }
        return new Proc(p.exitValue(), outF.join(), errF.join());
    }

    static Proc curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Binaries.require("curl", "curl").toString());
        cmd.add("-sS");
        cmd.add("--max-time");
        cmd.add("30");
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Runs a Python script with Debian's python3 (where python3-httpx is installed). */
    static Proc python(String script, String... args) throws IOException, InterruptedException {
        Binaries.require("python3", "python3-httpx");
        List<String> cmd = new ArrayList<>();
        cmd.add(java.nio.file.Files.exists(java.nio.file.Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
        cmd.add("-c");
        cmd.add(script);
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    /** Fails with the output unless the exit status is 0. */
    Proc ok() {
        if (exit != 0) {
            throw new AssertionError("exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
        }
        return this;
    }
}
