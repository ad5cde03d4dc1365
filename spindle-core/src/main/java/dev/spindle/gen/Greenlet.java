package dev.spindle.gen;

import dev.spindle.gen.internal.InlineCarrier;
import dev.spindle.loop.internal.Carrier;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Sneaky;
import dev.spindle.task.internal.Suspension;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.locks.LockSupport;

/**
 * A symmetric coroutine in the style of Python's {@code greenlet}: any greenlet may hand control to any other of its
 * group with {@link #switchTo}, passing a value, and resumes when someone switches back to it. Exactly one greenlet
 * of a group runs at a time; there is no scheduler, only explicit switches.
 *
 * {@snippet :
 * Greenlet[] g = new Greenlet[2];
 * List<Integer> printed = new ArrayList<>();
 * g[0] = new Greenlet(args -> {
 *     printed.add(12);
 *     g[1].switchTo(); // to g[1], which starts
 *     printed.add(34); // back here when g[1] switches to g[0]
 *     return null;     // g[0] ends: control goes to its parent, the root
 * });
 * g[1] = new Greenlet(args -> {
 *     printed.add(56);
 *     g[0].switchTo();
 *     printed.add(78); // never reached: nobody switches back to g[1]
 *     return null;
 * });
 * g[0].switchTo();     // from the root: printed is [12, 56, 34]
 * g[1].throwIn();      // kill the suspended g[1]: its finally blocks run
 * }
 *
 * <h2>Groups, roots and parents</h2>
 * The coroutine (or platform thread) that first uses greenlets is its group's <em>root</em>, the implicit main
 * greenlet: {@link #current()} there returns it. A new greenlet's parent is the greenlet that creates it, unless
 * given. A greenlet starts at the first switch to it, which passes its body the switch's arguments. When the body
 * returns, its result is switched to the parent (the parent's pending {@code switchTo} returns it); when it throws,
 * the exception is raised in the parent, except {@link GreenletExit}, which the parent receives as a value. Switching
 * to a dead greenlet switches to its parent instead (or the parent's parent, if that one is dead too).
 *
 * <h2>Values</h2>
 * {@code switchTo(v)} makes the target's pending {@code switchTo} return {@code v}; {@code switchTo()} makes it return
 * {@code null}; {@code switchTo(a, b, ...)} makes it return the {@code Object[]} of the arguments. A greenlet that has
 * not started receives the arguments as its body's {@code args}.
 *
 * <h2>Threads</h2>
 * Each greenlet other than the root is a virtual thread, and the group lives on the root's thread:
 * <ul>
 *   <li>rooted in a coroutine: each greenlet is a task of the same loop, so it may use Spindle's waits
 *       ({@code sleep}, {@code await}, timeouts); while it waits, other coroutines of the loop run, and the rest of
 *       the group stays suspended.
 *   <li>rooted on a platform thread: the greenlets run on that thread, inline, while the root is switched away; they
 *       may block in JDK calls (which then hold the root's thread), and Spindle's calls behave there as on a plain
 *       thread.
 * </ul>
 * Greenlets are confined to their group: switching to a greenlet of another group throws
 * {@link IllegalStateException}, as greenlet refuses to switch across threads.
 *
 * <h2>Cancellation (rooted in a coroutine)</h2>
 * The group behaves as one coroutine. A cancel of the root task while another greenlet runs is forwarded to that
 * greenlet, where it shows up at its current (or next) suspension point; if it propagates, it travels up the parents
 * like any exception and comes out of the root's {@code switchTo}, so {@code withTimeout} around a switch works.
 * {@code switchTo} is itself a suspension point: it throws {@link Cancelled} at its start if a cancel is pending
 * for the caller. A greenlet that is suspended in {@code switchTo} is deaf to its own cancels (a timeout of its own
 * that expires while it is switched away); they are delivered once it runs again. When the root finishes, the
 * greenlets still suspended are killed: {@link GreenletExit} is raised in their {@code switchTo}, their
 * {@code finally} blocks run, and they can no longer switch.
 *
 * <h2>Porting greenlet code</h2>
 * <table>
 *   <caption>greenlet to Spindle</caption>
 *   <tr><th>greenlet</th><th>Spindle</th></tr>
 *   <tr><td>{@code greenlet.getcurrent()}</td><td>{@link #current()}</td></tr>
 *   <tr><td>{@code greenlet(run, parent)}</td><td>{@link #Greenlet(Body, Greenlet)}; {@code run} takes
 *       {@code Object... args} and returns a value</td></tr>
 *   <tr><td>{@code g.switch(*args)}</td><td>{@code g.switchTo(args...)}</td></tr>
 *   <tr><td>{@code g.throw()} / {@code g.throw(e)}</td><td>{@link #throwIn()} / {@link #throwIn(Throwable)}</td></tr>
 *   <tr><td>{@code g.dead}, {@code bool(g)}</td><td>{@link #isDead()}, {@code isStarted() && !isDead()}</td></tr>
 *   <tr><td>{@code g.parent}</td><td>{@link #parent()}, {@link #setParent}</td></tr>
 *   <tr><td>{@code greenlet.GreenletExit}</td><td>{@link GreenletExit}</td></tr>
 *   <tr><td>{@code greenlet.error}</td><td>{@link IllegalStateException}</td></tr>
 * </table>
 * Differences: keyword arguments do not exist (pass a map or a record); a greenlet that nobody refers to is not
 * killed by the garbage collector but when its root finishes (rooted in a coroutine), or never (rooted on a platform
 * thread: kill it with {@link #throwIn()} before the thread ends); {@code gr_frame}, tracing and
 * {@code gr_context} have no counterpart.
 *
 * <h2>Pitfalls</h2>
 * {@code switchTo(array)} with an {@code Object[]} spreads it as the arguments (Java's varargs rule); cast to
 * {@code Object} to pass the array as one value. ({@code switchTo(null)} passes one {@code null}.) A virtual thread started by a greenlet rooted on a platform thread
 * runs on {@link ForkJoinPool#commonPool()}.
 */
