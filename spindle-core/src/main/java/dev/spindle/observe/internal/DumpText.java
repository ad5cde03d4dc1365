package dev.spindle.observe.internal;

import dev.spindle.observe.TaskDump;
import dev.spindle.observe.TaskDump.GroupEntry;
import dev.spindle.observe.TaskDump.LoopEntry;
import dev.spindle.observe.TaskDump.TaskEntry;
import dev.spindle.observe.TaskDump.Wait;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Not API: a {@link TaskDump} as text, a tree ({@code pstree}) or a table ({@code ps}). */
public final class DumpText {
    /** Frames shown per task in the tree; the JSON has them all. */
    static final int FRAMES = 4;

    private DumpText() {}

    public static String tree(TaskDump dump) {
        StringBuilder out = new StringBuilder();
        out.append("Spindle tasks of process ")
                .append(dump.pid())
                .append(" at ")
                .append(dump.takenAt())
                .append('\n');
        if (dump.loops().isEmpty()) {
            out.append("(no open loop)\n");
        }
        for (LoopEntry loop : dump.loops()) {
            out.append('\n');
            tree(loop, out);
        }
        return out.toString();
    }

    private static void tree(LoopEntry loop, StringBuilder out) {
        out.append(loop.name()).append(" (").append(loop.running() ? "running" : "not running");
        out.append(", ").append(loop.tasks().size()).append(loop.tasks().size() == 1 ? " task" : " tasks");
        out.append(", ready ").append(loop.readyDepth());
        if (loop.step() != null) {
            out.append(", now running ").append(loop.step());
        }
        if (!loop.consistent()) {
            out.append(", busy: read while it runs, may mix moments");
        }
        out.append(")\n");
        Map<Long, TaskEntry> byId = new HashMap<>();
        for (TaskEntry t : loop.tasks()) {
            byId.put(t.id(), t);
        }
        Map<Integer, GroupEntry> groups = new HashMap<>();
        for (GroupEntry g : loop.groups()) {
            groups.put(g.id(), g);
        }
        // Children of a node: a group's tasks; a task's groups and the tasks it spawned outside any group.
        Map<Long, List<Object>> under = new HashMap<>();
        Map<Integer, List<Object>> inGroup = new HashMap<>();
        List<Object> roots = new ArrayList<>();
        for (GroupEntry g : loop.groups()) {
            if (byId.containsKey(g.ownerId())) {
                under.computeIfAbsent(g.ownerId(), k -> new ArrayList<>()).add(g);
            } else {
                roots.add(g);
            }
        }
        for (TaskEntry t : loop.tasks()) {
            if (t.group() != 0) {
                inGroup.computeIfAbsent(t.group(), k -> new ArrayList<>()).add(t);
            } else if (t.parentId() != 0 && byId.containsKey(t.parentId())) {
                under.computeIfAbsent(t.parentId(), k -> new ArrayList<>()).add(t);
            } else {
                roots.add(t);
            }
        }
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < roots.size(); i++) {
            node(roots.get(i), "", i == roots.size() - 1, under, inGroup, byId, seen, out);
        }
    }

    private static void node(
            Object n,
            String prefix,
            boolean last,
            Map<Long, List<Object>> under,
            Map<Integer, List<Object>> inGroup,
            Map<Long, TaskEntry> byId,
            Set<Object> seen,
            StringBuilder out) {
        if (!seen.add(n)) {
            return; // never loop, whatever a racy read produced
        }
        out.append(prefix).append(last ? "└── " : "├── ");
        String inner = prefix + (last ? "    " : "│   ");
        List<Object> kids;
        if (n instanceof GroupEntry g) {
            out.append("TaskGroup g")
                    .append(g.id())
                    .append(" (")
                    .append(g.children())
                    .append(" running)\n");
            kids = inGroup.getOrDefault(g.id(), List.of());
        } else {
            TaskEntry t = (TaskEntry) n;
            out.append(line(t, byId)).append('\n');
            kids = under.getOrDefault(t.id(), List.of());
            String framePrefix = inner + (kids.isEmpty() ? "    " : "│   ");
            for (StackTraceElement e : interestingFrames(t.stack(), FRAMES)) {
                out.append(framePrefix).append("at ").append(e).append('\n');
            }
        }
        for (int i = 0; i < kids.size(); i++) {
            node(kids.get(i), inner, i == kids.size() - 1, under, inGroup, byId, seen, out);
        }
    }

    private static String line(TaskEntry t, Map<Long, TaskEntry> byId) {
        StringBuilder b = new StringBuilder();
        b.append("Task '").append(t.name()).append("' #").append(t.id()).append(' ');
        b.append(t.state().name().toLowerCase(Locale.ROOT));
        if (t.cancelling() > 0) {
            b.append(" (cancelling)");
        }
        if (t.waitsOn() != null) {
            b.append(": ").append(waitText(t.waitsOn()));
        }
        if (t.parentId() != 0 && !byId.containsKey(t.parentId()) && t.group() == 0) {
            b.append(" [spawned by #").append(t.parentId()).append(", finished or on another loop]");
        }
        return b.toString();
    }

    static String waitText(Wait w) {
        return switch (w.kind()) {
            case "task" -> "awaits " + w.detail();
            case "timer" -> "sleeps, timer " + w.detail();
            default -> w.kind() + " " + w.detail();
        };
    }

    public static String table(TaskDump dump) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"LOOP", "TASK", "NAME", "STATE", "PARENT", "GROUP", "WAITS ON", "AT"});
        for (LoopEntry loop : dump.loops()) {
            for (TaskEntry t : loop.tasks()) {
                List<StackTraceElement> top = interestingFrames(t.stack(), 1);
                rows.add(new String[] {
                    loop.name(),
                    "#" + t.id(),
                    t.name(),
                    t.state().name().toLowerCase(Locale.ROOT),
                    t.parentId() == 0 ? "-" : "#" + t.parentId(),
                    t.group() == 0 ? "-" : "g" + t.group(),
                    t.waitsOn() == null ? "-" : waitText(t.waitsOn()),
                    top.isEmpty() ? "-" : top.get(0).toString()
                });
            }
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.min(60, Math.max(width[i], r[i].length()));
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                String cell = r[i].length() > 60 ? r[i].substring(0, 57) + "..." : r[i];
                out.append(cell);
                if (i < r.length - 1) {
                    out.append(" ".repeat(width[i] - cell.length() + 2));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * The frames worth showing: without the park machinery on top (JDK park internals, Spindle's own wait frames) and
     * without the coroutine's plumbing at the bottom.
     */
    public static List<StackTraceElement> interestingFrames(List<StackTraceElement> stack, int max) {
        int from = 0;
        while (from < stack.size() && isMachinery(stack.get(from).getClassName())) {
            from++;
        }
        // A JDK call: of its frames, only the outermost (the API the task called) is worth a line.
        while (from + 1 < stack.size()
                && isJdk(stack.get(from).getClassName())
                && isJdk(stack.get(from + 1).getClassName())) {
            from++;
        }
        int to = stack.size();
        while (to > from && isPlumbing(stack.get(to - 1).getClassName())) {
            to--;
        }
        if (from == to) { // all machinery (a task parked in core): show the top anyway
            from = 0;
        }
        return stack.subList(from, Math.min(to, from + max));
    }

    private static boolean isMachinery(String c) {
        return c.startsWith("jdk.internal.")
                || c.startsWith("java.lang.VirtualThread")
                || c.startsWith("java.lang.System$")
                || c.startsWith("java.util.concurrent.locks.LockSupport")
                || c.startsWith("dev.spindle.task.internal.")
                || c.startsWith("dev.spindle.sync.internal.")
                || c.startsWith("dev.spindle.io.internal.Readiness")
                || c.equals("dev.spindle.task.Task")
                || c.startsWith("dev.spindle.task.Task$")
                || c.equals("dev.spindle.task.Awaiting")
                || c.equals("dev.spindle.task.LoopFuture")
                || c.equals("dev.spindle.task.Tasks")
                || c.equals("dev.spindle.Spindle");
    }

    private static boolean isJdk(String c) {
        return c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.") || c.startsWith("com.sun.");
    }

    private static boolean isPlumbing(String c) {
        return c.startsWith("jdk.internal.vm.Continuation")
                || c.startsWith("java.lang.VirtualThread")
                || c.startsWith("dev.spindle.task.Task");
    }
}
