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

import dev.spindle.io.ConnectionLost;
import dev.spindle.io.IncompleteRead;
import dev.spindle.io.LimitOverrun;
import dev.spindle.io.StreamReader;
import dev.spindle.io.StreamWriter;
import dev.spindle.io.Subprocess;
import dev.spindle.io.Subprocess.Stdio;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A child's pipes are the streams layer's StreamReader and StreamWriter: their features all work on pipes. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SubprocessStreamsTest {
    @Test
    void readUntilFindsTheSeparatorAndHonoursTheLimit() {
        run(() -> {
            Subprocess p = Subprocess.shellBuilder("printf 'key=value;0123456789abcdef;x;'")
                    .limit(8)
                    .start();
            StreamReader out = p.stdout();
            assertEquals(8, out.limit());
            // "key=value" is 9 bytes before its ';': beyond the limit of 8, and nothing is consumed
            LimitOverrun e =
                    assertThrows(LimitOverrun.class, () -> withTimeout(BOUND, () -> out.readUntil(bytes(";"))));
            assertTrue(e.getMessage().contains("8"), e.getMessage());
            assertEquals("key=value;", text(withTimeout(BOUND, () -> out.readExactly(10))));
            assertThrows(LimitOverrun.class, () -> withTimeout(BOUND, () -> out.readUntil(bytes(";"))));
            assertEquals("0123456789abcdef;", text(withTimeout(BOUND, () -> out.readExactly(17))));
            assertEquals("x;", text(withTimeout(BOUND, () -> out.readUntil(bytes(";")))));
            assertEquals(0, withTimeout(BOUND, () -> out.read(10)).length, "the end of the stream");
            assertTrue(out.atEof());
            assertEquals(0, withTimeout(BOUND, () -> p.waitFor()));
        });
    }

    @Test
    void readExactlyThrowsIncompleteReadWhenTheChildExitsEarly() {
        run(() -> {
            Subprocess p = Subprocess.shell("printf abc; exit 4");
            IncompleteRead e = assertThrows(
                    IncompleteRead.class,
                    () -> withTimeout(BOUND, () -> p.stdout().readExactly(10)));
            assertEquals("abc", text(e.partial()));
            assertEquals(10, e.expected());
            assertTrue(p.stdout().atEof());
            assertEquals(4, withTimeout(BOUND, () -> p.waitFor()));
            // readUntil too, with what was left
            Subprocess q = Subprocess.shell("printf 'one;tw'");
            assertEquals("one;", text(withTimeout(BOUND, () -> q.stdout().readUntil(bytes(";")))));
            IncompleteRead e2 = assertThrows(
                    IncompleteRead.class,
                    () -> withTimeout(BOUND, () -> q.stdout().readUntil(bytes(";"))));
            assertEquals("tw", text(e2.partial()));
            assertEquals(0, withTimeout(BOUND, () -> q.waitFor()));
        });
    }

    @Test
    void aKilledChildEndsItsStreams() {
        run(() -> {
            Subprocess yes = Subprocess.builder("yes").stderr(Stdio.DISCARD).start();
            assertEquals("y\n", text(withTimeout(BOUND, () -> yes.stdout().readLine())));
            yes.kill();
            assertEquals(137, withTimeout(BOUND, () -> yes.waitFor()));
            // what yes wrote before it died is still there, then the end
            byte[] rest = withTimeout(BOUND, () -> readAll(yes.stdout()));
            assertEquals(0, rest.length % 2);
            assertTrue(yes.stdout().atEof());
        });
    }

    @Test
    void linesAndWriteEofOnAPipe() {
        run(() -> {
            Subprocess cat = Subprocess.builder("cat").stderr(Stdio.DISCARD).start();
            StreamWriter in = cat.stdin();
            in.writeLines(List.of(bytes("alpha\n"), bytes("beta\r\n"), bytes("gamma")));
            in.writeEof(); // the child reads the end of its input once these bytes reached it
            assertThrows(IllegalStateException.class, () -> in.write(bytes("late")));
            List<String> lines = new ArrayList<>();
            withTimeout(BOUND, () -> {
                for (String line : cat.stdout().lines()) {
                    lines.add(line);
                }
            });
            assertEquals(List.of("alpha", "beta", "gamma"), lines);
            assertEquals(0, withTimeout(BOUND, () -> cat.waitFor()));
        });
    }

    @Test
    void drainAppliesBackpressureOnTheStdinOfAChildThatDoesNotRead() {
        run(() -> {
            Subprocess p = Subprocess.builder("sleep", "30")
                    .stdout(Stdio.DISCARD)
                    .stderr(Stdio.DISCARD)
                    .start();
            StreamWriter in = p.stdin();
            in.setWriteBufferLimits(1024, 256);
            in.write(new byte[16 * 1024]); // the pipe takes it all: under its limit of 64 KiB
            in.drain(); // nothing buffered in the writer: returns at once
            assertEquals(0, in.writeBufferSize());
            // More than the pipe (64 KiB) and the kernel's pipe buffer (64 KiB, at most 1 MiB) can hold: the writer
            // keeps the rest, and drain waits for a reader that never comes.
            in.write(new byte[4 * 1024 * 1024]);
            assertTrue(in.writeBufferSize() > 2 * 1024 * 1024, "the pipe took at most its limit");
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(50), () -> in.drain()));
            Task<Void> d = spawn(() -> in.drain());
            sleep(Duration.ofMillis(5));
            assertFalse(d.isDone(), "the child reads nothing: drain keeps waiting");
            d.cancel();
            assertThrows(Cancelled.class, d::await);
            assertTrue(in.writeBufferSize() > 1024);
            p.kill();
            assertEquals(137, withTimeout(BOUND, () -> p.waitFor()));
            // the child is gone: the waiting drain fails rather than waiting forever
            assertThrows(ConnectionLost.class, () -> withTimeout(BOUND, () -> in.drain()));
        });
    }

    @Test
    void twoCoroutinesCannotReadOnePipeAtOnce() {
        run(() -> {
            Subprocess cat = Subprocess.builder("cat").stderr(Stdio.DISCARD).start();
            Task<byte[]> first = spawn(() -> cat.stdout().readLine());
            sleep(Duration.ofMillis(5));
            assertThrows(IllegalStateException.class, () -> cat.stdout().readLine());
            cat.stdin().write(bytes("mine\n"));
            assertEquals("mine\n", text(withTimeout(BOUND, () -> first.await())));
            cat.stdin().close();
            assertEquals(0, withTimeout(BOUND, () -> cat.waitFor()));
        });
    }

    @Test
    void communicateReturnsWhatAnEarlierReadLeftBuffered() {
        run(() -> {
            Subprocess p = Subprocess.shell("printf 'first\\nsecond\\nthird\\n'");
            assertEquals("first\n", text(withTimeout(BOUND, () -> p.stdout().readLine())));
            Subprocess.Result r = withTimeout(BOUND, () -> p.communicate());
            assertEquals("second\nthird\n", r.stdoutText());
            assertEquals(0, r.exitCode());
        });
    }
}