public final class Greenlet {
    /** A greenlet's code: receives the arguments of the first switch to it; what it returns goes to its parent. */
    @FunctionalInterface
    public interface Body {
        Object run(Object... args) throws Exception;
    }

    private static final ThreadLocal<Greenlet> CURRENT = new ThreadLocal<>();
    private static final Object[] NO_ARGS = {};

    private static final int NEW = 0;
    private static final int ACTIVE = 1;
    private static final int DEAD = 2;

    private final Group group;
    /** The body, until the greenlet starts; null for a root. */
    private Body body;

    private Greenlet parent;
    private volatile int state;
    /** The greenlet's thread once started (a root's is its creator's). */
    private Thread thread;
    /** In a group rooted in a coroutine: the greenlet's task once started. */
    private Task<?> task;

    // What the next switch into this greenlet delivers: written by the switcher before hasIn, read after it.
    private Object[] inArgs;
    private Throwable inError;
    private volatile boolean hasIn;

    // Rooted in a coroutine: a cancel forwarded from the root before this greenlet's task began to run.
    private boolean bodyStarted;
    private boolean cancelOnStart;
    private String cancelMessage;

    /** A greenlet whose parent is the current greenlet; it starts at the first switch to it. */
    public Greenlet(Body run) {
        this(run, current());
    }

    /** A greenlet with the given parent (of the same group); it starts at the first switch to it. */
    public Greenlet(Body run, Greenlet parent) {
        this.body = Objects.requireNonNull(run, "run");
        this.parent = Objects.requireNonNull(parent, "parent");
        this.group = parent.group;
        this.state = NEW;
    }

    /** A root. */
    private Greenlet(Group group, Thread thread, Task<?> task) {
        this.group = group;
        this.thread = thread;
        this.task = task;
        this.state = ACTIVE;
    }

    /**
     * The greenlet running the current code; in a coroutine or on a platform thread that has not used greenlets yet,
     * this makes that coroutine or thread the root of a new group.
     *
     * @throws IllegalStateException on a virtual thread that is neither a Spindle coroutine nor a greenlet
     */
    public static Greenlet current() {
        Greenlet g = CURRENT.get();
        if (g == null) {
            g = Group.rootHere();
            CURRENT.set(g);
        }
        return g;
    }

    // ---- switching -------------------------------------------------------------------------------------------

    /**
     * Switches to this greenlet without a value (its pending {@code switchTo} returns {@code null}; its body, if it
     * has not started, gets no arguments), and returns what is passed back when someone switches to the caller.
     *
     * @throws IllegalStateException if this greenlet belongs to another group, or its root has finished
     * @throws Cancelled rooted in a coroutine, if a cancel is pending for the caller
     */
    public <R> R switchTo() {
        return transfer(NO_ARGS, null);
    }

    /**
     * Switches to this greenlet, passing {@code value}: its pending {@code switchTo} returns it, or, if it has not
     * started, its body gets it as its one argument. Returns what is passed back when someone switches to the caller;
     * throws what is thrown in with {@link #throwIn} or raised by a child that died.
     *
     * @throws IllegalStateException if this greenlet belongs to another group, or its root has finished
     * @throws Cancelled rooted in a coroutine, if a cancel is pending for the caller
     */
    public <R> R switchTo(Object value) {
        return transfer(new Object[] {value}, null);
    }

