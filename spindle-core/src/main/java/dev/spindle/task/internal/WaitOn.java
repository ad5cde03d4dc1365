package dev.spindle.task.internal;

/**
 * Not API: what a coroutine waits for, when no single object says it: handed to the park as its blocker (see
 * {@link java.util.concurrent.locks.LockSupport#getBlocker}), where task dumps read it. Made once per wait, never per
 * wake-up.
 *
 * @param kind the kind of wait, one word (as in task dumps: {@code gather}, {@code wait}, {@code toThread})
 * @param target what is awaited (the futures, the job), shown by its {@code toString}
 */
public record WaitOn(String kind, Object target) {}
