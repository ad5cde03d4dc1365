package dev.spindle.redis.internal;

import dev.spindle.Spindle;
import dev.spindle.io.ConnectOptions;
import dev.spindle.io.Connection;
import dev.spindle.io.Streams;
import dev.spindle.loop.Loop;
import dev.spindle.loop.TimerHandle;
import dev.spindle.observe.SpindleJfr;
import dev.spindle.redis.RedisCommand;
import dev.spindle.redis.RedisConfig;
import dev.spindle.redis.RedisConnectionError;
import dev.spindle.redis.RedisProtocolError;
import dev.spindle.redis.RedisServerError;
import dev.spindle.redis.internal.observe.CommandEvent;
import dev.spindle.redis.internal.resp.ErrorReply;
import dev.spindle.redis.internal.resp.RespParser;
import dev.spindle.redis.internal.resp.RespPush;
import dev.spindle.redis.internal.resp.RespWriter;
import dev.spindle.task.Cancelled;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One socket to a Redis server, and the one owner of its in-flight FIFO.
 *
 * <h2>Implementation overview</h2>
 * Sending a command is synchronous and never suspends: it is encoded into {@link #out} and its reply slot (a
 * {@link LoopFuture}) is appended to {@link #inflight} in the same step, so the order of slots is the order of the
 * bytes on the wire. A pipeline is sent the same way with one slot for all its commands ({@link #sendBatch}): its
 * caller wakes once, when the last reply is in. A flush callback (one per loop pass, so commands and pipelines of many
 * coroutines go out in one write) hands {@link #out} to the socket, whose {@code write} never waits either. A reader
 * task owned by the connection (not by any caller) parses every reply and completes the slot at the head of the FIFO;
 * it tells the parser when that slot's command takes a bulk reply as text, so the value is decoded straight from the
 * read buffer. A command's timeout is a deadline on its slot, enforced by one timer per connection (see
 * {@link #expire}), not a timer per command.
 *
 * <h2>Cancellation safety</h2>
 * This is the invariant that makes a reply never reach the wrong caller (the CVE-2023-28858/28859 class):
 * <b>one slot per command written, consumed by exactly one reply, in order, whoever still waits for it.</b>
 * <ul>
 *   <li>Cancelled before {@link #send}: nothing was encoded, no slot exists.
 *   <li>{@link #send} itself has no suspension point, so there is no "half-written command": the bytes and the slot
 *       are committed together, or neither is.
 *   <li>Cancelled after sending, before or while the reply arrives: the caller's slot is cancelled but stays in the
 *       FIFO; the reader still parses the whole reply and drops it on that slot. The next caller's reply is the next
 *       one on the wire. A pipeline's slot, cancelled, still takes all its commands' replies before it leaves.
 *   <li>Timed out: the same, the slot being failed with {@link TimedOut} by the connection's timer instead.
 *   <li>A blocking command (BLPOP...) cancelled while it waits: the connection is closed instead, so that the server
 *       does not pop an element for a caller who left (the element would be lost).
 *   <li>A malformed reply, a lost socket: the connection fails as a whole; every slot still waiting gets a
 *       {@link RedisConnectionError} saying the command may or may not have run. Nothing is read after it.
 * </ul>
 *
 * <p>Confined to the loop that opened it.
 */
public final class RedisConnection {
    private static final int FLUSH_NOW = 64 * 1024;
    private static final int DRAIN_ABOVE = 256 * 1024;

    private final Loop loop;
    private final Connection socket;
    private final String address;
    private final RespParser parser = new RespParser();
    /** Commands encoded but not yet handed to the socket; emptied by {@link #flush}. */
    private final RespWriter out = new RespWriter();
    /**
     * The reply slots of the commands on the wire, oldest first: a {@link Slot} per command sent alone, a
     * {@link Batch} per batch (one slot for all its commands' replies). Only {@link #dispatch} and {@link #fail} take
     * from it.
     */
    private final ArrayDeque<LoopFuture<?>> inflight = new ArrayDeque<>();
    /** Replies still expected: a batch counts for each of its commands not answered yet. */
    private int expected;

    private final Runnable flushTask = this::flush;
    private final Runnable expireTask = this::expire;
    /** The timer of the earliest command deadline, and when it is due (MAX_VALUE: none). */
    private TimerHandle timer;

    private long timerDue = Long.MAX_VALUE;
    private final long createdNanos;
    private long lastUsedNanos;
    private Task<Void> reader;
    private RedisConnectionError failure;
    private boolean flushScheduled;
    private int protocol = 2;
    /** Where RESP3 pushes go (and RESP2 pub/sub arrays in {@link #pubSubMode}); dropped when null. */
    private Consumer<Object> pushListener;

    private boolean pubSubMode;
    /** Set when the connection carries state a next borrower must not inherit (MULTI, WATCH, SELECT). */
    private boolean dirty;

    private final List<Runnable> closeListeners = new ArrayList<>(1);

    private RedisConnection(Loop loop, Connection socket, String address) {
        this.loop = loop;
        this.socket = socket;
        this.address = address;
        this.createdNanos = loop.nanoTime();
        this.lastUsedNanos = createdNanos;
    }

    /**
     * Connects and runs the handshake: HELLO 3 (with AUTH and SETNAME) falling back to RESP2's AUTH and CLIENT
     * SETNAME on servers that lack HELLO, then SELECT. Cancelled or failed at any point, the socket is closed.
     *
     * @throws RedisConnectionError naming the address and what failed
     */
    public static RedisConnection open(RedisConfig config) {
        return open(config, false);
    }

    /** {@link #open(RedisConfig)}, then READONLY when {@code readOnly} (reads from a cluster replica). */
    public static RedisConnection open(RedisConfig config, boolean readOnly) {
        Loop loop = Loop.current();
        String address = config.address();
        Connection socket;
        try {
            ConnectOptions.Builder o = ConnectOptions.builder().connectTimeout(config.connectTimeout());
            config.tls().ifPresent(o::tls);
            socket = config.unixSocket().isPresent()
                    ? Streams.openUnixConnection(config.unixSocket().get(), o.build())
                    : Streams.openConnection(config.host(), config.port(), o.build());
        } catch (TimedOut e) {
            throw new RedisConnectionError(
                    "could not connect to Redis at " + address + " within " + config.connectTimeout(), e);
        } catch (Cancelled e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RedisConnectionError("could not connect to Redis at " + address + ": " + e.getMessage(), e);
        }
        RedisConnection c = new RedisConnection(loop, socket, address);
        c.reader = Task.spawn(loop, "redis-reader " + address, c::readLoop);
        boolean ok = false;
        try {
            c.handshake(config);
            if (readOnly) {
                check(c.await(c.send(RedisCommand.of("READONLY")), config.connectTimeout(), "READONLY"));
            }
            ok = true;
            return c;
        } catch (RedisServerError e) {
            throw new RedisConnectionError("Redis at " + address + " refused the connection: " + e.getMessage(), e);
        } finally {
            if (!ok) {
                c.close();
            }
        }
    }

    private void handshake(RedisConfig config) {
        Duration t = config.connectTimeout();
        boolean resp3 = false;
        if (config.protocol() == 3) {
            List<Object> hello = new ArrayList<>(List.of("HELLO", "3"));
            if (config.password().isPresent()) {
                hello.addAll(List.of(
                        "AUTH",
                        config.username().orElse("default"),
                        config.password().get()));
            }
            config.clientName().ifPresent(n -> hello.addAll(List.of("SETNAME", n)));
            Object reply = await(send(RedisCommand.of(hello.toArray())), t, "HELLO");
            if (reply instanceof ErrorReply e) {
                boolean noHello = e.message().startsWith("ERR unknown command")
                        || e.code().equals("NOPROTO");
                if (!noHello) {
                    throw new RedisServerError(e.message());
                }
            } else {
                resp3 = true;
                protocol = 3;
            }
        }
        if (!resp3) {
            if (config.password().isPresent()) {
                Object[] auth = config.username().isPresent()
                        ? new Object[] {
                            "AUTH", config.username().get(), config.password().get()
                        }
                        : new Object[] {"AUTH", config.password().get()};
                check(await(send(RedisCommand.of(auth)), t, "AUTH"));
            }
            if (config.clientName().isPresent()) {
                check(await(
                        send(RedisCommand.of(
                                "CLIENT", "SETNAME", config.clientName().get())),
                        t,
                        "CLIENT SETNAME"));
            }
        }
        if (config.database() != 0) {
            check(await(send(RedisCommand.of("SELECT", config.database())), t, "SELECT"));
        }
    }

    private static void check(Object reply) {
        if (reply instanceof ErrorReply e) {
            throw new RedisServerError(e.message());
        }
    }

    // ---- sending ------------------------------------------------------------------------------------------------

    /**
     * Encodes {@code command} and appends its reply slot, in one step with no suspension point; the bytes go out at
     * the end of this loop pass (or at once when much is queued). The returned future completes with the raw reply
     * (an {@link ErrorReply} is a value here), or fails with {@link RedisConnectionError}.
     *
     * @throws RedisConnectionError if the connection has failed or was closed: nothing was sent
     */
    public LoopFuture<Object> send(RedisCommand<?> command) {
        checkOpen();
        boolean idle = isIdle();
        encode(command);
        Slot slot = new Slot(loop, CommandAccess.textReply(command));
        inflight.addLast(slot);
        expected++;
        flushSoon(idle);
        return slot;
    }

    /**
     * Sends a batch (a pipeline) as {@link #send} sends one command, with one slot for all the replies: the returned
     * future completes with them in order (raw, as {@link #send}'s), once the last has come, or fails with
     * {@link RedisConnectionError}, or with {@link TimedOut} when they have not all come within {@code timeout} (null:
     * no limit). Cancelling it, or its timing out, leaves the replies to be read and dropped.
     *
     * <p>{@code commands} is kept until the replies are in; it must not change meanwhile.
     *
     * @throws RedisConnectionError if the connection has failed or was closed: nothing was sent
     */
    public LoopFuture<Object[]> sendBatch(List<? extends RedisCommand<?>> commands, Duration timeout) {
        checkOpen();
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("an empty batch");
        }
        boolean idle = isIdle();
        for (int i = 0, n = commands.size(); i < n; i++) {
            encode(commands.get(i));
        }
        Batch batch = new Batch(loop, commands);
        inflight.addLast(batch);
        expected += commands.size();
        long now = loop.nanoTime();
        lastUsedNanos = now; // a pooled connection used only for pipelines is not idle: no PING before its next use
        if (timeout != null) {
            batch.expireAt(deadline(now, timeout), "a pipeline of " + commands.size() + " commands", timeout);
        }
        flushSoon(idle);
        return batch;
    }

    /** Sends a batch (a transaction) in one write now: a slot per command, in order. */
    public List<LoopFuture<Object>> sendAll(List<? extends RedisCommand<?>> commands) {
        checkOpen();
        List<LoopFuture<Object>> slots = new ArrayList<>(commands.size());
        for (RedisCommand<?> c : commands) {
            encode(c);
            Slot slot = new Slot(loop, false);
            inflight.addLast(slot);
            slots.add(slot);
        }
        expected += commands.size();
        lastUsedNanos = loop.nanoTime();
        flush();
        return slots;
    }

    private boolean isIdle() {
        return inflight.isEmpty() && !flushScheduled;
    }

    /**
     * An idle connection writes at once (a lone caller pays no extra loop pass); a busy one gathers what all
     * coroutines send in this pass into one write at its end (or at once when much is queued).
     */
    private void flushSoon(boolean wasIdle) {
        if (wasIdle) {
            flush();
        } else {
            scheduleFlush();
        }
    }

    /** Sends a command whose reply does not come as a reply (SUBSCRIBE and friends: they answer with pushes). */
    public void sendWithoutReply(RedisCommand<?> command) {
        checkOpen();
        encode(command);
        scheduleFlush();
    }

    /**
     * Sends and waits for the raw reply, up to {@code timeout} (null: no limit).
     *
     * @throws TimedOut naming the command, the address and the time waited; the reply, if it comes, is dropped
     * @throws RedisConnectionError if the connection was lost before the reply
     */
    public Object call(RedisCommand<?> command, Duration timeout) {
        if (!SpindleJfr.recording()) { // one volatile read while JFR never ran
            return callUnrecorded(command, timeout);
        }
        CommandEvent e = CommandEvent.start();
        if (e == null) {
            return callUnrecorded(command, timeout);
        }
        String outcome = "error";
        try {
            Object reply = callUnrecorded(command, timeout);
            outcome = reply instanceof ErrorReply ? "error" : "ok";
            return reply;
        } catch (Cancelled c) {
            outcome = "cancelled";
            throw c;
        } finally {
            e.finish(command.name(), address, outcome);
        }
    }

    private Object callUnrecorded(RedisCommand<?> command, Duration timeout) {
        Slot slot = (Slot) send(command);
        long now = loop.nanoTime();
        lastUsedNanos = now;
        if (command.isBlocking()) {
            backpressure();
            try {
                return slot.await();
            } catch (Cancelled e) {
                // the server would still pop for a caller who left: closing the connection unblocks it instead
                close();
                throw e;
            }
        }
        if (timeout != null) {
            slot.expireAt(deadline(now, timeout), command, timeout);
        }
        backpressure();
        return slot.await();
    }

    private static long deadline(long now, Duration timeout) {
        long d = now + Math.max(0, saturatedNanos(timeout));
        return d < now ? Long.MAX_VALUE - 1 : d;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }

    private Object await(LoopFuture<Object> slot, Duration timeout, Object what) {
        if (timeout == null) {
            return slot.await();
        }
        try {
            return Spindle.withTimeout(timeout, slot::await);
        } catch (TimedOut e) {
            throw new TimedOut(what + ": no reply from Redis at " + address + " within " + timeout, e);
        }
    }

    /** Waits while the socket holds much unsent data; cancelling this wait leaves the commands sent. */
    public void backpressure() {
        if (socket.writer().writeBufferSize() > DRAIN_ABOVE) {
            socket.writer().drain();
        }
    }

    private void encode(RedisCommand<?> command) {
        Object[] args = CommandAccess.args(command);
        out.array(args.length);
        for (Object a : args) {
            out.arg(a);
        }
    }

    private void scheduleFlush() {
        if (out.size() >= FLUSH_NOW) {
            flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            loop.callSoon(flushTask);
        }
    }

    /** Hands the queued bytes to the socket (never waits: what the kernel does not take is buffered in order). */
    public void flush() {
        flushScheduled = false;
        if (out.size() == 0 || failure != null) {
            return;
        }
        try {
            socket.writer().write(out.array(), 0, out.size());
        } catch (RuntimeException e) {
            fail(new RedisConnectionError("lost the connection to Redis at " + address + " while sending", e));
        } finally {
            out.reset();
        }
    }

    // ---- command timeouts -----------------------------------------------------------------------------------
    //
    // A command's timeout is a deadline on its slot, not a timer of its own: one timer per connection, due at the
    // earliest deadline, fails the slots whose deadline has passed with TimedOut (their callers get it from await,
    // their replies are dropped when they come, as a cancelled caller's are) and is set again for the next one.

    /** Makes sure the timer is due no later than {@code deadline}. */
    private void expireNoLaterThan(long deadline) {
        if (deadline >= timerDue) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        timerDue = deadline;
        timer = loop.callAt(deadline, expireTask);
    }

    private void expire() {
        timer = null;
        timerDue = Long.MAX_VALUE;
        if (failure != null) {
            return;
        }
        long now = loop.nanoTime();
        long next = Long.MAX_VALUE;
        for (LoopFuture<?> f : inflight) {
            Expiring e = (Expiring) f;
            long d = e.deadline();
            if (d == Long.MAX_VALUE || f.isDone()) {
                continue;
            }
            if (d <= now) {
                f.setException(
                        new TimedOut(e.what() + ": no reply from Redis at " + address + " within " + e.timeout()));
            } else {
                next = Math.min(next, d);
            }
        }
        if (next != Long.MAX_VALUE) {
            expireNoLaterThan(next);
        }
    }

    /** A slot that may carry a deadline. */
    private interface Expiring {
        long deadline();

        Object what();

        Duration timeout();
    }

    // ---- receiving ----------------------------------------------------------------------------------------------

    private void readLoop() {
        try {
            while (true) {
                Object v = parser.next(nextIsText());
                if (v == RespParser.NEED_MORE) {
                    ByteBuffer window = parser.writable();
                    int n = socket.reader().read(window);
                    if (n < 0) {
                        fail(new RedisConnectionError("Redis at " + address + " closed the connection"
                                + (expected == 0 ? "" : " with " + expected + " replies pending")));
                        return;
                    }
                    parser.filled(n);
                    continue;
                }
                dispatch(v);
            }
        } catch (RedisProtocolError e) {
            fail(new RedisConnectionError("protocol error from Redis at " + address + ": " + e.getMessage(), e));
        } catch (Cancelled e) {
            fail(new RedisConnectionError("the connection to Redis at " + address + " was closed"));
        } catch (RuntimeException e) {
            fail(new RedisConnectionError("lost the connection to Redis at " + address + ": " + e.getMessage(), e));
        }
    }

    /** Whether the next reply's command takes a bulk reply as text (see {@link RespParser#next(boolean)}). */
    private boolean nextIsText() {
        LoopFuture<?> head = inflight.peekFirst();
        if (head instanceof Slot s) {
            return s.text;
        }
        if (head instanceof Batch b) {
            return CommandAccess.textReply(b.commands.get(b.filled));
        }
        return false;
    }

    private void dispatch(Object v) {
        if (v instanceof RespPush || (pubSubMode && v instanceof List<?> l && PubSubKinds.isPubSub(l))) {
            if (pushListener != null) {
                pushListener.accept(v);
            }
            return;
        }
        LoopFuture<?> head = inflight.peekFirst();
        if (head == null) {
            throw new RedisProtocolError("a reply came with no command waiting for it");
        }
        expected--;
        if (head instanceof Batch b) {
            b.replies[b.filled++] = v;
            if (b.filled < b.replies.length) {
                return;
            }
            inflight.pollFirst();
            if (!b.isDone()) {
                b.setResult(b.replies);
            }
            return;
        }
        inflight.pollFirst();
        Slot slot = (Slot) head;
        if (!slot.isDone()) {
            slot.setResult(v);
        }
        // else: its caller was cancelled or timed out; the reply is consumed here and dropped, never passed on
    }

    // ---- state ----------------------------------------------------------------------------------------------

    private void checkOpen() {
        if (failure != null) {
            throw new RedisConnectionError(failure.getMessage() + " (nothing was sent)", failure);
        }
    }

    private void fail(RedisConnectionError error) {
        if (failure != null) {
            return;
        }
        failure = error;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        socket.writer().abort();
        expected = 0;
        LoopFuture<?> slot;
        while ((slot = inflight.pollFirst()) != null) {
            if (!slot.isDone()) {
                slot.setException(new RedisConnectionError(
                        error.getMessage() + "; the command was sent and may or may not have run",
                        error.getCause() != null ? error.getCause() : error));
            }
        }
        if (reader != null && Task.currentOrNull() != reader) {
            reader.cancel();
        }
        for (Runnable r : closeListeners) {
            r.run();
        }
        closeListeners.clear();
    }

    /** Closes the socket; waiting commands fail with {@link RedisConnectionError}. Idempotent. */
    public void close() {
        fail(new RedisConnectionError("the connection to Redis at " + address + " was closed by the client"));
    }

    public boolean isOpen() {
        return failure == null;
    }

    /** Why the connection is no longer usable, or null. */
    public RedisConnectionError failure() {
        return failure;
    }

    /** 3 after a successful HELLO 3, else 2. */
    public int protocol() {
        return protocol;
    }

    public Loop loop() {
        return loop;
    }

    public String address() {
        return address;
    }

    /** Replies still expected, cancelled callers' included. */
    public int inflight() {
        return expected;
    }

    public long createdNanos() {
        return createdNanos;
    }

    public long lastUsedNanos() {
        return lastUsedNanos;
    }

    public void setPushListener(Consumer<Object> listener) {
        this.pushListener = listener;
    }

    public void setPubSubMode(boolean on) {
        this.pubSubMode = on;
    }

    public void markDirty() {
        this.dirty = true;
    }

    /** After EXEC (which ends WATCH) the connection carries no state again. */
    public void markClean() {
        this.dirty = false;
    }

    public boolean isDirty() {
        return dirty;
    }

    /** Runs {@code r} once when the connection fails or is closed (at once if it already is). */
    public void onClose(Runnable r) {
        if (failure != null) {
            r.run();
        } else {
            closeListeners.add(r);
        }
    }

    /** The reply slot of one command; {@code text}: see {@link CommandAccess.Reader#textReply}. */
    private final class Slot extends LoopFuture<Object> implements Expiring {
        final boolean text;
        private long deadline = Long.MAX_VALUE;
        private Object what;
        private Duration timeout;

        Slot(Loop loop, boolean text) {
            super(loop);
            this.text = text;
        }

        void expireAt(long deadline, Object what, Duration timeout) {
            this.deadline = deadline;
            this.what = what;
            this.timeout = timeout;
            expireNoLaterThan(deadline);
        }

        @Override
        public long deadline() {
            return deadline;
        }

        @Override
        public Object what() {
            return what;
        }

        @Override
        public Duration timeout() {
            return timeout;
        }
    }

    /** The one reply slot of a batch: its replies gather here, and it completes with them when the last comes. */
    private final class Batch extends LoopFuture<Object[]> implements Expiring {
        final List<? extends RedisCommand<?>> commands;
        final Object[] replies;
        int filled;
        private long deadline = Long.MAX_VALUE;
        private Object what;
        private Duration timeout;

        Batch(Loop loop, List<? extends RedisCommand<?>> commands) {
            super(loop);
            this.commands = commands;
            this.replies = new Object[commands.size()];
        }

        void expireAt(long deadline, Object what, Duration timeout) {
            this.deadline = deadline;
            this.what = what;
            this.timeout = timeout;
            expireNoLaterThan(deadline);
        }

        @Override
        public long deadline() {
            return deadline;
        }

        @Override
        public Object what() {
            return what;
        }

        @Override
        public Duration timeout() {
            return timeout;
        }
    }

    @Override
    public String toString() {
        return "RedisConnection[" + address + ", RESP" + protocol + ", " + expected + " in flight"
                + (failure != null ? ", closed" : "") + "]";
    }
}