    /**
     * Switches to this greenlet, passing several values: its pending {@code switchTo} returns them as an
     * {@code Object[]}, or, if it has not started, its body gets them as its arguments.
     *
     * @see #switchTo(Object)
     */
    public <R> R switchTo(Object... args) {
        if (args == null) {
            return switchTo((Object) null); // javac sends switchTo(null) here: mean the one null value
        }
        return transfer(args.length == 0 ? NO_ARGS : args.clone(), null);
    }

    /** Kills this greenlet: {@code throwIn(new GreenletExit())} (greenlet's {@code g.throw()}). */
    public <R> R throwIn() {
        return throwIn(new GreenletExit());
    }

    /**
     * Switches to this greenlet and raises {@code e} in it, at its pending {@code switchTo} (greenlet's
     * {@code g.throw(e)}). Returns what is passed back when someone switches to the caller; typically, from the
     * parent, what the greenlet returns or the {@link GreenletExit} that killed it. A greenlet that has not started
     * dies at once without running, and {@code e} goes to its parent; thrown into a dead greenlet, {@code e} goes to
     * the parent too.
     */
    public <R> R throwIn(Throwable e) {
        return transfer(null, Objects.requireNonNull(e, "exception"));
    }

    private <R> R transfer(Object[] args, Throwable error) {
        Greenlet self = current();
        Group g = group;
        if (self.group != g) {
            throw new IllegalStateException(
                    "cannot switch to a greenlet of another group (another coroutine or thread): " + this);
        }
        g.checkCanSwitch(self);
        Transfer t = Transfer.route(this, args, error);
        if (t.dest != self) {
            g.handOver(t);
            g.await(self);
            args = self.inArgs;
            error = self.inError;
            self.inArgs = null;
            self.inError = null;
            self.hasIn = false;
        } else {
            args = t.args;
            error = t.error;
        }
        if (error != null) {
            throw Sneaky.rethrow(error);
        }
        @SuppressWarnings("unchecked")
        R r = (R) (args.length == 0 ? null : args.length == 1 ? args[0] : args);
        return r;
    }

    // ---- state -----------------------------------------------------------------------------------------------

    /** This greenlet's parent; {@code null} for a root. */
    public Greenlet parent() {
        return parent;
    }

    /**
     * Changes this greenlet's parent, which receives its result or exception when it ends.
     *
     * @throws IllegalArgumentException if {@code parent} belongs to another group, or is this greenlet or one of its
     *     descendants (a cyclic parent chain)
     * @throws IllegalStateException on a root, which has no parent
     */
    public void setParent(Greenlet parent) {
        Objects.requireNonNull(parent, "parent");
        if (isRoot()) {
            throw new IllegalStateException("a root greenlet has no parent");
        }
        if (parent.group != group) {
            throw new IllegalArgumentException("a greenlet's parent must belong to the same group");
        }
        for (Greenlet p = parent; p != null; p = p.parent) {
            if (p == this) {
                throw new IllegalArgumentException("cyclic parent chain");
            }
        }
        this.parent = parent;
    }

    /** Whether the greenlet has begun running (a root always has). */
    public boolean isStarted() {
        return state != NEW;
    }

    /**
     * Whether the greenlet has ended, or was killed before it started. A root is dead once its coroutine has
     * finished.
     */
    public boolean isDead() {
        if (isRoot()) {
            return group.orphaned();
        }
        return state == DEAD;
    }

    private boolean isRoot() {
        return group.root == this;
    }

    @Override
    public String toString() {
        String s = isDead() ? "dead" : state == NEW ? "not started" : group.current == this ? "running" : "suspended";
        return "Greenlet[" + (isRoot() ? "root, " : "") + s + "]";
    }

    // ---- a greenlet's own thread -----------------------------------------------------------------------------

    /** The whole life of a non-root greenlet, on its own thread. */
    private void runChild(Body b, Object[] args) {
        CURRENT.set(this);
        thread = Thread.currentThread();
        bodyStarted = true;
        Object result = null;
        Throwable failure = null;
        try {
            if (cancelOnStart) {
                throw new Cancelled(cancelMessage);
            }
            result = b.run(args);
        } catch (Throwable e) {
            failure = e;
        }
        group.childEnded(this, result, failure);
    }

    /** Where a switch lands, and what it carries, once dead and unstarted greenlets are skipped. */
    private static final class Transfer {
        final Greenlet dest;
        final Object[] args;
        final Throwable error;

