package dev.spindle.io.internal;

import dev.spindle.loop.internal.EventLoop;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Not API: one direction of a blocking JDK stream (a child process's stdin, stdout or stderr) as a
 * {@link Transport} of a loop, so that a {@link dev.spindle.io.StreamReader} or {@link dev.spindle.io.StreamWriter}
 * works on it as on a socket. Made by {@link #reading} ({@link InboundPipe}) or {@link #writing}
 * ({@link OutboundPipe}). Its {@link #remoteAddress()} is a {@link PipeName}, so that the streams' messages name the
 * pipe ("connection with stdout of process 42 lost: ...").
 *
 * <h2>Why a pump thread</h2>
 * The JDK gives a process's pipes only as blocking {@code FileInputStream}/{@code FileOutputStream}s, which no
 * selector can watch. A read in a coroutine would hold the loop's thread until the child writes (file I/O pins the
 * carrier), and {@code toThread} per read would borrow the loop's shared pool for as long as the child stays quiet,
 * so a few quiet children could exhaust it. So each pipe has its own small daemon platform thread, its pump, that
 * does the blocking calls and hands each chunk to the loop with {@code callSoonThreadsafe}; coroutines only ever
 * wait on the loop's side, in a {@code WaitQueue}, so a cancelled read or write withdraws nothing from the pipe.
 *
 * <h2>Bounded memory</h2>
 * A pump stops reading while {@value #DEFAULT_LIMIT} bytes (or the limit given) wait on the loop's side unread, and
 * a writer waits while as many wait to be written: a slow consumer makes the child block on its pipe, as a slow
 * socket reader makes its peer block.
 *
 * <h2>Lifetime</h2>
 * A pump ends at the end of its stream, on an error, when the transport is closed, or when the loop is closed (it
 * then closes its stream). A pump blocked in a read cannot be woken by the JDK: it ends when the child writes or
 * closes its end (at the latest when it exits). Pumps are daemon threads and never keep the JVM alive.
 */
public abstract sealed class PipeTransport implements Transport permits InboundPipe, OutboundPipe {
    /** Default bound on the bytes buffered on the loop's side of a pipe: 64 KiB, asyncio's stream limit. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    /** The most a pump reads or writes in one call. */
    static final int CHUNK = 64 * 1024;

    /** How often a pump with nothing to do looks whether its loop was closed. */
    static final long LOOP_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** The pumps' stacks: they only copy bytes. */
    private static final long PUMP_STACK = 256 * 1024;

    final EventLoop loop;
    final String name;
    final int limit;

    final PipeName address;

    /** The pump thread; set on the loop's thread before it starts, never changed. */
    Thread pump;

    PipeTransport(EventLoop loop, String name, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.loop = loop;
        this.name = name;
        this.limit = limit;
        this.address = new PipeName(name);
    }

    /**
     * A transport reading {@code in} (a child's stdout or stderr) on a pump thread named {@code threadName}. Loop
     * thread only. {@code name} names the pipe in error messages ("stdout of process 42").
     */
    public static InboundPipe reading(EventLoop loop, InputStream in, String name, String threadName, int limit) {
        loop.checkThread("PipeTransport.reading");
        InboundPipe p = new InboundPipe(loop, in, name, limit);
        p.start(threadName);
        return p;
    }

    /**
     * A transport writing to {@code out} (a child's stdin) on a pump thread named {@code threadName}. When
     * {@code peerGone} completes (the child exited) and nothing is left to write, the pump closes the pipe and
     * ends. Loop thread only.
     */
    public static OutboundPipe writing(
            EventLoop loop, OutputStream out, String name, String threadName, int limit, CompletionStage<?> peerGone) {
        loop.checkThread("PipeTransport.writing");
        OutboundPipe p = new OutboundPipe(loop, out, name, limit);
        p.start(threadName);
        peerGone.whenComplete((r, e) -> p.peerGone());
        return p;
    }

    abstract void pump();

    final void start(String threadName) {
        Thread t = Thread.ofPlatform()
                .name(threadName)
                .daemon()
                .stackSize(PUMP_STACK)
                .inheritInheritableThreadLocals(false)
                .unstarted(this::pump);
        pump = t;
        t.start();
    }

    /**
     * Hands {@code r} to the loop. Pump thread only.
     *
     * @return {@code false} if the loop is closed (the pump should then end)
     */
    final boolean hand(Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    /** Fails unless called on the loop's thread. */
    public final void checkThread(String what) {
        loop.checkThread(what + " (" + name + ")");
    }

    /** The pipe's name, e.g. "stdout of process 42". */
    public final String name() {
        return name;
    }

    /** The bound on the bytes buffered on the loop's side. */
    public final int limit() {
        return limit;
    }

    /** Pipes have no address: {@code null}. */
    @Override
    public final SocketAddress localAddress() {
        return null;
    }

    /** The pipe's name as an address: what the streams layer prints where a socket shows its peer. */
    @Override
    public final SocketAddress remoteAddress() {
        return address;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }

    /**
     * A pipe's "address": only its name ("stdin of process 42"), which is its {@code toString}. Pipes have no real
     * address; this lets code that describes a transport by its peer name the pipe instead.
     */
    public static final class PipeName extends SocketAddress {
        private static final long serialVersionUID = 1L;

        private final String name;

        PipeName(String name) {
            this.name = name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PipeName other && other.name.equals(name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
