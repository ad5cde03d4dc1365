package dev.spindle.io.proc;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.io.proc.SubprocessTest.BOUND;
import static dev.spindle.io.proc.SubprocessTest.bytes;
import static dev.spindle.io.proc.SubprocessTest.readAll;
import static dev.spindle.io.proc.SubprocessTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.StreamReader;
import dev.spindle.io.StreamWriter;
import dev.spindle.io.Subprocess;
import dev.spindle.io.Subprocess.Stdio;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a cancelled or timed-out wait on a subprocess leaves behind: nothing lost, the process untouched. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SubprocessCancellationTest {
    private static Subprocess cat() {
        return Subprocess.builder("cat").stderr(Stdio.DISCARD).start();
    }

    private static void finish(Subprocess p) {
        p.stdin().close();
        assertEquals(0, withTimeout(BOUND, () -> p.waitFor()));
    }

    @Test
    void aReadCancelledWhileParkedTakesNothing() {
        run(() -> {
            Subprocess p = cat();
            Task<byte[]> r = spawn(() -> p.stdout().readLine());
            sleep(Duration.ofMillis(5));
            assertFalse(r.isDone());
            r.cancel();
            assertThrows(Cancelled.class, r::await);
            p.stdin().write(bytes("one\n"));
            assertEquals("one\n", text(withTimeout(BOUND, () -> p.stdout().readLine())));
            finish(p);
        });
    }

    @Test
    void aReadUnderATimeoutLeavesLaterDataReadable() {
        run(() -> {
            Subprocess p = cat();
            assertThrows(
                    TimedOut.class,
                    () -> withTimeout(Duration.ofMillis(10), () -> p.stdout().readLine()));
            p.stdin().write(bytes("three\n"));
            assertEquals("three\n", text(withTimeout(BOUND, () -> p.stdout().readLine())));
            finish(p);
        });
    }

    @Test
    void aTimedOutReadExactlyKeepsWhatItHadGathered() {
        run(() -> {
            Subprocess p = cat();
            StreamReader out = p.stdout();
            p.stdin().write(bytes("part one\npart two\n"));
            // readExactly takes the 18 bytes, then waits for 2 more that do not come yet
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(50), () -> out.readExactly(20)));
            assertEquals("part one\n", text(withTimeout(BOUND, () -> out.readLine())));
            Task<byte[]> r = spawn(() -> out.readExactly(12));
            sleep(Duration.ofMillis(5)); // r holds "part two\n" and waits
            assertFalse(r.isDone());
            r.cancel();
            assertThrows(Cancelled.class, r::await);
            p.stdin().write(bytes("three"));
            p.stdin().close();
            assertEquals("part two\nthr", text(withTimeout(BOUND, () -> out.readExactly(12))));
            assertEquals("ee", text(withTimeout(BOUND, () -> readAll(out))));
            assertEquals(0, p.waitFor());
        });
    }

    @Test
    void aTimedOutCommunicateKeepsTheOutputAndTheProcess() {
        run(() -> {
            Subprocess p = Subprocess.shell("echo early; echo late >&2; exec sleep 30");
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(200), () -> p.communicate()));
            assertTrue(p.returnCode().isEmpty(), "a timeout does not end the process");
            assertEquals("early\n", text(withTimeout(BOUND, () -> p.stdout().readLine())));
            assertEquals("late\n", text(withTimeout(BOUND, () -> p.stderr().readLine())));
            p.kill();
            Subprocess.Result r = withTimeout(BOUND, () -> p.communicate());
            assertEquals(137, r.exitCode());
            assertEquals(0, r.stdout().length);
        });
    }

    @Test
    void aDrainCancelledOrTimedOutLeavesTheBytesToBeWritten(@TempDir Path dir) {
        Path go = dir.resolve("go");
        run(() -> {
            // the child reads nothing until the file "go" exists, then counts its input
            Subprocess p = Subprocess.shellBuilder("while [ ! -e go ]; do sleep 0.01; done; exec wc -c")
                    .cwd(dir)
                    .stderr(Stdio.DISCARD)
                    .start();
            StreamWriter in = p.stdin();
            byte[] payload = new byte[1024 * 1024];
            in.write(payload); // never waits
            int held = in.writeBufferSize();
            assertTrue(held > StreamWriter.DEFAULT_HIGH_WATER, "the pipe took at most its limit: " + held);
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(20), () -> in.drain()));
            Task<Void> d = spawn(() -> in.drain());
            sleep(Duration.ofMillis(5));
            assertFalse(d.isDone());
            d.cancel();
            assertThrows(Cancelled.class, d::await);
            assertTrue(in.writeBufferSize() > StreamWriter.DEFAULT_HIGH_WATER, "the cancelled drains dropped nothing");
            Files.createFile(go);
            withTimeout(BOUND, () -> in.drain());
            assertTrue(in.writeBufferSize() <= StreamWriter.DEFAULT_LOW_WATER);
            in.close();
            withTimeout(BOUND, () -> in.waitClosed());
            String count = text(withTimeout(BOUND, () -> readAll(p.stdout()))).trim();
            assertEquals(String.valueOf(payload.length), count, "every byte reached the child");
            assertEquals(0, p.waitFor());
        });
    }
}