        private Transfer(Greenlet dest, Object[] args, Throwable error) {
            this.dest = dest;
            this.args = args;
            this.error = error;
        }

        static Transfer route(Greenlet target, Object[] args, Throwable error) {
            Greenlet dest = target;
            while (true) {
                int s = dest.state;
                if (s == DEAD) {
                    dest = dest.parent;
                } else if (s == NEW && error != null) {
                    // An exception thrown into a greenlet that never ran: it dies at once, and the exception goes on
                    // to its parent as if the body had thrown it.
                    dest.state = DEAD;
                    dest.body = null;
                    if (error instanceof GreenletExit) {
                        args = new Object[] {error};
                        error = null;
                    }
                    dest = dest.parent;
                } else {
                    return new Transfer(dest, args, error);
                }
            }
        }
    }

    /**
     * The greenlets of one root, and where they run.
     *
     * <h2>Implementation overview</h2>
     * A switch records what it carries in the target's mailbox ({@code inArgs}, {@code inError}, then the volatile
     * {@code hasIn}), makes the target {@link #current}, wakes it (or starts its thread), and parks the caller until
     * its own mailbox fills. Rooted in a coroutine, every greenlet is a task of the root's loop: it parks and is
     * woken through {@link Suspension}. Rooted on a platform thread, the greenlets are virtual threads scheduled on
     * that thread's {@link InlineCarrier}, which runs them while the root waits.
     *
     * <p>Confinement: the group's fields are touched only by its running greenlet (and, rooted in a coroutine, by
     * done callbacks on the loop's thread), one at a time; each handover goes through a volatile write and a park,
     * which order them.
     */
    private static final class Group {
        final Greenlet root;
        volatile Greenlet current;

        // Rooted in a coroutine.
        final EventLoop loop;
        final Task<?> rootTask;
        /** Started and not yet dead: the ones to kill when the root finishes. */
        final Set<Greenlet> live;

        // Rooted on a platform thread.
        final InlineCarrier carrier;
        final PlainThreads plain;

        private Group(Task<?> rootTask, InlineCarrier carrier) {
            Thread me = Thread.currentThread();
            this.rootTask = rootTask;
            this.loop = rootTask == null ? null : (EventLoop) rootTask.loop();
            this.live = rootTask == null ? null : new LinkedHashSet<>();
            this.carrier = carrier;
            this.plain = carrier == null ? null : new PlainThreads(this);
            this.root = new Greenlet(this, me, rootTask);
            this.current = root;
        }

        static Greenlet rootHere() {
            Task<?> task = Task.currentOrNull();
            Group g;
            if (task != null) {
                g = new Group(task, null);
                task.addDoneCallback(f -> g.rootFinished());
            } else if (!Thread.currentThread().isVirtual()) {
                g = new Group(null, InlineCarrier.current());
            } else {
                throw new IllegalStateException("greenlets run in a Spindle coroutine or on a platform thread, not on "
                        + Thread.currentThread());
            }
            return g.root;
        }

        /** Rooted in a coroutine: whether the root has finished, so that nobody can receive a switch any more. */
        boolean orphaned() {
            return rootTask != null && rootTask.isDone();
        }

        void checkCanSwitch(Greenlet self) {
            if (orphaned()) {
                throw new IllegalStateException("the root of these greenlets has finished: they can no longer switch");
            }
            if (current != self) {
                throw new IllegalStateException("only the running greenlet of a group may switch");
            }
            if (self.task != null) {
                Suspension.checkCancel(self.task);
            }
        }

        /** Makes {@code t.dest} the running greenlet: delivers to it, or starts it. */
        void handOver(Transfer t) {
            Greenlet d = t.dest;
            current = d;
            if (d.state == NEW) {
                start(d, t.args); // route() never leaves an exception for an unstarted greenlet
                return;
            }
            d.inArgs = t.args;
            d.inError = t.error;
            d.hasIn = true;
            if (loop != null) {
                Suspension.signal(d.task);
            } else if (d == root) {
                carrier.wakeOwner(); // usually we run on it: it sees hasIn once this greenlet parks
            } else {
                LockSupport.unpark(d.thread);
            }
        }

        private void start(Greenlet d, Object[] args) {
            Body b = d.body;
            d.body = null;
            d.state = ACTIVE;
            if (loop != null) {
                live.add(d);
                Task<Void> t = Task.spawn(loop, null, () -> d.runChild(b, args));
                d.task = t;
                t.addDoneCallback(f -> taskEnded(d));
            } else {
                Thread t = Carrier.virtualThreadBuilder(new ChildScheduler(carrier))
                        .name("greenlet")
                        .uncaughtExceptionHandler(plain)
                        .unstarted(() -> d.runChild(b, args));
                d.thread = t;
                t.start();
            }
        }

