package dev.spindle.io.proc;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.ConnectionLost;
import dev.spindle.io.LimitOverrun;
import dev.spindle.io.StreamReader;
import dev.spindle.io.Subprocess;
import dev.spindle.io.Subprocess.Stdio;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Child processes: pipes, exit codes, communicate, signals, errors. Needs a POSIX shell, cat, head and sleep. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SubprocessTest {
    static final Duration BOUND = Duration.ofSeconds(20);

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, UTF_8);
    }

    /** Reads {@code r} to its end. */
    static byte[] readAll(StreamReader r) {
        return r.readAll();
    }

    @Test
    void catEchoesItsInputLineByLine() {
        int code = run(() -> {
            Subprocess cat = Subprocess.exec("cat");
            assertTrue(cat.pid() > 0);
            assertTrue(cat.returnCode().isEmpty());
            cat.stdin().write(bytes("hello\nwor"));
            assertEquals("hello\n", text(withTimeout(BOUND, () -> cat.stdout().readLine())));
            cat.stdin().write(bytes("ld\n"));
            cat.stdin().drain();
            assertEquals("world\n", text(withTimeout(BOUND, () -> cat.stdout().readLine())));
            cat.stdin().close();
            cat.stdin().waitClosed();
            assertEquals(0, withTimeout(BOUND, () -> cat.stdout().readLine()).length, "empty at the end");
            assertTrue(cat.stdout().atEof());
            int rc = withTimeout(BOUND, () -> cat.waitFor());
            assertEquals(0, cat.returnCode().orElseThrow());
            return rc;
        });
        assertEquals(0, code);
    }

    @Test
    void aShellCommandsExitCodeAndBothOutputs() {
        Subprocess.Result r = run(() -> withTimeout(
                BOUND, () -> Subprocess.shell("echo out; echo err >&2; exit 3").communicate()));
        assertEquals(3, r.exitCode());
        assertEquals("out\n", r.stdoutText());
        assertEquals("err\n", r.stderrText());
    }

    @Test
    void communicatePushesTwoMebibytesThroughCatWithoutDeadlock() {
        byte[] input = new byte[2 * 1024 * 1024];
        new Random(42).nextBytes(input);
        Subprocess.Result r =
                run(() -> withTimeout(BOUND, () -> Subprocess.exec("cat").communicate(input)));
        assertEquals(0, r.exitCode());
        assertArrayEquals(input, r.stdout());
        assertEquals(0, r.stderr().length);
    }

    @Test
    void communicateReadsLargeOutputsOnBothPipesAtOnce() {
        Subprocess.Result r = run(() ->
                withTimeout(BOUND, () -> Subprocess.shell("head -c 2000000 /dev/zero >&2; head -c 2000000 /dev/zero")
                        .communicate()));
        assertEquals(0, r.exitCode());
        assertEquals(2_000_000, r.stdout().length);
        assertEquals(2_000_000, r.stderr().length);
        // and the other order, writing stdout first, with stderr written while stdout is still unread
        Subprocess.Result r2 = run(() ->
                withTimeout(BOUND, () -> Subprocess.shell("head -c 2000000 /dev/zero; head -c 2000000 /dev/zero >&2")
                        .communicate(null)));
        assertEquals(2_000_000, r2.stdout().length);
        assertEquals(2_000_000, r2.stderr().length);
    }

    @Test
    void waitForSuspendsOnlyItsCoroutine() {
        List<String> events = new ArrayList<>();
        run(() -> {
            Subprocess cat = Subprocess.builder("cat").stdout(Stdio.DISCARD).start();
            Task<Integer> waiter = spawn(() -> cat.waitFor());
            for (int i = 0; i < 5; i++) {
                sleep(Duration.ofMillis(1));
                events.add("tick" + i);
                assertFalse(waiter.isDone());
            }
            cat.stdin().close(); // cat reads the end of its input and exits
            int rc = withTimeout(BOUND, () -> waiter.await());
            events.add("exit " + rc);
        });
        assertEquals(List.of("tick0", "tick1", "tick2", "tick3", "tick4", "exit 0"), events);
    }

    @Test
    void terminateAndKillEndASleepingProcess() {
        run(() -> {
            Subprocess a = Subprocess.exec("sleep", "30");
            a.terminate();
            assertEquals(143, withTimeout(BOUND, () -> a.waitFor()), "128 + SIGTERM");
            a.terminate(); // it has exited: nothing happens
            Subprocess b = Subprocess.exec("sleep", "30");
            b.kill();
            assertEquals(137, withTimeout(BOUND, () -> b.waitFor()), "128 + SIGKILL");
            assertEquals(137, b.returnCode().orElseThrow());
            assertEquals(0, withTimeout(BOUND, () -> readAll(b.stdout())).length);
        });
    }

    @Test
    void aTimeoutAroundWaitForLeavesTheProcessRunning() {
        run(() -> {
            Subprocess p = Subprocess.exec("sleep", "30");
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(20), () -> p.waitFor()));
            assertTrue(p.returnCode().isEmpty());
            assertTrue(p.toHandle().isAlive());
            // a waiter cancelled while parked also leaves it be
            Task<Integer> w = spawn(() -> p.waitFor());
            sleep(Duration.ofMillis(5));
            w.cancel();
            assertThrows(Cancelled.class, w::await);
            assertTrue(p.toHandle().isAlive());
            p.kill();
            assertEquals(137, withTimeout(BOUND, () -> p.waitFor()));
        });
    }

    @Test
    void aMissingProgramFailsNamingIt() {
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class, () -> run(() -> Subprocess.exec("spindle-no-such-program-xyz", "arg")));
        assertTrue(e.getMessage().contains("spindle-no-such-program-xyz"), e.getMessage());
    }

    @Test
    void startingOutsideACoroutineFails() {
        assertThrows(IllegalStateException.class, () -> Subprocess.exec("true"));
    }

    @Test
    void cwdEnvAndMergingStderrIntoStdout(@TempDir Path dir) throws Exception {
        Path real = dir.toRealPath();
        Subprocess.Result r = run(() -> withTimeout(
                BOUND, () -> Subprocess.shellBuilder("pwd; echo \"$SPINDLE_X\"; echo \"[$HOME]\"; echo oops >&2")
                        .cwd(real)
                        .env("SPINDLE_X", "forty-two")
                        .unsetEnv("HOME")
                        .stderr(Stdio.STDOUT)
                        .start()
                        .communicate()));
        assertEquals(real + "\nforty-two\n[]\noops\n", r.stdoutText());
        assertEquals(0, r.stderr().length, "stderr went into stdout");
    }

    @Test
    void streamsThatAreNotPipesCannotBeRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out.txt");
        run(() -> {
            Subprocess p = Subprocess.shellBuilder("echo to-file; echo gone >&2")
                    .stdin(Stdio.DISCARD)
                    .stdout(ProcessBuilder.Redirect.to(file.toFile()))
                    .stderr(Stdio.DISCARD)
                    .start();
            assertThrows(IllegalStateException.class, p::stdin);
            assertThrows(IllegalStateException.class, p::stdout);
            assertThrows(IllegalStateException.class, p::stderr);
            assertThrows(IllegalStateException.class, () -> p.communicate(bytes("x")));
            Subprocess.Result r = withTimeout(BOUND, () -> p.communicate());
            assertEquals(0, r.exitCode());
            assertEquals(0, r.stdout().length);
        });
        assertEquals("to-file\n", Files.readString(file));
    }

    @Test
    void linesIterateAndReadLineHasALimit() {
        run(() -> {
            Subprocess p = Subprocess.shell("printf 'a\\nb\\r\\nc'");
            List<String> lines = new ArrayList<>();
            withTimeout(BOUND, () -> {
                for (String line : p.stdout().lines()) {
                    lines.add(line);
                }
            });
            assertEquals(List.of("a", "b", "c"), lines);

            Subprocess q = Subprocess.shellBuilder("printf '0123456789abcdefghij\\nrest\\n'")
                    .limit(16)
                    .start();
            StreamReader out = q.stdout();
            assertEquals(16, out.limit());
            LimitOverrun e = assertThrows(LimitOverrun.class, () -> withTimeout(BOUND, () -> out.readLine()));
            assertTrue(e.getMessage().contains("16"), e.getMessage());
            // nothing was lost: the bytes are still there
            StringBuilder got = new StringBuilder();
            withTimeout(BOUND, () -> {
                byte[] b;
                while ((b = out.read(5)).length > 0) {
                    got.append(text(b));
                }
            });
            assertEquals("0123456789abcdefghij\nrest\n", got.toString());
            assertEquals(0, q.waitFor());
        });
    }

    @Test
    void anUnreadOutputPipeMakesTheChildWait() {
        run(() -> {
            Subprocess p = Subprocess.builder("head", "-c", "10000000", "/dev/zero")
                    .limit(64 * 1024)
                    .start();
            // Unread, the pump stops at the limit (PipeTransportTest checks the bound itself) and head blocks on its
            // full pipe: it cannot have written its 10 MB and exited.
            sleep(Duration.ofMillis(100));
            assertTrue(p.returnCode().isEmpty(), "the child waits for its reader");
            assertEquals(10_000_000, withTimeout(BOUND, () -> readAll(p.stdout())).length);
            assertEquals(0, p.waitFor());
        });
    }

    @Test
    void writingToAChildThatIsGoneFailsNamingThePipe() {
        run(() -> {
            Subprocess p = Subprocess.builder("sleep", "30")
                    .stdout(Stdio.DISCARD)
                    .stderr(Stdio.DISCARD)
                    .start();
            p.stdin().write(new byte[1024 * 1024]); // never waits, though sleep reads nothing
            p.kill();
            assertEquals(137, withTimeout(BOUND, () -> p.waitFor()));
            ConnectionLost e = assertThrows(
                    ConnectionLost.class,
                    () -> withTimeout(BOUND, () -> p.stdin().drain()));
            assertTrue(e.getMessage().contains("stdin of process " + p.pid()), e.getMessage());
            assertThrows(ConnectionLost.class, () -> p.stdin().write(bytes("more")));
            p.stdin().close();
            withTimeout(BOUND, () -> p.stdin().waitClosed());
        });
    }

    @Test
    void writingAfterCloseIsAnError() {
        run(() -> {
            Subprocess p = Subprocess.builder("cat").stdout(Stdio.DISCARD).start();
            p.stdin().close();
            assertTrue(p.stdin().isClosing());
            assertThrows(IllegalStateException.class, () -> p.stdin().write(bytes("late")));
            assertEquals(0, withTimeout(BOUND, () -> p.waitFor()));
        });
    }
}
