package dev.spindle.observe;

import java.time.Duration;
import java.util.List;

/**
 * A step that held its loop past a {@link StallWatchdog}'s threshold: a coroutine's run between two suspensions, or a
 * callback. Reported once per step.
 *
 * @param loop the loop's name
 * @param taskId the task whose step it was, or 0 for a callback
 * @param step the task ({@code Task 'name' #id}) or the callback
 * @param held how long it held the loop (measured by sampling: within a sampling period, at most 10 ms)
 * @param ended whether the step had ended when reported; false when it was still running after
 *     {@link StallWatchdog#ongoingReportAfter()} (it is then not reported again)
 * @param pinned whether the coroutine blocked while mounted on the loop's thread: it pinned its carrier (a JNI frame,
 *     a class initialiser...), so its blocking call held the whole loop instead of parking only itself
 * @param stack the step's stack when it passed the threshold, innermost first
 */
public record Stall(
        String loop,
        long taskId,
        String step,
        Duration held,
        boolean ended,
        boolean pinned,
        List<StackTraceElement> stack) {
    public Stall {
        stack = List.copyOf(stack);
    }

    /** The report as a log would show it: one line, then the stack. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(step)
                .append(" held ")
                .append(loop)
                .append(" for ")
                .append(String.format(java.util.Locale.ROOT, "%.3f s", held.toNanos() / 1e9));
        b.append(ended ? "" : " and is still running");
        if (pinned) {
            b.append("; it blocked while pinned to the loop's thread");
        }
        for (StackTraceElement e : stack) {
            b.append("\n\tat ").append(e);
        }
        return b.toString();
    }
}