        /** Parks {@code self} until a switch into it fills its mailbox. */
        void await(Greenlet self) {
            if (loop != null) {
                awaitAsTask(self);
            } else if (self == root) {
                carrier.runUntil(plain);
            } else {
                boolean interrupted = false;
                while (!self.hasIn) {
                    LockSupport.park(self);
                    if (Thread.interrupted()) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void awaitAsTask(Greenlet self) {
            Task<?> me = self.task;
            boolean deaf = false;
            while (!self.hasIn) {
                if (deaf) {
                    Suspension.parkUncancellable(me);
                } else {
                    Suspension.park(me);
                }
                if (self.hasIn) {
                    return;
                }
                if (self != root && orphaned()) {
                    throw new GreenletExit("the root of this greenlet has finished");
                }
                if (!deaf && Suspension.cancelPending(me)) {
                    if (self == root) {
                        forwardCancel(Suspension.takeCancel(me));
                    } else {
                        deaf = true; // its own cancel waits until it runs again
                    }
                }
            }
        }

        /** The root was cancelled while another greenlet runs: that greenlet gets the cancel instead. */
        private void forwardCancel(Cancelled c) {
            Greenlet cur = current;
            if (cur == root || cur.state == DEAD) {
                return;
            }
            if (cur.bodyStarted) {
                cur.task.cancel(c.getMessage());
            } else {
                // Cancelling a task that has not begun would skip its body, and with it the switch to the parent.
                cur.cancelOnStart = true;
                cur.cancelMessage = c.getMessage();
            }
        }

        /** {@code g}'s body ended (or never ran): its outcome goes to its parent. */
        void childEnded(Greenlet g, Object result, Throwable failure) {
            g.state = DEAD;
            if (live != null) {
                live.remove(g);
            }
            if (failure instanceof GreenletExit) {
                result = failure;
                failure = null;
            }
            if (orphaned()) {
                // Nobody to receive it: a real failure fails the greenlet's task, which the loop reports.
                if (failure != null && !(failure instanceof CancellationException)) {
                    throw Sneaky.rethrow(failure);
                }
                return;
            }
            handOver(Transfer.route(g.parent, new Object[] {result}, failure));
        }

        /** A done callback of a greenlet's task: catches a task cancelled before its body could run. */
        private void taskEnded(Greenlet g) {
            if (g.state != DEAD) {
                childEnded(g, null, new Cancelled("the greenlet's task was cancelled before it started"));
            }
        }

        /** A done callback of the root task: wakes the suspended greenlets, which find themselves orphaned. */
        private void rootFinished() {
            for (Greenlet g : new ArrayList<>(live)) {
                if (g.task != null) {
                    Suspension.signal(g.task);
                }
            }
        }
    }

    /**
     * Rooted on a platform thread: what the root waits for while the others run on its thread, and the mark by which
     * a generator consumed in a greenlet finds that thread.
     */
    private static final class PlainThreads
            implements InlineCarrier.Wait, InlineCarrier.Guest, Thread.UncaughtExceptionHandler {
        private final Group group;

        PlainThreads(Group group) {
            this.group = group;
        }

        @Override
        public boolean isOver() {
            return group.root.hasIn;
        }

        @Override
        public void ownerInterrupted() {
            Thread t = group.current.thread;
            if (t != null && t.isVirtual()) {
                t.interrupt();
            }
        }

        @Override
        public Executor scheduler() {
            return group.carrier;
        }

        @Override
        public void uncaughtException(Thread t, Throwable e) {
            // runChild catches everything; this handler marks the thread as a Guest.
            System.getLogger("dev.spindle").log(System.Logger.Level.ERROR, "uncaught exception in a greenlet", e);
        }
    }

    /**
     * The scheduler of one greenlet's virtual thread, rooted on a platform thread: its own continuation goes to the
     * root's carrier; a virtual thread it starts inherits this scheduler and goes to the common pool instead.
     */
    private static final class ChildScheduler implements Executor {
        private final InlineCarrier carrier;
        private volatile Runnable own;

        ChildScheduler(InlineCarrier carrier) {
            this.carrier = carrier;
        }

        @Override
        public void execute(Runnable r) {
            Runnable o = own;
            if (o == null) {
                own = o = r; // the first comes from start(), before the greenlet could start a thread
            }
            if (r == o) {
                carrier.execute(r);
            } else {
                ForkJoinPool.commonPool().execute(r);
            }
        }
    }
}
