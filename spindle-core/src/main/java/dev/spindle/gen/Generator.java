package dev.spindle.gen;

import dev.spindle.gen.internal.InlineCarrier;
import dev.spindle.loop.internal.Carrier;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Sneaky;
import dev.spindle.task.internal.Suspension;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.locks.LockSupport;

/**
 * A synchronous generator (Python's generator function): a producer written as straight-line code that hands out
 * values one at a time with {@link Yielder#yield}, and a consumer that pulls them as an {@link Iterator}.
 *
 * {@snippet :
 * try (Generator<String> lines = Generator.of(out -> {
 *     try (BufferedReader r = Files.newBufferedReader(path)) {
 *         String line;
 *         while ((line = r.readLine()) != null) {
 *             out.yield(line); // suspends here until the consumer asks for the next line
 *         }
 *     }
 * })) {
 *     for (String line : lines) {
 *         if (line.isEmpty()) {
 *             break; // leaving the try closes the generator: the reader is closed by the producer's own finally
 *         }
 *         System.out.println(line);
 *     }
 * }
 * }
 *
 * <h2>On demand</h2>
 * The producer runs only between a request ({@link #hasNext}, {@link #next}, {@link #send}, {@link #throwIn},
 * {@link #close}) and its next {@code yield}; nothing is produced ahead or buffered. {@code hasNext} is a request:
 * it runs the producer to its next {@code yield} and keeps that value for the {@code next} that follows. The body
 * does not start before the first request.
 *
 * <h2>States</h2>
 * <pre>
 *   CREATED ──first request──▶ RUNNING ──yield──▶ SUSPENDED ──request──▶ RUNNING ...
 *      │                          └──body returns or throws, or closed──▶ CLOSED
 *      └──close() or throwIn()──▶ CLOSED (the body never runs)
 * </pre>
 * {@link #state()} tells which (Python's {@code inspect.getgeneratorstate}).
 *
 * <h2>Threads</h2>
 * The producer is a virtual thread of its own, and the generator decides at every request where it runs:
 * <ul>
 *   <li>consumed on a platform thread (plain Java code, a loop's callback): the producer runs <em>on the consumer's
 *       own thread</em>, inside the request, which lends itself as the producer's carrier. No other thread is
 *       involved, so a generator is as cheap as a virtual thread's park and unpark.
 *   <li>consumed in a coroutine: the producer runs on that coroutine's loop thread while the coroutine waits for
 *       it; other coroutines of the loop may run in between if the producer blocks.
 *   <li>consumed by another generator's producer: on that producer's carrier, so pipelines of generators stay on
 *       one thread. By any other virtual thread: on {@link ForkJoinPool#commonPool()}.
 * </ul>
 * A generator is not thread-safe: it may move between threads from one request to the next, but two threads must
 * not use it at once (detected when both requests overlap: {@link IllegalStateException}).
 *
 * <h2>Errors</h2>
 * Whatever the body throws comes out of the request that was running it, unchanged (a checked exception too), and
 * the generator is then {@code CLOSED}. Calling a request from inside the producer throws {@link
 * IllegalStateException} ("generator already executing"). After the end, {@code next} and {@code send} throw
 * {@link NoSuchElementException}.
 *
 * <h2>Closing</h2>
 * {@link #close} raises {@link GeneratorExit} at the producer's {@code yield} so that its {@code finally} blocks
 * run; use try-with-resources when a loop may stop early. A generator that is dropped without being closed is
 * closed when it is garbage-collected, as CPython does: a daemon thread then raises {@code GeneratorExit} in the
 * producer and runs its {@code finally} blocks (exceptions they throw are logged). This needs the generator to be
 * unreachable: a body that refers to its own {@code Generator} keeps it alive forever.
 *
 * <h2>Cancellation</h2>
 * A generator is not a cancellation point. If a coroutine is cancelled while it waits for its producer, the cancel
 * is carried to the producer as an interrupt (as Spindle does for a coroutine blocked in a JDK call): a producer
 * blocked in {@code Thread.sleep} or a socket read then fails with an interruption exception, which the request
 * rethrows and which ends the coroutine as cancelled. A producer that yields a value instead hands it over
 * normally, and the cancel is delivered at the coroutine's next suspension point; the interrupt is dropped. The
 * same holds for a plain thread interrupted while it waits for a producer blocked in a JDK call; the thread's own
 * interrupt status is kept. (An interrupt that reaches a plain thread while the producer is running on it, rather
 * than blocked, is lost: the JDK clears a carrier's interrupt status when a virtual thread leaves it.)
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *   <li>The producer is not a coroutine, even when its consumer is: Spindle's calls behave there as on a plain
 *       thread ({@code spawn} and {@code withTimeout} fail with {@link IllegalStateException}; {@code sleep} and
 *       {@code await} block the producer, on the wall clock), and it does not see the consumer's context
 *       variables. A producer that must wait in a coroutine's way is an {@code AsyncGenerator}. A producer
 *       blocking in a JDK call only delays its consumer (on a platform thread, that thread waits).
 *   <li>{@link #send} and {@link #throwIn} refuse to run while {@code hasNext} holds a value that {@code next} has
 *       not taken: the producer has already moved past that {@code yield}.
 *   <li>A virtual thread started inside the producer inherits the producer's scheduler, which sends it to
 *       {@link ForkJoinPool#commonPool()} (not to the JDK's own virtual-thread scheduler).
 *   <li>Yielding while the virtual thread is pinned (inside a class initialiser or a native frame) blocks the
 *       carrier, which is the consumer's thread: the consumer then waits forever.
 * </ul>
 *
 * @param <T> the type of the values produced
 */
