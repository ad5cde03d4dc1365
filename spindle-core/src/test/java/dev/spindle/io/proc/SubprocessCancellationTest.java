package dev.spindle.io.proc;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.io.proc.SubprocessTest.BOUND;
import static dev.spindle.io.proc.SubprocessTest.bytes;
import static dev.spindle.io.proc.SubprocessTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.ProcessInput;
import dev.spindle.io.ProcessOutput;
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
    void aReadWokenByDataButCancelledBeforeItRanLeavesTheDataBuffered() {
        run(() -> {
            Subprocess p = cat();
            ProcessOutput out = p.stdout();
            Task<byte[]> r = spawn(() -> out.read(100));
            sleep(Duration.ofMillis(5)); // r waits for data
            p.stdin().write(bytes("two\n"));
            // The pump hands the bytes to the loop in a callback, which wakes r: r becomes ready behind this
            // coroutine (ready since the previous pass), so this sees the bytes and cancels r before r runs.
            withTimeout(BOUND, () -> {
                while (out.buffered() == 0) {
                    sleep(Duration.ZERO);
                }
            });
            r.cancel();
            assertThrows(Cancelled.class, r::await);
            assertEquals(4, out.buffered());
            assertEquals("two\n", text(out.read(100)));
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
    void aTimedOutReadAllKeepsWhatItHadGathered() {
        run(() -> {
            Subprocess p = cat();
            ProcessOutput out = p.stdout();
            p.stdin().write(bytes("part one\npart two\n"));
            withTimeout(BOUND, () -> {
                while (out.buffered() < 18) {
                    sleep(Duration.ofMillis(1));
                }
            });
            // readAll takes the 18 bytes, then waits for the end that does not come
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(20), () -> out.readAll()));
            assertEquals(18, out.buffered());
            assertEquals("part one\n", text(out.readLine()));
            p.stdin().write(bytes("three"));
            p.stdin().close();
            assertEquals("part two\nthree", text(withTimeout(BOUND, () -> out.readAll())));
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
            ProcessInput in = p.stdin();
            byte[] payload = new byte[1024 * 1024];
            in.write(payload); // never waits
            assertTrue(in.bufferSize() > ProcessInput.HIGH_WATER);
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(20), () -> in.drain()));
            Task<Void> d = spawn(() -> in.drain());
            sleep(Duration.ofMillis(5));
            assertFalse(d.isDone());
            d.cancel();
            assertThrows(Cancelled.class, d::await);
            assertTrue(in.bufferSize() > ProcessInput.HIGH_WATER, "nothing was dropped");
            Files.createFile(go);
            withTimeout(BOUND, () -> in.drain());
            assertTrue(in.bufferSize() <= ProcessInput.LOW_WATER);
            in.close();
            String count = text(withTimeout(BOUND, () -> p.stdout().readAll())).trim();
            assertEquals(String.valueOf(payload.length), count, "every byte reached the child");
            assertEquals(0, p.waitFor());
        });
    }
}
