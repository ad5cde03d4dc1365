package dev.spindle.web;

/**
 * Work to run after the response has been sent (FastAPI's {@code BackgroundTasks}): declare it as a parameter of a
 * handler or a dependency and add tasks.
 *
 * {@snippet :
 * @Post("/send-notification/{email}")
 * Map<String, String> notify(@Path String email, BackgroundTasks tasks) {
 *     tasks.add(() -> writeLog("notification for " + email));
 *     return Map.of("message", "Notification sent in the background");
 * }
 * }
 *
 * <h2>Contract</h2>
 * Tasks run one after the other, in the order added, in the request's coroutine, once the response's last byte has
 * been handed to the connection and dependencies' teardowns have run; the connection's next request waits for them
 * (as with Starlette). A failing task is logged and the rest still run. Nothing runs if the response could not be
 * sent.
 */
public interface BackgroundTasks {
    /** Something to run; may block (it parks only this coroutine). */
    @FunctionalInterface
    interface Task {
        void run() throws Exception;
    }

    /** Adds a task. */
    void add(Task task);
}
