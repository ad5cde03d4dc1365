package dev.spindle.redis;

import dev.spindle.task.LoopFuture;
import java.util.List;

/** Reply slots of a batch (pipeline, transaction) its caller stopped waiting for. */
final class Slots {
    private Slots() {}

    /**
     * Cancels the slots not answered yet: their replies are still read and dropped by the connection, and a later
     * connection failure is not reported as a failure nobody retrieved.
     */
    static void abandon(List<LoopFuture<Object>> slots) {
        for (LoopFuture<Object> s : slots) {
            if (!s.isDone()) {
                s.cancel();
            }
        }
    }
}
