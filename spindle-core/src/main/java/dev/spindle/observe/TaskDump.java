package dev.spindle.observe;

import dev.spindle.loop.internal.LoopDirectory;
import dev.spindle.observe.internal.DumpText;
import dev.spindle.observe.internal.Dumper;
import dev.spindle.observe.internal.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of the task tree of one or more loops: every live task with its name, state, parent, task group, what it
 * waits on and its stack (Python 3.14's {@code python -m asyncio ps/pstree}, from inside the process). Taken with
 * {@link dev.spindle.loop.Loop#dumpTasks()} for one loop or {@link #all()} for every open loop of the JVM; from outside
 * the process with {@link SpindlePs}; over HTTP with {@link DumpEndpoint}.
 *
 * {@snippet :
 * TaskDump dump = Loop.current().dumpTasks();
 * System.out.println(dump.toText());   // the tree
 * String json = dump.toJson();         // the same, for tools
 * }
 *
 * <h2>How it is taken</h2>
 * Thread-safe: any thread may take a dump of any loop. The list of tasks, their states and waits are read on the
 * loop's own thread between two steps when the loop answers within a quarter of a second, so they form one consistent
 * moment; a loop held by a stalled step (the case a dump is most wanted for) is read from the calling thread instead,
 * racily, and its entry says so ({@link LoopEntry#consistent()} is false). Stacks are taken afterwards, one task at a
 * time, so each is a little later than the tree. Taking a dump costs the loop only the listing; the stacks are walked
 * on the calling thread.
 *
 * <h2>Pitfalls</h2>
 * Stacks can be long and names are user data: do not expose a dump publicly (see {@link DumpEndpoint}). A task of
 * another loop that a task awaits is named by id only.
 *
 * @param takenAt when the dump was taken
 * @param pid the process
 * @param loops the loops, oldest first
 */
public record TaskDump(Instant takenAt, long pid, List<LoopEntry> loops) {
    public TaskDump {
        Objects.requireNonNull(takenAt, "takenAt");
        loops = List.copyOf(loops);
    }

    /** A dump of every loop of this JVM that is not closed. Thread-safe. */
    public static TaskDump all() {
        return Dumper.dump(LoopDirectory.all());
    }

    /** What a task is doing when the dump is taken. */
    public enum State {
        /** Spawned; its body has not started yet. */
        PENDING,
        /** Woken, waiting in the ready queue for its turn. */
        READY,
        /** Running its step now: it holds the loop. */
        RUNNING,
        /** Parked in one of Spindle's waits (a future, a timer, a lock, a socket...). */
        SUSPENDED,
        /** Blocked inside a JDK call (a blocking socket, {@code Thread.sleep}, a {@code BlockingQueue}...). */
        BLOCKED
    }

    /**
     * One loop.
     *
     * @param name the loop's name ({@code spindle-loop-<n>})
     * @param running whether a thread runs the loop now
     * @param consistent whether the tree was read on the loop's thread (false: the loop was busy and it was read racily)
     * @param readyDepth entries in the ready queue
     * @param step what runs now: {@code "Task 'x' #id"}, a callback, or {@code null} between steps
     * @param groups the open task groups
     * @param tasks the live tasks, oldest first
     */
    public record LoopEntry(
            String name,
            boolean running,
            boolean consistent,
            int readyDepth,
            String step,
            List<GroupEntry> groups,
            List<TaskEntry> tasks) {
        public LoopEntry {
            groups = List.copyOf(groups);
            tasks = List.copyOf(tasks);
        }
    }

    /**
     * One open task group.
     *
     * @param id its number in this dump, from 1
     * @param ownerId the task that opened it
     * @param children how many of its children still run
     * @param description its state, as its {@code toString}
     */
    public record GroupEntry(int id, long ownerId, int children, String description) {}

    /**
     * One task.
     *
     * @param id the task's number (its thread's id, unique in the JVM)
     * @param name its name
     * @param state what it does now
     * @param parentId the task whose coroutine spawned it, or 0 if it was spawned from outside any task
     * @param group the number of the task group it was spawned into ({@link GroupEntry#id()}), or 0
     * @param cancelling how many cancellation requests are outstanding
     * @param waitsOn what it waits on, or {@code null} when it is not waiting
     * @param stack its stack, innermost frame first (empty when not started or not available)
     */
    public record TaskEntry(
            long id,
            String name,
            State state,
            long parentId,
            int group,
            int cancelling,
            Wait waitsOn,
            List<StackTraceElement> stack) {
        public TaskEntry {
            stack = List.copyOf(stack);
        }
    }

    /**
     * What a task waits on.
     *
     * @param kind one word: {@code task}, {@code future}, {@code timer}, {@code socket-read}, {@code socket-write}, {@code socket-accept},
     *     {@code lock}, {@code semaphore}, {@code event}, {@code condition}, {@code barrier}, {@code queue},
     *     {@code stream}, {@code datagram}, {@code taskgroup}, {@code gather}, {@code wait}, {@code as-completed},
     *     {@code toThread},
     *     {@code completable-future}, {@code jdk} (a JDK blocking call), {@code other}
     * @param detail what exactly, for a person: the future, the socket's addresses, the primitive and its line...
     * @param awaitedTaskId the task awaited, when {@code kind} is {@code task}; else 0
     * @param dueIn for a timer, how long until it fires (negative: overdue); else {@code null}
     */
    public record Wait(String kind, String detail, long awaitedTaskId, Duration dueIn) {}

    /** The tree as text, like {@code python -m asyncio pstree}: one loop after another, children indented. */
    public String toText() {
        return DumpText.tree(this);
    }

    /** One line per task, like {@code python -m asyncio ps}: loop, id, name, state, parent, what it waits on. */
    public String toTable() {
        return DumpText.table(this);
    }

    /** The dump as JSON (an object with {@code takenAt}, {@code pid} and {@code loops}; fields as in these records). */
    public String toJson() {
        return Json.of(this);
    }

    /** The task with this id, in any loop of the dump, or {@code null}. */
    public TaskEntry task(long id) {
        for (LoopEntry l : loops) {
            for (TaskEntry t : l.tasks()) {
                if (t.id() == id) {
                    return t;
                }
            }
        }
        return null;
    }

    /** The first task with this name, in any loop of the dump, or {@code null}. */
    public TaskEntry task(String name) {
        for (LoopEntry l : loops) {
            for (TaskEntry t : l.tasks()) {
                if (t.name().equals(name)) {
                    return t;
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return toText();
    }
}
