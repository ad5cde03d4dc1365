package dev.spindle.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import dev.spindle.task.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

class JfrEventsTest {
    static final class SlowInit {
        static {
            try {
                Thread.sleep(800);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void touch() {}
    }

    @Test
    void aRecordingHasSpindlesEventsWithTheirFields() throws Exception {
        Loop.create().close(); // the first loop of the JVM makes Spindle listen for JFR
        Path file = Files.createTempFile("spindle", ".jfr");
        String[] loopName = new String[1];
        long[] ids = new long[2];
        try (Recording r = new Recording()) {
            r.enable("dev.spindle.TaskSpawned");
            r.enable("dev.spindle.TaskFinished").withThreshold(Duration.ZERO);
            r.enable("dev.spindle.SlowStep");
            r.enable("dev.spindle.LoopLag").withPeriod(Duration.ofMillis(100));
            r.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ofMillis(20));
            r.start();
            assertTrue(SpindleJfr.recording());
            Spindle.run(() -> {
                loopName[0] = Loop.current().name();
                Spindle.sleep(Duration.ofMillis(300)); // Spindle's JFR set-up thread registers the periodic event
                Task<Integer> ok = Spindle.spawn("ok", () -> {
                    Spindle.sleep(Duration.ofMillis(5));
                    return 1;
                });
                Task<Object> bad = Spindle.spawn("bad", () -> {
                    throw new IllegalStateException("broken");
                });
                Task<Object> gone = Spindle.spawn("gone", () -> {
                    Spindle.sleep(Duration.ofHours(1));
                    return null;
                });
                ids[0] = Task.current().thread().threadId();
                ok.await();
                Spindle.gatherOutcomes(bad);
                gone.cancel();
                Spindle.gatherOutcomes(gone);
                Spindle.spawn("hog", () -> {
                            StallWatchdogTest.spin(800);
                            return null;
                        })
                        .await();
                Spindle.spawn("pinner", SlowInit::touch).await();
                Spindle.sleep(Duration.ofMillis(400)); // lag probes; the sampler sees the last step end
                return null;
            });
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Files.deleteIfExists(file);
        List<RecordedEvent> mine = events.stream()
                .filter(e -> !e.getEventType().getName().startsWith("dev.spindle.")
                        || loopName[0].equals(e.getString("loop")))
                .toList();

        RecordedEvent spawnedOk = find(mine, "dev.spindle.TaskSpawned", "ok");
        assertEquals(ids[0], spawnedOk.getLong("parentId"));
        assertTrue(spawnedOk.getLong("taskId") > 0);

        RecordedEvent okDone = find(mine, "dev.spindle.TaskFinished", "ok");
        assertEquals("result", okDone.getString("outcome"));
        assertFalse(okDone.getDuration().isNegative() || okDone.getDuration().isZero());
        RecordedEvent badDone = find(mine, "dev.spindle.TaskFinished", "bad");
        assertEquals("failed", badDone.getString("outcome"));
        assertEquals(IllegalStateException.class.getName(), badDone.getString("exception"));
        assertEquals("broken", badDone.getString("message"));
        assertEquals("cancelled", find(mine, "dev.spindle.TaskFinished", "gone").getString("outcome"));

        RecordedEvent slow = mine.stream()
                .filter(e -> e.getEventType().getName().equals("dev.spindle.SlowStep"))
                .filter(e -> e.getString("step").contains("'hog'"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no SlowStep for hog in " + names(mine)));
        assertTrue(slow.getLong("heldNanos") >= Duration.ofMillis(100).toNanos());
        assertTrue(slow.getBoolean("ended"));
        assertTrue(slow.getString("stack").contains("spin"), slow.getString("stack"));
        RecordedEvent pinnedStep = mine.stream()
                .filter(e -> e.getEventType().getName().equals("dev.spindle.SlowStep"))
                .filter(e -> e.getString("step").contains("'pinner'"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no SlowStep for pinner in " + names(mine)));
        assertTrue(pinnedStep.getBoolean("pinned"));

        RecordedEvent lag = mine.stream()
                .filter(e -> e.getEventType().getName().equals("dev.spindle.LoopLag"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no LoopLag in " + names(mine)));
        assertFalse(lag.getDuration().isNegative());
        assertTrue(lag.getInt("tasksAlive") >= 1);

        // the JDK's own pinning event sees Spindle's coroutines too
        assertTrue(
                mine.stream()
                        .anyMatch(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned")
                                && e.getStackTrace() != null
                                && e.getStackTrace().getFrames().stream()
                                        .anyMatch(f -> f.getMethod().getName().equals("<clinit>"))),
                names(mine));
    }

    private static RecordedEvent find(List<RecordedEvent> events, String type, String task) {
        return events.stream()
                .filter(e -> e.getEventType().getName().equals(type))
                .filter(e -> task.equals(e.getString("task")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " for " + task + " in " + names(events)));
    }

    private static String names(List<RecordedEvent> events) {
        return events.stream()
                .map(e -> e.getEventType().getName())
                .distinct()
                .toList()
                .toString();
    }
}
