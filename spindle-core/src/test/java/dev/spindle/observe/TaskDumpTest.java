package dev.spindle.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import dev.spindle.observe.TaskDump.LoopEntry;
import dev.spindle.observe.TaskDump.State;
import dev.spindle.observe.TaskDump.TaskEntry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TaskDumpTest {

    @Test
    void dumpShowsTheTreeStatesAndWhatEachTaskWaitsOn() throws Exception {
        ObserveDemo demo = new ObserveDemo();
        Thread runner = Thread.ofPlatform().name("demo").start(demo::run);
        try {
            Loop loop = demo.ready.get(20, TimeUnit.SECONDS);
            TaskDump dump = loop.dumpTasks(); // from another thread, while the loop runs
            assertEquals(1, dump.loops().size());
            LoopEntry l = dump.loops().get(0);
            assertTrue(l.running());
            assertTrue(l.consistent(), "an idle loop lists its own tasks");
            Map<String, TaskEntry> byName =
                    l.tasks().stream().collect(Collectors.toMap(TaskEntry::name, t -> t, (a, b) -> a));

            TaskEntry main = l.tasks().stream()
                    .filter(t -> t.parentId() == 0)
                    .findFirst()
                    .orElseThrow();
            TaskEntry g1Body = main; // the body of g1 runs in main's task: it awaits the release
            assertEquals(State.SUSPENDED, g1Body.state());
            assertEquals("completable-future", g1Body.waitsOn().kind());

            // the tree: g1 belongs to main, g2 to 'inner'; 'forever' is main's child outside any group
            TaskEntry inner = byName.get("inner");
            TaskEntry grandchild = byName.get("grandchild");
            TaskEntry forever = byName.get("forever");
            assertEquals(main.id(), forever.parentId());
            assertEquals(0, forever.group());
            int g1 = byName.get("sleeper").group();
            int g2 = grandchild.group();
            assertTrue(g1 > 0 && g2 > 0 && g1 != g2);
            assertEquals(main.id(), l.groups().get(g1 - 1).ownerId());
            assertEquals(inner.id(), l.groups().get(g2 - 1).ownerId());
            assertEquals(inner.id(), grandchild.parentId());
            assertEquals(9, l.groups().get(g1 - 1).children());
            for (String child : new String[] {
                "sleeper",
                "lock-waiter",
                "queue-getter",
                "event-waiter",
                "awaiter",
                "socket-reader",
                "jdk-blocker",
                "thread-job",
                "inner"
            }) {
                assertEquals(g1, byName.get(child).group(), child);
                assertEquals(main.id(), byName.get(child).parentId(), child);
            }

            // states and waits
            assertWait(byName, "sleeper", State.SUSPENDED, "timer");
            Duration due = byName.get("sleeper").waitsOn().dueIn();
            assertTrue(due.compareTo(Duration.ofMinutes(59)) > 0 && due.compareTo(Duration.ofHours(1)) <= 0, "" + due);
            assertWait(byName, "lock-waiter", State.SUSPENDED, "lock");
            assertTrue(byName.get("lock-waiter").waitsOn().detail().contains("LoopLock.acquire"));
            assertWait(byName, "queue-getter", State.SUSPENDED, "queue");
            assertWait(byName, "event-waiter", State.SUSPENDED, "event");
            assertWait(byName, "awaiter", State.SUSPENDED, "task");
            assertEquals(forever.id(), byName.get("awaiter").waitsOn().awaitedTaskId());
            assertWait(byName, "forever", State.SUSPENDED, "future");
            assertWait(byName, "socket-reader", State.SUSPENDED, "socket-read");
            assertTrue(byName.get("socket-reader").waitsOn().detail().contains("127.0.0.1"));
            assertWait(byName, "jdk-blocker", State.BLOCKED, "jdk");
            assertTrue(
                    byName.get("jdk-blocker").waitsOn().detail().contains("LinkedBlockingQueue.take"),
                    byName.get("jdk-blocker").waitsOn().detail());
            assertWait(byName, "thread-job", State.SUSPENDED, "toThread");
            assertTrue(byName.get("thread-job").waitsOn().detail().contains("ObserveDemo"));
            assertWait(byName, "inner", State.SUSPENDED, "taskgroup");
            assertWait(byName, "grandchild", State.SUSPENDED, "future");

            // stacks: each task's shows its own code
            assertTrue(byName.get("jdk-blocker").stack().stream()
                    .anyMatch(f -> f.getClassName().startsWith(ObserveDemo.class.getName())));
            assertTrue(byName.get("sleeper").stack().stream()
                    .anyMatch(f -> f.getMethodName().equals("sleep")));

            // the renderings carry the same facts
            String text = dump.toText();
            assertTrue(text.contains("TaskGroup g" + g1), text);
            assertTrue(text.contains("Task 'grandchild'"), text);
            assertTrue(text.indexOf("Task 'inner'") < text.indexOf("TaskGroup g" + g2), text);
            assertTrue(text.indexOf("TaskGroup g" + g2) < text.indexOf("Task 'grandchild'"), text);
            assertTrue(text.contains("jdk java.util.concurrent.LinkedBlockingQueue.take"), text);
            String table = dump.toTable();
            assertTrue(
                    table.lines()
                            .anyMatch(x -> x.contains("lock-waiter") && x.contains("suspended") && x.contains("lock")),
                    table);
            String json = dump.toJson();
            assertTrue(json.contains("\"name\":\"socket-reader\""), json);
            assertTrue(json.contains("\"kind\":\"socket-read\""), json);
            assertTrue(json.startsWith("{\"takenAt\":") && json.endsWith("]}"), json);

            // every open loop of the JVM: the demo's is among them
            assertNotNull(TaskDump.all().task("grandchild"));
        } finally {
            demo.release.complete(null);
            runner.join(20_000);
        }
        assertFalse(runner.isAlive());
    }

    private static void assertWait(Map<String, TaskEntry> byName, String name, State state, String kind) {
        TaskEntry t = byName.get(name);
        assertNotNull(t, name + " is missing");
        assertEquals(state, t.state(), name + ": " + t);
        assertNotNull(t.waitsOn(), name);
        assertEquals(kind, t.waitsOn().kind(), name + ": " + t.waitsOn());
    }

    @Test
    void aTaskDumpingItsOwnLoopIsRunningAndPendingTasksArePending() {
        TaskDump dump = Spindle.run(() -> {
            Spindle.spawn("not-yet", () -> null);
            return Loop.current().dumpTasks();
        });
        LoopEntry l = dump.loops().get(0);
        TaskEntry self = l.tasks().get(0);
        assertEquals(State.RUNNING, self.state());
        assertNull(self.waitsOn());
        assertEquals("Task '" + self.name() + "' #" + self.id(), l.step());
        TaskEntry pending = dump.task("not-yet");
        assertEquals(State.PENDING, pending.state());
        assertEquals(self.id(), pending.parentId());
        assertTrue(pending.stack().isEmpty());
    }

    @Test
    void aLoopHeldByAStepIsStillDumpedRacilyAndShowsTheRunningTask() throws Exception {
        CountDownLatch spinning = new CountDownLatch(1);
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<Loop> loopRef = new AtomicReference<>();
        Thread runner = Thread.ofPlatform()
                .start(() -> Spindle.run(() -> {
                    loopRef.set(Loop.current());
                    Spindle.spawn("hog", () -> {
                                spinning.countDown();
                                while (stop.getCount() > 0) {
                                    Thread.onSpinWait(); // holds the loop: never parks
                                }
                                return null;
                            })
                            .await();
                    return null;
                }));
        try {
            assertTrue(spinning.await(10, TimeUnit.SECONDS));
            TaskDump dump = loopRef.get().dumpTasks();
            LoopEntry l = dump.loops().get(0);
            assertFalse(l.consistent(), "the loop cannot answer: it is read from outside");
            TaskEntry hog = dump.task("hog");
            assertEquals(State.RUNNING, hog.state());
            assertTrue(l.step().contains("'hog'"), l.step());
            assertTrue(hog.stack().stream().anyMatch(f -> f.getClassName().startsWith(TaskDumpTest.class.getName())));
            assertTrue(dump.toText().contains("busy"), dump.toText());
        } finally {
            stop.countDown();
            runner.join(10_000);
        }
    }
}
