package dev.spindle.observe.internal;

/** Not API: the management interface of {@link Diagnostics}, {@code dev.spindle:type=Tasks}. */
public interface DiagnosticsMBean {
    /** Every loop's task tree, as text. */
    String dumpTree();

    /** Every loop's tasks, one line each. */
    String dumpTable();

    /** Every loop's task tree, as JSON. */
    String dumpJson();
}
