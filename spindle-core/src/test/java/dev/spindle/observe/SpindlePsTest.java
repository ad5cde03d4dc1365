package dev.spindle.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The outside command against a child JVM running {@link ObserveDemo}. */
class SpindlePsTest {
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final String CP = System.getProperty("java.class.path");

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", CP));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs the tool as its own process, as a user would; returns exit code and output. */
    private static String[] tool(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java(prepend(SpindlePs.class.getName(), args))).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new String[] {
            Integer.toString(p.exitValue()),
            new String(out, StandardCharsets.UTF_8),
            new String(err, StandardCharsets.UTF_8)
        };
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Test
    void printsTheTaskTreeOfAnotherJvm() throws Exception {
        Process child = new ProcessBuilder(java(ObserveDemo.class.getName()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String ready = lines.readLine();
            assertNotNull(ready, "the demo died");
            assertTrue(ready.startsWith("READY "), ready);
            String pid = ready.substring(6).trim();
            assertEquals(Long.toString(child.pid()), pid);

            String[] tree = tool("--tree", pid);
            assertEquals("0", tree[0], tree[2]);
            String t = tree[1];
            assertTrue(t.contains("Spindle tasks of process " + pid), t);
            assertTrue(t.contains("TaskGroup g1 (9 running)"), t);
            assertTrue(t.contains("TaskGroup g2 (1 running)"), t);
            assertTrue(t.indexOf("TaskGroup g2") < t.indexOf("Task 'grandchild'"), t);
            assertTrue(t.contains("Task 'lock-waiter'") && t.contains("suspended: lock LoopLock.acquire"), t);
            assertTrue(
                    t.contains("Task 'jdk-blocker'")
                            && t.contains("blocked: jdk java.util.concurrent.LinkedBlockingQueue.take"),
                    t);
            assertTrue(t.contains("socket-read java.nio.channels.SocketChannel[connected"), t);

            String[] table = tool(pid);
            assertEquals("0", table[0], table[2]);
            assertTrue(table[1].startsWith("LOOP "), table[1]);
            assertTrue(table[1].lines().anyMatch(l -> l.contains("sleeper") && l.contains("timer")), table[1]);

            String[] json = tool("--json", pid);
            assertEquals("0", json[0], json[2]);
            assertTrue(json[1].startsWith("{\"takenAt\":"), json[1]);
            assertTrue(json[1].contains("\"pid\":" + pid), json[1]);
            assertTrue(json[1].contains("\"kind\":\"toThread\""), json[1]);
        } finally {
            child.getOutputStream().close(); // the demo ends when its stdin closes
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        assertEquals(0, child.exitValue());
    }

    @Test
    void badArgumentsAndAMissingProcessGetClearErrors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, SpindlePs.run(new String[] {}, o, e));
        assertEquals(2, SpindlePs.run(new String[] {"--frobnicate", "1"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unexpected argument '--frobnicate'"));
        assertEquals(1, SpindlePs.run(new String[] {"999999999"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot attach to process 999999999"), err.toString());
    }
}
