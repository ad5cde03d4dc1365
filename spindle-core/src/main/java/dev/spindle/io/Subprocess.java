package dev.spindle.io;

import dev.spindle.io.internal.InboundPipe;
import dev.spindle.io.internal.OutboundPipe;
import dev.spindle.io.internal.PipeTransport;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Tasks;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A child process whose pipes coroutines read and write without holding the loop: asyncio's
 * {@code create_subprocess_exec} and {@code create_subprocess_shell}.
 *
 * {@snippet :
 * run(() -> {
 *     Subprocess.Result r = Subprocess.exec("git", "status", "--short").communicate();
 *     System.out.println(r.exitCode() + ": " + r.stdoutText());
 *
 *     Subprocess cat = Subprocess.builder("cat").stderr(Subprocess.Stdio.DISCARD).start();
 *     cat.stdin().write("hello\n".getBytes(UTF_8)); // a StreamWriter
 *     System.out.print(new String(cat.stdout().readLine(), UTF_8)); // a StreamReader: hello
 *     cat.stdin().close();
 *     cat.waitFor(); // 0
 * });
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Started from a coroutine ({@link #exec}, {@link #shell}, {@link Builder#start()}); by default stdin, stdout
 *       and stderr are all pipes ({@link Stdio#PIPE}), as with {@link ProcessBuilder}. Its pipes are the streams
 *       layer's own types, as in asyncio: {@link #stdout()} and {@link #stderr()} are {@link StreamReader}s (lines,
 *       {@code readUntil} with its limit, {@code readExactly}, {@code atEof}), {@link #stdin()} a
 *       {@link StreamWriter} ({@code write}, {@code drain} with water marks, {@code writeEof}/{@code close},
 *       {@code waitClosed}). They are confined to the starting loop; {@link #pid()}, {@link #returnCode()},
 *       {@link #terminate()} and {@link #kill()} may be called from anywhere.
 *   <li>{@link #waitFor()} suspends the calling coroutine, not the loop, until the process exits.
 *   <li>{@link #communicate(byte[])} writes the input, closes stdin, reads stdout and stderr to their end, both
 *       at once, and waits for the exit: no deadlock however much the child writes to either.
 *   <li>Exit codes are the JDK's: on Unix, a process ended by signal {@code n} exits with {@code 128 + n}, so
 *       {@link #terminate()} (SIGTERM) gives 143 and {@link #kill()} (SIGKILL) 137 (asyncio reports -15 and -9).
 * </ul>
 *
 * <h2>How the pipes work</h2>
 * The JDK gives a process's pipes only as blocking streams, which a selector cannot watch, and a blocking file read
 * in a coroutine would hold the loop's thread. So each pipe gets a small daemon platform thread (a pump) that does
 * the blocking calls and hands the bytes to the loop; coroutines wait only on the loop's side. For the streams
 * the pipe is what the kernel is for a socket:
 * <ul>
 *   <li>stdout and stderr: a pump reads at most {@link Builder#limit} bytes ahead and then waits for the reader (the
 *       child then blocks on its pipe), so memory stays bounded however much the child writes and however little
 *       is read. The reader's own buffer holds only what its reads ask for.
 *   <li>stdin: a {@code write} hands up to {@link Builder#limit} bytes to the pump at once, as the kernel takes
 *       bytes into a socket's send buffer; the rest waits in the writer's buffer, which {@code drain} bounds with
 *       its water marks (64 KiB and 16 KiB by default). {@code close} lets the pump write what it holds, then
 *       closes the pipe; {@code waitClosed} waits for that.
 * </ul>
 * Errors name the pipe: once a child has exited or closed its stdin, the next write (or a drain while bytes are
 * still buffered) throws {@link ConnectionLost} ("connection with stdin of process 42 lost: Broken pipe"), as on a
 * socket whose peer is gone.
 *
 * <h2>Cancellation</h2>
 * Cancelling a wait never touches the process: a cancelled {@code waitFor} leaves it running, a cancelled read
 * leaves the unread bytes buffered (the streams' own rules apply: {@code readExactly}, {@code readUntil} and
 * {@code readLine} keep what they had gathered), a cancelled {@code communicate} leaves the output it had gathered
 * buffered in {@link #stdout()} and {@link #stderr()} (its input, already handed over, is still written). Kill the
 * process yourself when a timeout means you give up on it.
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *   <li>A process is not killed when {@code Spindle.run} ends, as in asyncio; its pipes are closed when their pumps
 *       notice the loop is closed: at once for stdin, and for stdout and stderr when the child next writes or
 *       exits (a blocking pipe read cannot be interrupted). Pumps are daemon threads: they never keep the JVM
 *       alive.
 *   <li>An output pipe nobody reads fills up (at {@link Builder#limit}) and then the child blocks on its next
 *       write, so {@code waitFor} would wait forever: read it, use {@code communicate}, or make it
 *       {@link Stdio#DISCARD} or {@link Stdio#INHERIT}.
 *   <li>Starting the process (fork and exec) runs on the loop's thread, as in asyncio: it takes about a
 *       millisecond.
 * </ul>
 */
public final class Subprocess {
    private static final byte[] EMPTY = new byte[0];

    private final Process process;
    private final List<String> command;
    // null when the stream is not a pipe; each stream is paired with the pipe under it, for communicate
    private final StreamWriter stdin;
    private final StreamReader stdout;
    private final InboundPipe stdoutPipe;
    private final StreamReader stderr;
    private final InboundPipe stderrPipe;

    private Subprocess(Process process, List<String> command, OutboundPipe in, InboundPipe out, InboundPipe err) {
        this.process = process;
        this.command = command;
        this.stdin = in == null ? null : new StreamWriter(in);
        this.stdoutPipe = out;
        this.stdout = out == null ? null : new StreamReader(out, out.limit());
        this.stderrPipe = err;
        this.stderr = err == null ? null : new StreamReader(err, err.limit());
    }

    // ---- starting one -----------------------------------------------------------------------------------

    /**
     * Starts {@code command} (the program, then its arguments) with all three streams piped (asyncio's
     * {@code create_subprocess_exec}).
     *
     * @throws UncheckedIOException if the program cannot be started (missing, not executable), naming it
     * @throws IllegalStateException outside a coroutine
     */
    public static Subprocess exec(String... command) {
        return builder(command).start();
    }

    /**
     * Starts {@code command} with the system shell ({@code /bin/sh -c}, {@code cmd.exe /c} on Windows) with all
     * three streams piped (asyncio's {@code create_subprocess_shell}). Quoting is the caller's business.
     */
    public static Subprocess shell(String command) {
        return shellBuilder(command).start();
    }

    /** A builder for {@code command} (the program, then its arguments). */
    public static Builder builder(String... command) {
        return new Builder(List.of(command));
    }

    /** A builder for a shell command line, as {@link #shell} runs it. */
    public static Builder shellBuilder(String command) {
        Objects.requireNonNull(command, "command");
        return System.getProperty("os.name", "").startsWith("Windows")
                ? new Builder(List.of("cmd.exe", "/c", command))
                : new Builder(List.of("/bin/sh", "-c", command));
    }

    // ---- the process ------------------------------------------------------------------------------------

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** The command line as started. */
    public List<String> command() {
        return command;
    }

    /**
     * The child's stdin (asyncio's {@code process.stdin}): {@code write} never waits, {@code drain} waits while the
     * writer holds more than its high water mark, {@code close} (or {@code writeEof}) lets the child read the end of
     * its input once everything written has reached it.
     *
     * @throws IllegalStateException if stdin is not {@link Stdio#PIPE}
     */
    public StreamWriter stdin() {
        if (stdin == null) {
            throw new IllegalStateException("stdin of process " + pid() + " is not a pipe: start it with stdin(PIPE)");
        }
        return stdin;
    }

    /**
     * The child's stdout (asyncio's {@code process.stdout}), whose {@link StreamReader#limit()} is the builder's
     * {@link Builder#limit}. It sees the end of the stream when the child (and every process it passed the pipe to)
     * has closed it, usually by exiting.
     *
     * @throws IllegalStateException if stdout is not {@link Stdio#PIPE}
     */
    public StreamReader stdout() {
        if (stdout == null) {
            throw new IllegalStateException(
                    "stdout of process " + pid() + " is not a pipe: start it with stdout(PIPE)");
        }
        return stdout;
    }

    /**
     * The child's stderr.
     *
     * @throws IllegalStateException if stderr is not {@link Stdio#PIPE} (with {@link Stdio#STDOUT} it is mixed
     *     into {@link #stdout()})
     */
    public StreamReader stderr() {
        if (stderr == null) {
            throw new IllegalStateException(
                    "stderr of process " + pid() + " is not a pipe: start it with stderr(PIPE)");
        }
        return stderr;
    }

    /**
     * Waits until the process exits and returns its exit code; returns at once if it has. Suspends only the calling
     * coroutine. Cancelling the wait (or a timeout around it) leaves the process running.
     */
    public int waitFor() {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        Tasks.await(process.onExit()); // a fresh future each call: cancelling it cancels nothing else
        return process.exitValue();
    }

    /** The exit code if the process has exited, else empty. Does not wait; callable from any thread. */
    public OptionalInt returnCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** {@link #communicate(byte[])} without input: stdin (if piped) is closed at once. */
    public Result communicate() {
        return communicate(null);
    }

    /**
     * Writes {@code input} to stdin and closes it, reads stdout and stderr to their end, and waits for the exit
     * (asyncio's {@code communicate}). Both outputs are read at once (their pumps stop reading ahead only at the
     * limit, which this lifts while it runs), so a child writing a lot to both never blocks; the outputs are held
     * in memory. What the streams held already (bytes read ahead by an earlier {@code readLine}, say) comes first.
     * If the child stops reading its input early ("Broken pipe"), or stdin was already ended with
     * {@code writeEof}, the rest of the input is dropped silently, as in asyncio. A stream that is not piped gives
     * an empty array.
     *
     * @param input the bytes to write, or {@code null} for none
     * @throws IllegalStateException if {@code input} is given and stdin is not piped, or if another coroutine is
     *     reading stdout or stderr
     * @throws ConnectionLost if reading stdout or stderr failed
     * @throws dev.spindle.task.Cancelled if cancelled: what was read stays buffered in {@link #stdout()} and
     *     {@link #stderr()}
     */
    public Result communicate(byte[] input) {
        if (input != null && stdin == null) {
            throw new IllegalStateException("stdin of process " + pid() + " is not a pipe: no input can be sent");
        }
        if (stdin != null && !stdin.isClosing()) {
            if (input != null && input.length > 0) {
                try {
                    stdin.write(input); // never waits: what the pipe does not take yet is buffered and flushed
                } catch (ConnectionLost | IllegalStateException gone) {
                    // the child no longer reads its input, or stdin was ended: nothing more to give it
                }
            }
            stdin.close(); // after the input is written
        }
        setUnbounded(true);
        try {
            // Wait for both ends first, taking nothing, so that a cancellation leaves every byte in the pipes.
            if (stderrPipe != null) {
                stderrPipe.awaitEnd();
            }
            if (stdoutPipe != null) {
                stdoutPipe.awaitEnd();
            }
            int code = waitFor();
            // Nothing below waits: everything is buffered, so the reads cannot be cancelled halfway.
            return new Result(code, readBuffered(stdout), readBuffered(stderr));
        } finally {
            setUnbounded(false);
        }
    }

    private void setUnbounded(boolean on) {
        if (stdoutPipe != null) {
            stdoutPipe.setUnbounded(on);
        }
        if (stderrPipe != null) {
            stderrPipe.setUnbounded(on);
        }
    }

    /** Everything left in {@code r}, whose pipe has ended: reads that take what is buffered and never wait. */
    private static byte[] readBuffered(StreamReader r) {
        if (r == null) {
            return EMPTY;
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] b;
        while ((b = r.read(Integer.MAX_VALUE)).length > 0) {
            all.writeBytes(b);
        }
        return all.toByteArray();
    }

    /**
     * Asks the process to end: SIGTERM on Unix. Does nothing if it has exited. Does not wait, and leaves the pipes
     * open, so what the child wrote can still be read. Callable from any thread.
     */
    public void terminate() {
        process.toHandle().destroy(); // the handle's, not Process.destroy(), which would also close our pipes
    }

    /** Ends the process at once: SIGKILL on Unix. Does nothing if it has exited. Otherwise as {@link #terminate()}. */
    public void kill() {
        process.toHandle().destroyForcibly();
    }

    /** The JDK's handle on the process, for {@code info()}, {@code children()} and the like. */
    public ProcessHandle toHandle() {
        return process.toHandle();
    }

    @Override
    public String toString() {
        OptionalInt rc = returnCode();
        return "Subprocess[pid=" + pid() + ", " + (rc.isPresent() ? "exited " + rc.getAsInt() : "running") + ", "
                + String.join(" ", command) + "]";
    }

    // ---- nested types -----------------------------------------------------------------------------------

    /** Where one of the child's standard streams goes. */
    public enum Stdio {
        /** A pipe to this process: {@link #stdin()}, {@link #stdout()} or {@link #stderr()}. */
        PIPE,
        /** This JVM's own stream. */
        INHERIT,
        /** Nowhere: the null device (stdin reads the end of input at once). */
        DISCARD,
        /** For stderr only: into the same pipe or file as stdout (asyncio's {@code STDOUT}). */
        STDOUT
    }

    /**
     * What {@link #communicate} gathered. The arrays belong to the record; {@code equals} compares them by
     * identity, as records do.
     *
     * @param exitCode the process's exit code
     * @param stdout all it wrote to stdout (empty if stdout was not piped)
     * @param stderr all it wrote to stderr (empty if stderr was not piped)
     */
    public record Result(int exitCode, byte[] stdout, byte[] stderr) {
        public Result {
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
        }

        /** stdout decoded as UTF-8. */
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** stderr decoded as UTF-8. */
        public String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Result[exitCode=" + exitCode + ", stdout=" + stdout.length + " bytes, stderr=" + stderr.length
                    + " bytes]";
        }
    }

    /**
     * How to start a {@link Subprocess}: the working directory, the environment, where each standard stream goes,
     * and the pipes' read-ahead limit. Not thread-safe; reusable.
     *
     * {@snippet :
     * Subprocess p = Subprocess.builder("make", "-j4")
     *         .cwd(Path.of("project"))
     *         .env("CC", "clang")
     *         .stdin(Subprocess.Stdio.DISCARD)
     *         .stderr(Subprocess.Stdio.STDOUT) // both in stdout(), interleaved as written
     *         .start();
     * }
     */
    public static final class Builder {
        private final List<String> command;
        private Path cwd;
        private boolean clearEnv;
        private final Map<String, String> env = new LinkedHashMap<>(); // a null value unsets
        private ProcessBuilder.Redirect stdin = ProcessBuilder.Redirect.PIPE;
        private ProcessBuilder.Redirect stdout = ProcessBuilder.Redirect.PIPE;
        private ProcessBuilder.Redirect stderr = ProcessBuilder.Redirect.PIPE;
        private boolean stderrToStdout;
        private int limit = PipeTransport.DEFAULT_LIMIT;

        private Builder(List<String> command) {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("no command: name the program to run");
            }
            for (String s : command) {
                Objects.requireNonNull(s, "command contains null");
            }
            this.command = command;
        }

        /** The working directory; this JVM's by default. */
        public Builder cwd(Path dir) {
            this.cwd = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Sets an environment variable (the child inherits this JVM's environment, with these changes). */
        public Builder env(String name, String value) {
            env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Sets several environment variables. */
        public Builder env(Map<String, String> vars) {
            vars.forEach(this::env);
            return this;
        }

        /** Removes an environment variable from what the child inherits. */
        public Builder unsetEnv(String name) {
            env.put(Objects.requireNonNull(name, "name"), null);
            return this;
        }

        /** Starts from an empty environment instead of this JVM's; {@link #env} adds to it. */
        public Builder clearEnv() {
            clearEnv = true;
            env.clear();
            return this;
        }

        /** Where stdin comes from: {@link Stdio#PIPE} (the default), {@link Stdio#INHERIT} or {@link Stdio#DISCARD}. */
        public Builder stdin(Stdio how) {
            stdin = switch (Objects.requireNonNull(how, "how")) {
                case PIPE -> ProcessBuilder.Redirect.PIPE;
                case INHERIT -> ProcessBuilder.Redirect.INHERIT;
                case DISCARD -> ProcessBuilder.Redirect.from(nullDevice());
                case STDOUT -> throw new IllegalArgumentException("STDOUT is for stderr only");
            };
            return this;
        }

        /** Where stdout goes: {@link Stdio#PIPE} (the default), {@link Stdio#INHERIT} or {@link Stdio#DISCARD}. */
        public Builder stdout(Stdio how) {
            stdout = output(how, "stdout");
            return this;
        }

        /**
         * Where stderr goes: {@link Stdio#PIPE} (the default), {@link Stdio#INHERIT}, {@link Stdio#DISCARD}, or
         * {@link Stdio#STDOUT}: wherever stdout goes.
         */
        public Builder stderr(Stdio how) {
            if (how == Stdio.STDOUT) {
                stderrToStdout = true;
                return this;
            }
            stderr = output(how, "stderr");
            stderrToStdout = false;
            return this;
        }

        /** stdin from a file or another {@link ProcessBuilder.Redirect}. */
        public Builder stdin(ProcessBuilder.Redirect redirect) {
            stdin = Objects.requireNonNull(redirect, "redirect");
            return this;
        }

        /** stdout to a file or another {@link ProcessBuilder.Redirect}. */
        public Builder stdout(ProcessBuilder.Redirect redirect) {
            stdout = Objects.requireNonNull(redirect, "redirect");
            return this;
        }

        /** stderr to a file or another {@link ProcessBuilder.Redirect}. */
        public Builder stderr(ProcessBuilder.Redirect redirect) {
            stderr = Objects.requireNonNull(redirect, "redirect");
            stderrToStdout = false;
            return this;
        }

        /**
         * How many unread bytes each output pipe reads ahead before the child is made to wait, which is also the
         * {@link StreamReader#limit()} of {@link #stdout()} and {@link #stderr()} (the longest line or
         * {@code readUntil} they accept), and how many bytes stdin's pipe takes from its writer before the writer
         * buffers. 64 KiB by default (asyncio's {@code limit}).
         */
        public Builder limit(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("limit must be positive: " + bytes);
            }
            limit = bytes;
            return this;
        }

        private static ProcessBuilder.Redirect output(Stdio how, String which) {
            return switch (Objects.requireNonNull(how, "how")) {
                case PIPE -> ProcessBuilder.Redirect.PIPE;
                case INHERIT -> ProcessBuilder.Redirect.INHERIT;
                case DISCARD -> ProcessBuilder.Redirect.DISCARD;
                case STDOUT -> throw new IllegalArgumentException("STDOUT is for stderr only, not " + which);
            };
        }

        private static File nullDevice() {
            return new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
        }

        /**
         * Starts the process, and a pump thread for each piped stream.
         *
         * @throws UncheckedIOException if the program cannot be started (missing, not executable, a bad working
         *     directory), naming it
         * @throws IllegalStateException outside a coroutine (or a callback) of a running loop
         */
        public Subprocess start() {
            EventLoop loop = EventLoop.currentOrNull();
            if (loop == null || !loop.inLoopThread()) {
                throw new IllegalStateException(
                        "Subprocess.start must be called from a coroutine, not from " + Thread.currentThread());
            }
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
            if (cwd != null) {
                pb.directory(cwd.toFile());
            }
            if (clearEnv || !env.isEmpty()) {
                Map<String, String> e = pb.environment();
                if (clearEnv) {
                    e.clear();
                }
                env.forEach((k, v) -> {
                    if (v == null) {
                        e.remove(k);
                    } else {
                        e.put(k, v);
                    }
                });
            }
            pb.redirectInput(stdin).redirectOutput(stdout).redirectError(stderr).redirectErrorStream(stderrToStdout);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                Throwable why = e.getCause() != null ? e.getCause() : e;
                throw new UncheckedIOException(
                        "cannot start program \"" + command.get(0) + "\"" + (cwd == null ? "" : " in " + cwd) + ": "
                                + why.getMessage(),
                        e);
            }
            long pid = p.pid();
            String prefix = "spindle-subprocess-" + pid + "-";
            OutboundPipe in = stdin == ProcessBuilder.Redirect.PIPE
                    ? PipeTransport.writing(
                            loop, p.getOutputStream(), "stdin of process " + pid, prefix + "stdin", limit, p.onExit())
                    : null;
            InboundPipe out = stdout == ProcessBuilder.Redirect.PIPE
                    ? PipeTransport.reading(
                            loop, p.getInputStream(), "stdout of process " + pid, prefix + "stdout", limit)
                    : null;
            InboundPipe err = stderr == ProcessBuilder.Redirect.PIPE && !stderrToStdout
                    ? PipeTransport.reading(
                            loop, p.getErrorStream(), "stderr of process " + pid, prefix + "stderr", limit)
                    : null;
            return new Subprocess(p, command, in, out, err);
        }
    }
}
