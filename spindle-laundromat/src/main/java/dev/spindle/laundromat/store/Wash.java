package dev.spindle.laundromat.store;

import java.time.LocalDateTime;

/**
 * One wash as stored: who, which machine, which program, how long (in wash time), how much is left as of the last
 * save, when it ends in real time while running ({@code deadlineMs}, epoch milliseconds), its state.
 *
 * <table>
 *   <caption>States</caption>
 *   <tr><th>state</th><th>meaning</th><th>next</th></tr>
 *   <tr><td>RUNNING</td><td>washing; ends at {@code deadlineMs}</td><td>DONE, CANCELLED, PAUSED</td></tr>
 *   <tr><td>PAUSED</td><td>saved at a shutdown with {@code remainingMs} to go; resumed at the next start</td>
 *       <td>RUNNING</td></tr>
 *   <tr><td>DONE</td><td>finished; a ready notification is queued ({@code notified} once queued)</td><td>-</td></tr>
 *   <tr><td>CANCELLED</td><td>stopped by its customer</td><td>-</td></tr>
 * </table>
 */
public record Wash(
        long id,
        long customerId,
        int machineId,
        String program,
        long durationMs,
        long remainingMs,
        long deadlineMs,
        String state,
        boolean notified,
        LocalDateTime createdAt,
        LocalDateTime finishedAt) {
    public static final String RUNNING = "RUNNING";
    public static final String PAUSED = "PAUSED";
    public static final String DONE = "DONE";
    public static final String CANCELLED = "CANCELLED";

    /** Whether the wash still occupies its machine. */
    public boolean active() {
        return state.equals(RUNNING) || state.equals(PAUSED);
    }
}