public final class Generator<T> implements Iterator<T>, Iterable<T>, AutoCloseable {
    /**
     * A generator's producer: calls {@code out.yield(v)} for every value; returning ends the generator.
     *
     * @param <T> the type of the values produced
     */
    @FunctionalInterface
    public interface Body<T> {
        void run(Yielder<T> out) throws Exception;
    }

    /** Where a generator is in its life (Python's {@code GEN_CREATED} ... {@code GEN_CLOSED}). */
    public enum State {
        /** No request yet: the body has not started. */
        CREATED,
        /** A request is running the producer (seen from inside the producer, or from another thread). */
        RUNNING,
        /** The producer waits at a {@code yield}. */
        SUSPENDED,
        /** The body returned or threw, or the generator was closed. */
        CLOSED
    }

    private final Core<T> core;
    /** The value fetched by {@link #hasNext} and not yet taken by {@link #next}. */
    private T ahead;

    private boolean hasAhead;
    private boolean iterated;

    private Generator(Body<T> body) {
        this.core = new Core<>(Objects.requireNonNull(body, "body"));
    }

    /** A generator running {@code body}; the body starts at the first request. */
    public static <T> Generator<T> of(Body<T> body) {
        return new Generator<>(body);
    }

    /**
     * Returns this generator, once: a generator is a single-use iterable, so that it can stand in a for-each loop.
     *
     * @throws IllegalStateException on a second call
     */
    @Override
    public Iterator<T> iterator() {
        if (iterated) {
            throw new IllegalStateException("a Generator can be iterated only once");
        }
        iterated = true;
        return this;
    }

    /** Runs the producer to its next {@code yield}, if not done already; {@code false} once the body has ended. */
    @Override
    public boolean hasNext() {
        if (hasAhead) {
            return true;
        }
        if (core.state == Core.CLOSED) {
            return false;
        }
        Object v = advance(Core.NEXT, null);
        if (v == Core.END) {
            return false;
        }
        @SuppressWarnings("unchecked")
        T t = (T) v;
        ahead = t;
        hasAhead = true;
        return true;
    }

