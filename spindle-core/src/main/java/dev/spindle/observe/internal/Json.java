package dev.spindle.observe.internal;

import dev.spindle.observe.TaskDump;
import dev.spindle.observe.TaskDump.GroupEntry;
import dev.spindle.observe.TaskDump.LoopEntry;
import dev.spindle.observe.TaskDump.TaskEntry;
import dev.spindle.observe.TaskDump.Wait;
import java.util.Locale;

/** Not API: JSON written by hand (core has no dependencies). RFC 8259 strings; fields in a fixed order. */
public final class Json {
    private final StringBuilder out = new StringBuilder(4096);

    private Json() {}

    public static String of(TaskDump dump) {
        Json j = new Json();
        j.dump(dump);
        return j.out.toString();
    }

    private void dump(TaskDump d) {
        out.append("{\"takenAt\":");
        str(d.takenAt().toString());
        out.append(",\"pid\":").append(d.pid()).append(",\"loops\":[");
        for (int i = 0; i < d.loops().size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            loop(d.loops().get(i));
        }
        out.append("]}");
    }

    private void loop(LoopEntry l) {
        out.append("{\"name\":");
        str(l.name());
        out.append(",\"running\":").append(l.running());
        out.append(",\"consistent\":").append(l.consistent());
        out.append(",\"readyDepth\":").append(l.readyDepth());
        out.append(",\"step\":");
        str(l.step());
        out.append(",\"groups\":[");
        for (int i = 0; i < l.groups().size(); i++) {
            GroupEntry g = l.groups().get(i);
            out.append(i > 0 ? "," : "").append("{\"id\":").append(g.id());
            out.append(",\"ownerId\":")
                    .append(g.ownerId())
                    .append(",\"children\":")
                    .append(g.children());
            out.append(",\"description\":");
            str(g.description());
            out.append('}');
        }
        out.append("],\"tasks\":[");
        for (int i = 0; i < l.tasks().size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            task(l.tasks().get(i));
        }
        out.append("]}");
    }

    private void task(TaskEntry t) {
        out.append("{\"id\":").append(t.id()).append(",\"name\":");
        str(t.name());
        out.append(",\"state\":");
        str(t.state().name().toLowerCase(Locale.ROOT));
        out.append(",\"parentId\":").append(t.parentId());
        out.append(",\"group\":").append(t.group());
        out.append(",\"cancelling\":").append(t.cancelling());
        out.append(",\"wait\":");
        Wait w = t.waitsOn();
        if (w == null) {
            out.append("null");
        } else {
            out.append("{\"kind\":");
            str(w.kind());
            out.append(",\"detail\":");
            str(w.detail());
            out.append(",\"awaitedTaskId\":").append(w.awaitedTaskId());
            out.append(",\"dueInNanos\":")
                    .append(w.dueIn() == null ? "null" : Long.toString(w.dueIn().toNanos()));
            out.append('}');
        }
        out.append(",\"stack\":[");
        for (int i = 0; i < t.stack().size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            str(t.stack().get(i).toString());
        }
        out.append("]}");
    }

    private void str(String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c) && !validSurrogate(s, i)) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A lone surrogate would make the output invalid UTF-8 once encoded: escape it. */
    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** {@link #str} for other writers of this package. */
    static String quote(String s) {
        Json j = new Json();
        j.str(s);
        return j.out.toString();
    }
}
