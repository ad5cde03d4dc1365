package dev.spindle.observe.internal;

import dev.spindle.io.internal.Readiness;
import dev.spindle.loop.internal.CallbackHandle;
import dev.spindle.loop.internal.Carrier;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.observe.TaskDump;
import dev.spindle.observe.TaskDump.GroupEntry;
import dev.spindle.observe.TaskDump.LoopEntry;
import dev.spindle.observe.TaskDump.State;
import dev.spindle.observe.TaskDump.TaskEntry;
import dev.spindle.observe.TaskDump.Wait;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import dev.spindle.task.TaskGroup;
import dev.spindle.task.internal.TaskIntrospection;
import dev.spindle.task.internal.WaitOn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Not API: takes {@link TaskDump}s. Per loop, first the listing (tasks, their fields, park blockers), on the loop's
 * thread if it answers within {@link #ANSWER_MILLIS}, else racily from here; then stacks, from here. What a task waits
 * on comes from its park blocker (Spindle's waits name it: the future, the timer, the {@code WaitQueue}, the
 * {@code Readiness}, the task group) and, to name the primitive or the JDK call, from its stack.
 */
public final class Dumper {
    /** How long a dump waits for a running loop to list its tasks itself before reading them racily. */
    static final long ANSWER_MILLIS = 250;

    /** Whether dumps asked loops to record their steps (once, for good: see {@link EventLoop#observeSteps}). */
    private static final java.util.concurrent.atomic.AtomicBoolean OBSERVING =
            new java.util.concurrent.atomic.AtomicBoolean();

    private Dumper() {}

    /** One task as listed: fields read together, on the loop's thread when possible. */
    private record Listed(
            Task<?> task,
            long id,
            String name,
            long parentId,
            TaskGroup group,
            boolean started,
            boolean parked,
            int cancelling,
            Thread thread,
            Object blocker) {}

    private record Listing(EventLoop loop, boolean consistent, Runnable step, long now, List<Listed> tasks) {}

    public static TaskDump dump(List<EventLoop> loops) {
        if (OBSERVING.compareAndSet(false, true)) {
            // From now on each loop records the step it runs, so that a later dump of a busy loop can name it. A
            // process that was never dumped pays nothing for it; the first dump of a stalled loop cannot name it.
            EventLoop.observeSteps(true);
        }
        List<Listing> listings = new ArrayList<>(loops.size());
        for (EventLoop loop : loops) {
            listings.add(list(loop));
        }
        List<LoopEntry> entries = new ArrayList<>(listings.size());
        for (Listing l : listings) {
            entries.add(describe(l));
        }
        return new TaskDump(Instant.now(), ProcessHandle.current().pid(), entries);
    }

    private static Listing list(EventLoop loop) {
        if (loop.runningThread() == null || loop.inLoopThread()) {
            return listHere(loop, true, loop.currentStep());
        }
        CompletableFuture<Listing> answer = new CompletableFuture<>();
        loop.enqueue(() -> {
            try {
                answer.complete(listHere(loop, true, null)); // the step running is this listing
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get(ANSWER_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException busy) {
            return listHere(loop, false, loop.currentStep());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return listHere(loop, false, loop.currentStep());
        }
    }

    /** Reads the tasks; off the loop's thread a concurrent change may cut the walk short, never break it. */
    private static Listing listHere(EventLoop loop, boolean consistent, Runnable step) {
        List<Task<?>> tasks;
        try {
            tasks = loop.tasks().snapshot();
        } catch (RuntimeException raced) {
            tasks = List.of();
            consistent = false;
        }
        List<Listed> out = new ArrayList<>(tasks.size());
        for (Task<?> t : tasks) {
            if (t == null || t.isDone()) {
                continue;
            }
            Thread th = t.thread();
            out.add(new Listed(
                    t,
                    TaskIntrospection.id(t),
                    t.name(),
                    TaskIntrospection.parentId(t),
                    TaskIntrospection.group(t),
                    TaskIntrospection.started(t),
                    TaskIntrospection.parkedInSpindle(t),
                    t.cancelling(),
                    th,
                    th == null ? null : LockSupport.getBlocker(th)));
        }
        return new Listing(loop, consistent, step, loop.nanoTime(), out);
    }

    private static LoopEntry describe(Listing l) {
        Thread runningThread = Carrier.virtualThreadOf(l.step());
        Map<TaskGroup, Integer> groupIds = new IdentityHashMap<>();
        List<GroupEntry> groups = new ArrayList<>();
        List<TaskEntry> tasks = new ArrayList<>(l.tasks().size());
        for (Listed t : l.tasks()) {
            int group = 0;
            if (t.group() != null) {
                TaskGroup g = t.group();
                Integer gid = groupIds.get(g);
                if (gid == null) {
                    gid = groupIds.size() + 1;
                    groupIds.put(g, gid);
                    Task<?> owner = TaskIntrospection.owner(g);
                    groups.add(new GroupEntry(
                            gid, owner == null ? 0 : TaskIntrospection.id(owner), g.size(), g.toString()));
                }
                group = gid;
            }
            Thread th = t.thread();
            StackTraceElement[] stack = th == null || !t.started() ? new StackTraceElement[0] : stackOf(th);
            State state = stateOf(t, th, runningThread);
            Wait wait = state == State.SUSPENDED || state == State.BLOCKED ? waitOf(t, state, stack, l) : null;
            tasks.add(
                    new TaskEntry(t.id(), t.name(), state, t.parentId(), group, t.cancelling(), wait, List.of(stack)));
        }
        Runnable step = l.step();
        String stepText = null;
        if (step != null) {
            Task<?> running = TaskIntrospection.taskOf(runningThread);
            stepText = running != null
                    ? "Task '" + running.name() + "' #" + TaskIntrospection.id(running)
                    : "callback " + step;
        }
        EventLoop loop = l.loop();
        return new LoopEntry(loop.name(), loop.isRunning(), l.consistent(), loop.readyDepth(), stepText, groups, tasks);
    }

    private static StackTraceElement[] stackOf(Thread t) {
        try {
            return t.getStackTrace();
        } catch (RuntimeException e) {
            return new StackTraceElement[0];
        }
    }

    private static State stateOf(Listed t, Thread th, Thread runningThread) {
        if (!t.started()) {
            return State.PENDING;
        }
        if (th != null && th == runningThread) {
            return State.RUNNING;
        }
        Thread.State s = th == null ? Thread.State.TERMINATED : th.getState();
        boolean waiting = s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
        if (!waiting) {
            return State.READY; // unparked, its continuation queued (or mounted by another loop's pass: no)
        }
        return t.parked() ? State.SUSPENDED : State.BLOCKED;
    }

    // ---- what a task waits on ------------------------------------------------------------------------------------

    private static Wait waitOf(Listed t, State state, StackTraceElement[] stack, Listing l) {
        Object b = t.blocker();
        if (state == State.BLOCKED) {
            String call = jdkCall(stack);
            String detail = call != null ? call : "a JDK call";
            if (b != null) {
                detail += " (on " + safeToString(b) + ")";
            }
            return new Wait("jdk", detail, 0, null);
        }
        if (b instanceof Task<?> awaited && awaited != t.task()) {
            return new Wait(
                    "task",
                    "Task '" + awaited.name() + "' #" + TaskIntrospection.id(awaited),
                    TaskIntrospection.id(awaited),
                    null);
        }
        if (b instanceof LoopFuture<?> f && b != t.task()) {
            return new Wait("future", safeToString(f), 0, null);
        }
        if (b instanceof CallbackHandle h) {
            long due = h.when() - l.now();
            return new Wait("timer", "due in " + seconds(due), 0, Duration.ofNanos(due));
        }
        if (b instanceof Readiness r) {
            String kind =
                    !r.isInboundWaiter(t.task()) ? "socket-write" : r.isListener() ? "socket-accept" : "socket-read";
            return new Wait(kind, safeToString(r), 0, null);
        }
        if (b instanceof TaskGroup g) {
            return new Wait("taskgroup", safeToString(g), 0, null);
        }
        if (b instanceof WaitOn w) {
            String caller = callerOfCore(stack);
            return new Wait(w.kind(), "job" + (caller != null ? " called at " + caller : ""), 0, null);
        }
        if (b instanceof CompletionStage<?> cf) {
            return new Wait("completable-future", safeToString(cf), 0, null);
        }
        // A WaitQueue, gather's queue, or Task.park's default: the frame that parked names the wait.
        StackTraceElement caller = spindleCaller(stack);
        String kind = caller == null ? "other" : kindOf(caller);
        String where = caller == null ? "" : simpleName(caller.getClassName()) + "." + caller.getMethodName();
        String detail = b instanceof WaitQueue q
                ? where + " (" + q + ")"
                : b != null && b != t.task() ? where + " (" + safeToString(b) + ")" : where;
        return new Wait(kind, detail.isEmpty() ? "parked" : detail, 0, null);
    }

    /** The outermost frame of the JDK call a task is blocked in: the last JDK frame before the first of the caller. */
    static String jdkCall(StackTraceElement[] stack) {
        StackTraceElement last = null;
        for (StackTraceElement e : stack) {
            if (isJdk(e.getClassName())) {
                last = e;
            } else {
                break;
            }
        }
        return last == null ? null : last.getClassName() + "." + last.getMethodName();
    }

    private static boolean isJdk(String c) {
        return c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.") || c.startsWith("com.sun.");
    }

    /** The first frame of Spindle's public code above the park machinery: the primitive or call that waits. */
    private static StackTraceElement spindleCaller(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (!c.startsWith("dev.spindle.")) {
                continue;
            }
            if (c.startsWith("dev.spindle.task.internal.")
                    || c.startsWith("dev.spindle.sync.internal.")
                    || c.equals("dev.spindle.task.Task")
                    || c.startsWith("dev.spindle.task.Task$")
                    || c.equals("dev.spindle.task.Awaiting")) {
                continue;
            }
            return e;
        }
        return null;
    }

    /** The first frame outside the JDK and core's task machinery: the code that called the wait. */
    private static String callerOfCore(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (!isJdk(c) && !c.startsWith("dev.spindle.task.") && !c.equals("dev.spindle.Spindle")) {
                return e.toString();
            }
        }
        return null;
    }

    private static String kindOf(StackTraceElement e) {
        String c = simpleName(e.getClassName());
        String m = e.getMethodName();
        return switch (c) {
            case "LoopLock" -> "lock";
            case "LoopSemaphore", "LoopBoundedSemaphore" -> "semaphore";
            case "LoopEvent" -> "event";
            case "LoopCondition" -> "condition";
            case "LoopBarrier" -> "barrier";
            case "LoopQueue", "ThreadsafeQueue", "Forwarded" -> "queue";
            case "Tasks" ->
                m.startsWith("gather")
                        ? "gather"
                        : m.startsWith("asCompleted") || m.equals("next") ? "as-completed" : "wait";
            case "Tasks$AsCompleted" -> "as-completed";
            case "StreamWriter", "StreamReader", "Server", "TlsTransport", "InboundPipe", "OutboundPipe" -> "stream";
            case "DatagramTransport", "DatagramEndpoint" -> "datagram";
            default -> socketKind(e.getClassName(), m);
        };
    }

    /**
     * Another backend's socket wait (the Netty backend parks with no blocker of its own): named by its transport's or
     * listener's method.
     */
    private static String socketKind(String className, String method) {
        String simple = simpleName(className);
        boolean socket = className.startsWith("dev.spindle.netty.")
                || simple.endsWith("Transport")
                || simple.endsWith("Listener");
        if (!socket) {
            return "other";
        }
        String m = method.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("accept")) {
            return "socket-accept";
        }
        if (m.contains("read") || m.contains("receive")) {
            return "socket-read";
        }
        if (m.contains("write")
                || m.contains("flush")
                || m.contains("drain")
                || m.contains("send")
                || m.contains("connect")) {
            return "socket-write";
        }
        return "other";
    }

    private static String simpleName(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }

    static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3f s", nanos / 1e9);
    }

    private static String safeToString(Object o) {
        try {
            String s = String.valueOf(o);
            return s.length() > 200 ? s.substring(0, 200) + "..." : s;
        } catch (RuntimeException e) {
            return o.getClass().getName();
        }
    }
}