    /**
     * Runs the producer to its next {@code yield} and returns the value yielded (or returns the value a previous
     * {@link #hasNext} fetched).
     *
     * @throws NoSuchElementException when the body has ended
     */
    @Override
    public T next() {
        if (hasAhead) {
            T t = ahead;
            ahead = null;
            hasAhead = false;
            return t;
        }
        if (core.state == Core.CLOSED) {
            throw new NoSuchElementException("the generator has finished");
        }
        return valueOrEnd(advance(Core.NEXT, null));
    }

    /**
     * Resumes the producer, whose pending {@code yield} returns {@code value}, and returns the next value it yields
     * (Python's {@code gen.send}). The first request may only send {@code null}: there is no {@code yield} waiting
     * for the value yet.
     *
     * @throws NoSuchElementException when the body ends instead of yielding
     * @throws IllegalStateException when starting the generator with a value other than {@code null}, or while
     *     {@link #hasNext} holds a value {@link #next} has not taken
     */
    public T send(Object value) {
        checkNothingAhead("send");
        int s = core.state;
        if (s == Core.CLOSED) {
            throw new NoSuchElementException("the generator has finished");
        }
        if (s == Core.CREATED && value != null) {
            throw new IllegalStateException("cannot send a value other than null to a generator that has not started");
        }
        return valueOrEnd(advance(Core.SEND, value));
    }

    /**
     * Raises {@code e} in the producer at its pending {@code yield} (Python's {@code gen.throw}) and returns the next
     * value it yields, if it catches {@code e} and goes on. If {@code e} (or another exception) propagates out of
     * the body, it is rethrown here. On a generator that has not started or has finished, {@code e} is simply
     * thrown (and a generator that had not started is closed: its body never runs).
     *
     * @throws NoSuchElementException when the body catches {@code e} and then ends without yielding
     * @throws IllegalStateException while {@link #hasNext} holds a value {@link #next} has not taken
     */
    public T throwIn(Throwable e) {
        Objects.requireNonNull(e, "exception");
        checkNothingAhead("throwIn");
        int s = core.state;
        if ((s == Core.CREATED && core.closeUnstarted()) || s == Core.CLOSED) {
            throw Sneaky.rethrow(e);
        }
        return valueOrEnd(advance(Core.THROW, e));
    }

