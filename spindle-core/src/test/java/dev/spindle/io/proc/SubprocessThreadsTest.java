package dev.spindle.io.proc;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.withTimeout;
import static dev.spindle.io.proc.SubprocessTest.BOUND;
import static dev.spindle.io.proc.SubprocessTest.bytes;
import static dev.spindle.io.proc.SubprocessTest.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.Subprocess;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pump threads: daemons, one per pipe, gone when their process is; a process outlives Spindle.run. */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SubprocessThreadsTest {
    private static final String PUMP = "spindle-subprocess-";

    private static List<Thread> pumps(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix))
                .toList();
    }

    /** Waits (bounded) until no pump thread named {@code prefix...} is alive; returns how many were left. */
    private static int awaitNoPumps(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<Thread> left;
        while (!(left = pumps(prefix)).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return left.size();
    }

    @Test
    void manyRunsLeaveNoPumpThreadBehind() throws Exception {
        assertEquals(0, awaitNoPumps(PUMP), "pumps of earlier tests are gone");
        int before = Thread.activeCount();
        for (int i = 0; i < 20; i++) {
            int round = i;
            run(() -> {
                Subprocess.Result r = withTimeout(
                        BOUND, () -> Subprocess.shell("echo hi; echo ho >&2").communicate());
                assertEquals("hi\n", r.stdoutText());
                Subprocess cat = Subprocess.exec("cat");
                assertEquals(3, pumps(PUMP + cat.pid() + "-").size(), "stdin, stdout and stderr each have one");
                assertTrue(pumps(PUMP + cat.pid() + "-").stream().allMatch(Thread::isDaemon));
                cat.stdin().write(bytes("round " + round + "\n"));
                cat.stdin().close();
                assertEquals("round " + round + "\n", new String(withTimeout(BOUND, () -> readAll(cat.stdout()))));
                assertEquals(0, withTimeout(BOUND, () -> cat.waitFor()));
            });
        }
        assertEquals(0, awaitNoPumps(PUMP), "every pump ended with its process");
        // the JDK's own helpers (process reapers, the async pool) come and go; pumps would add 3 per process
        assertTrue(Thread.activeCount() < before + 30, "threads: " + before + " before, " + Thread.activeCount());
    }

    @Test
    void runDoesNotKillAProcessAndItsPumpsEndWithIt() throws Exception {
        ProcessHandle h = run(() -> Subprocess.exec("sleep", "30").toHandle());
        String prefix = PUMP + h.pid() + "-";
        try {
            assertTrue(h.isAlive(), "Spindle.run leaves a child process running, as asyncio.run does");
            List<Thread> left = pumps(prefix);
            assertTrue(left.stream().allMatch(Thread::isDaemon), "pumps never keep the JVM alive");
        } finally {
            h.destroyForcibly();
        }
        h.onExit().get(20, TimeUnit.SECONDS);
        assertFalse(h.isAlive());
        assertEquals(0, awaitNoPumps(prefix), "its pumps end when it does, the loop being closed");
    }
}