    /**
     * Closes the generator: raises {@link GeneratorExit} at the producer's pending {@code yield} and runs it until its
     * body ends, so that its {@code finally} blocks run. Does nothing on a closed generator; a generator that has not
     * started is closed without running its body.
     *
     * @throws IllegalStateException if the producer catches the {@code GeneratorExit} and yields again (the
     *     generator then stays suspended), or when called from inside the producer
     * @throws RuntimeException whatever else the body throws while closing
     */
    @Override
    public void close() {
        hasAhead = false;
        ahead = null;
        int s = core.state;
        if (s == Core.CLOSED || (s == Core.CREATED && core.closeUnstarted())) {
            return;
        }
        try {
            core.closeSuspended();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Where the generator is in its life. */
    public State state() {
        if (hasAhead) {
            return State.SUSPENDED;
        }
        return switch (core.state) {
            case Core.CREATED -> State.CREATED;
            case Core.RUNNING -> State.RUNNING;
            case Core.SUSPENDED -> State.SUSPENDED;
            default -> State.CLOSED;
        };
    }

    @Override
    public String toString() {
        return "Generator[" + state() + "]";
    }

    private Object advance(int command, Object payload) {
        try {
            return core.advance(command, payload, this);
        } finally {
            // While the producer runs, nothing else may refer to this generator: keep it reachable so that its
            // cleaner does not close it under our feet.
            Reference.reachabilityFence(this);
        }
    }

    private T valueOrEnd(Object v) {
        if (v == Core.END) {
            throw new NoSuchElementException("the generator has finished");
        }
        @SuppressWarnings("unchecked")
        T t = (T) v;
        return t;
    }

    private void checkNothingAhead(String what) {
        if (hasAhead) {
            throw new IllegalStateException(
                    what + ": hasNext() fetched a value that next() has not taken; the producer is past that yield");
        }
    }

    /** Closes abandoned generators; one daemon thread, so that slow finally blocks hold up nothing else. */
    private static final class Cleaning {
        static final Cleaner CLEANER = Cleaner.create(r -> {
            Thread t = new Thread(r, "spindle-generator-cleaner");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The generator's state and its producer thread. Nothing here refers to the {@link Generator}, so that a
     * generator nobody refers to can be collected while its producer thread (which the JDK keeps track of) is parked.
     *
     * <h2>Implementation overview</h2>
     * The producer is a virtual thread whose scheduler is this object ({@link #execute}). A request records who
     * waits ({@link #consumerThread}, {@link #consumerTask} or {@link #consumerCarrier}) and where the producer
     * should run ({@link #target}), gives the producer the turn ({@link #turn}), and unparks it: the JDK hands its
     * continuation to {@link #execute}, which marks it {@link #submitted} and passes this object to the target,
     * whose thread later calls {@link #run} to run the continuation. The producer runs until it yields or ends; it
     * then gives the consumer the turn and wakes it. A consumer on a platform thread is itself the target (an
     * {@link InlineCarrier}): it runs the continuation inline and finds the turn back when the run returns.
     *
     * <p>The turn is the only truth: every wait re-checks it, so spurious unparks (of producer or consumer) are
     * harmless. A continuation handed to a previous request's target that never ran it is handed again to the new
     * target ({@link #submitted}); the JDK runs a continuation only if its thread is runnable, so a duplicate is a
     * no-op.
     *
     * <p>Confinement: {@link #state} is a CAS guard against overlapping requests. The request fields are written by
     * the consumer before it writes {@link #turn} and read by the producer after it reads it, and the reverse for
     * the results, so the volatile turn orders them.
     */
    private static final class Core<T>
            implements Yielder<T>,
                    Executor,
                    Runnable,
                    Thread.UncaughtExceptionHandler,
                    InlineCarrier.Wait,
                    InlineCarrier.Guest {
        static final int CREATED = 0;
        static final int RUNNING = 1;
        static final int SUSPENDED = 2;
        static final int CLOSED = 3;

        static final int NEXT = 0;
        static final int SEND = 1;
        static final int THROW = 2;
        static final int CLOSE = 3;

        static final boolean PRODUCER = false;
        static final boolean CONSUMER = true;

        /** Returned by {@link #advance} when the body ended normally. */
        static final Object END = new Object();

        private static final System.Logger LOG = System.getLogger("dev.spindle");
        private static final VarHandle STATE;
        private static final VarHandle SUBMITTED;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                STATE = l.findVarHandle(Core.class, "state", int.class);
                SUBMITTED = l.findVarHandle(Core.class, "submitted", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private Body<T> body;
        volatile int state = CREATED;
        private Thread producer;
        private Cleaner.Cleanable cleanable;

        // The JDK's continuation of the producer (always the same object), and whether it was handed to us and not
        // yet run.
        private volatile Runnable continuation;
        private volatile boolean submitted;
        /** Where the producer's continuation runs during the current request. */
        private volatile Executor target;

        // The current request's consumer: exactly one of the last three is set.
        private Thread consumerThread;
        private Task<?> consumerTask;
        private InlineCarrier consumerCarrier;
        private int command;
        private Object payload;

        /** Who may run: {@link #PRODUCER} or {@link #CONSUMER}. */
        private volatile boolean turn = CONSUMER;

        // The producer's answer.
        private Object yielded;
        private boolean finished;
        private Throwable failure;

        Core(Body<T> body) {
            this.body = body;
        }

        /** CREATED to CLOSED without running the body; false if a request got there first. */
        boolean closeUnstarted() {
            if (STATE.compareAndSet(this, CREATED, CLOSED)) {
                body = null;
                return true;
            }
            return false;
        }

        // ---- the consumer's side ------------------------------------------------------------------------------

        /**
         * Resumes (or starts) the producer with {@code command} and waits until it yields or ends. Returns the value
         * yielded, or {@link #END}; rethrows what the body threw.
         */
        Object advance(int command, Object payload, Generator<T> owner) {
            enter();
            try {
                resume(command, payload, owner);
            } catch (Throwable e) {
                // Our own machinery failed (no producer thread could start): nothing ran.
                abandon();
                throw e;
            }
            if (finished) {
                Throwable f = failure;
                abandon();
                if (f != null) {
                    throw Sneaky.rethrow(f);
                }
                return END;
            }
            Object v = yielded;
            yielded = null;
            state = SUSPENDED;
            return v;
        }

        void closeSuspended() {
            Object v;
            try {
                v = advance(CLOSE, null, null);
            } catch (GeneratorExit expected) {
                return;
            }
            if (v != END) {
                throw new IllegalStateException("generator ignored GeneratorExit");
            }
        }

        private void enter() {
            int s = state;
            if (s == CLOSED) {
                throw new NoSuchElementException("the generator has finished");
            }
            if (s == RUNNING || !STATE.compareAndSet(this, s, RUNNING)) {
                throw new IllegalStateException(
                        Thread.currentThread() == producer
                                ? "generator already executing"
                                : "generator already executing in another thread: a Generator must not be used by"
                                        + " two threads at once");
            }
        }

        /** The body ended (or could not start): drop what the producer held. */
        private void abandon() {
            state = CLOSED;
            body = null;
            producer = null;
            target = null;
            failure = null;
            Cleaner.Cleanable c = cleanable;
            if (c != null) {
                cleanable = null;
                c.clean(); // unregisters; the action finds the generator closed and does nothing
            }
        }

        private void resume(int command, Object payload, Generator<T> owner) {
            Thread me = Thread.currentThread();
            Task<?> task = null;
            InlineCarrier inline = null;
            Executor where;
            if (!me.isVirtual()) {
                inline = InlineCarrier.current();
                where = inline;
            } else if ((task = Task.currentOrNull()) != null) {
                where = (EventLoop) task.loop();
            } else if (me.getUncaughtExceptionHandler() instanceof InlineCarrier.Guest guest) {
                where = guest.scheduler();
            } else {
                where = ForkJoinPool.commonPool();
            }
            consumerThread = me;
            consumerTask = task;
            consumerCarrier = inline;
            target = where;
            this.command = command;
            this.payload = payload;
            turn = PRODUCER;
            try {
                if (producer == null) {
                    start(owner);
                } else {
                    if (submitted) {
                        where.execute(this); // handed to an earlier request's target, which never ran it
                    }
                    LockSupport.unpark(producer);
                }
                if (inline != null) {
                    inline.runUntil(this);
                } else if (task != null) {
                    waitAsTask(task);
                } else {
                    waitAsThread();
                }
            } finally {
                consumerThread = null;
                consumerTask = null;
                consumerCarrier = null;
            }
        }

        private void start(Generator<T> owner) {
            Thread t = Carrier.virtualThreadBuilder(this)
                    .name("generator")
                    .uncaughtExceptionHandler(this)
                    .unstarted(this::produce);
            producer = t;
            if (owner != null) {
                cleanable = Cleaning.CLEANER.register(owner, new Abandoned(this));
            }
            t.start();
        }

        private void waitAsTask(Task<?> task) {
            boolean forwarded = false;
            while (turn != CONSUMER) {
                if (forwarded) {
                    Suspension.parkUncancellable(task);
                } else {
                    Suspension.park(task);
                    if (turn != CONSUMER && Suspension.cancelPending(task)) {
                        // The cancel stays pending for the consumer; the producer learns of it as an interrupt.
                        forwarded = true;
                        producer.interrupt();
                    }
                }
            }
        }

        private void waitAsThread() {
            boolean interrupted = false;
            while (turn != CONSUMER) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                    ownerInterrupted();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public boolean isOver() {
            return turn == CONSUMER;
        }

        @Override
        public void ownerInterrupted() {
            Thread p = producer;
            if (p != null && turn != CONSUMER) {
                p.interrupt();
            }
        }

        // ---- scheduling -----------------------------------------------------------------------------------------

        /**
         * The JDK hands the producer's continuation here whenever the producer can run. Any thread. A virtual thread
         * that the producer starts inherits this scheduler: its continuations are sent to the common pool.
         */
        @Override
        public void execute(Runnable r) {
            Runnable own = continuation;
            if (own == null) {
                // The first one comes from producer.start(), before the producer could start any thread of its own.
                continuation = own = r;
            }
            if (r != own) {
                ForkJoinPool.commonPool().execute(r);
                return;
            }
            submitted = true;
            Executor where = target;
            if (where != null) {
                where.execute(this);
            }
        }

        /** Runs the producer's continuation, if it is still waiting to run. Called by the target's thread. */
        @Override
        public void run() {
            if (SUBMITTED.compareAndSet(this, true, false)) {
                continuation.run();
            }
        }

        @Override
        public Executor scheduler() {
            return target;
        }

        // ---- the producer's side ------------------------------------------------------------------------------

        private void produce() {
            Throwable f = null;
            try {
                body.run(this);
            } catch (Throwable e) {
                f = e;
            }
            failure = f;
            finished = true;
            handBack();
        }

        @Override
        public <S> S yield(T value) {
            if (Thread.currentThread() != producer) {
                throw new IllegalStateException(
                        "yield must be called by the generator's own producer, not from " + Thread.currentThread());
            }
            yielded = value;
            handBack();
            while (turn != PRODUCER) {
                LockSupport.park(this);
                // An interrupt that arrives while suspended carried a consumer's cancel that the consumer keeps:
                // drop it, or park would return at once forever.
                Thread.interrupted();
            }
            int c = command;
            Object p = payload;
            payload = null;
            switch (c) {
                case SEND -> {
                    @SuppressWarnings("unchecked")
                    S s = (S) p;
                    return s;
                }
                case THROW -> throw Sneaky.rethrow((Throwable) p);
                case CLOSE -> throw new GeneratorExit();
                default -> {
                    return null;
                }
            }
        }

        /** Gives the consumer the turn and wakes it. */
        private void handBack() {
            // Read before giving the turn away: the consumer may start its next request at once.
            InlineCarrier inline = consumerCarrier;
            Task<?> task = consumerTask;
            Thread thread = consumerThread;
            turn = CONSUMER;
            if (inline != null) {
                inline.wakeOwner(); // usually we run on the owner, which sees the turn when this run returns
            } else if (task != null) {
                Suspension.signal(task);
            } else {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void uncaughtException(Thread t, Throwable e) {
            // produce() catches everything; this handler is installed to mark the thread as a Guest.
            LOG.log(System.Logger.Level.ERROR, "uncaught exception in a generator's producer", e);
        }

        // ---- abandoned generators -----------------------------------------------------------------------------

        /** On the cleaner's thread, for a generator nobody refers to any more. */
        void closeAbandoned() {
            if (state != SUSPENDED) {
                return; // closed, or never started
            }
            try {
                closeSuspended();
            } catch (Throwable e) {
                LOG.log(System.Logger.Level.WARNING, "exception ignored while closing an abandoned generator", e);
            }
        }
    }

    /** The cleaning action: refers to the core only, never to the generator. */
    private record Abandoned(Core<?> core) implements Runnable {
        @Override
        public void run() {
            core.closeAbandoned();
        }
    }
}
