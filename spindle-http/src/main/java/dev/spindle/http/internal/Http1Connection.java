package dev.spindle.http.internal;

import dev.spindle.http.Handler;
import dev.spindle.http.HttpError;
import dev.spindle.http.HttpLimits;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.http.internal.observe.RequestEvent;
import dev.spindle.io.ConnectionLost;
import dev.spindle.io.StreamReader;
import dev.spindle.io.StreamWriter;
import dev.spindle.observe.SpindleJfr;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import dev.spindle.time.TimeoutScope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/1.1 connection, served by one coroutine: read a head, run the handler, finish the response, drain what
 * the handler left of the body, and again while the connection is kept alive.
 *
 * <h2>Implementation overview</h2>
 * <ul>
 *   <li><b>Input.</b> The connection reads into its own buffer {@code in[head, tail)} (1 KiB, grown for a large
 *       head or trailer, shrunk when idle), which the parser scans in place; body bytes after the head are served
 *       from it first, then large reads go straight from the socket to the caller's array. Pipelined requests are
 *       simply the bytes left in the buffer after a request: they are parsed once the response is done, so
 *       responses go out in order.
 *   <li><b>Deadlines.</b> Every wait on the client is bounded: the first head by {@code headerTimeout}, the idle
 *       time between requests by {@code keepAliveTimeout}, a head once its first byte came by {@code
 *       headerTimeout} (absolute: slowloris), each body read by {@code bodyTimeout}, each wait for the client to
 *       take response bytes by {@code writeTimeout}. Body reads and drains each run in a {@link TimeoutScope};
 *       heads are read under one scope for the connection's life, whose deadline is moved at each request (that
 *       costs a field write, not a timer: the scope re-arms its one timer only when it fires early).
 *   <li><b>Errors.</b> A {@link BadRequest} from the codec is answered and the connection closed with a lingering
 *       close (output shut, input read and dropped for a moment) so that the answer is not lost to a reset.
 *   <li><b>Shutdown.</b> {@link #shutdown()} marks the connection: an idle one is cancelled at once by its server;
 *       a busy one finishes its response with {@code Connection: close}.
 * </ul>
 *
 * <p>Loop-confined: everything here runs in the connection's task or on its loop.
 */
public final class Http1Connection {
    static final int INITIAL_BUFFER = 1024;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    /** How long a lingering close reads and drops the client's bytes, and how many at most. */
    private static final Duration LINGER = Duration.ofSeconds(2);

    private static final long LINGER_BYTES = 256 * 1024;
    /** The most bytes of pipelined responses held back to be written together. */
    private static final int CORK_LIMIT = 32 * 1024;

    /** The server's side: handler, options, logs (a {@link LoopServer}'s, or one made for this connection). */
    final ServerContext server;

    final HttpServerOptions options;
    final HttpLimits limits;
    final StreamReader reader;
    final StreamWriter writer;
    private final Handler handler;
    private final RequestParser parser;
    final ByteBuf out = new ByteBuf(512);

    // The input buffer: unread bytes are in[head, tail).
    byte[] in = new byte[INITIAL_BUFFER];
    int head;
    int tail;
    private ByteBuffer inView = ByteBuffer.wrap(in);

    final Task<?> task;
    /** Between requests, waiting for the next head: a shutdown may cancel the task now. */
    boolean idle = true;

    /**
     * Bounds each wait for a head (the first, the next one of a kept-alive connection, the rest of a begun one): one
     * scope for the connection's life, its deadline set before each wait and removed after it.
     */
    private final TimeoutScope waitingForHead = TimeoutScope.never();
    /** Whether the head being read had begun when the wait timed out (answered 408), or not (closed quietly). */
    private boolean headStarted;

    boolean shuttingDown;
    /** The exchange being served, or null between requests. */
    Exchange current;

    long requests;

    Http1Connection(ServerContext server, StreamReader reader, StreamWriter writer) {
        this.server = server;
        this.options = server.options;
        this.limits = options.limits();
        this.handler = server.handler;
        this.reader = reader;
        this.writer = writer;
        this.parser = new RequestParser(limits);
        this.task = Task.current();
    }

    /** Serves requests until the connection is to close; closing is the caller's (the core server's). */
    void serve() {
        try {
            waitingForHead.run(() -> {
                serveRequests();
                return null;
            });
        } catch (TimedOut e) {
            if (headStarted) {
                server.log.rejected(this, new BadRequest(408, "the request head did not arrive in time"));
                respondAndLinger(408, "the request head did not arrive in time");
            } // else idle past the keep-alive (or first-head) timeout: close
        } catch (BadRequest e) {
            server.log.rejected(this, e);
            respondAndLinger(e.status(), e.getMessage());
        } catch (ConnectionLost e) {
            // the client went away; nothing to answer
        } finally {
            idle = false;
            try {
                flushOut();
            } catch (RuntimeException e) {
                // the connection failed or closed: what was corked cannot be sent
            }
        }
    }

    private void serveRequests() {
        while (true) {
            RequestHead h = readHead();
            if (h == null) {
                return;
            }
            requests++;
            Exchange ex = new Exchange(this, h);
            current = ex;
            boolean keep;
            try {
                keep = serveOne(ex);
            } finally {
                current = null;
            }
            if (!keep || shuttingDown) {
                return;
            }
            releaseIdleBuffers();
        }
    }

    // ---- heads ----------------------------------------------------------------------------------------------

    /** Reads the next head; null when the client closed, went idle too long, or the server is shutting down. */
    private RequestHead readHead() {
        idle = true;
        headStarted = false;
        long headDeadline = TimeoutScope.NEVER;
        try {
            while (true) {
                if (tail > head) {
                    RequestHead h = parser.parse(in, head, tail);
                    if (h != null) {
                        head += parser.consumed();
                        idle = false;
                        return h;
                    }
                    if (parser.inProgress() && headDeadline == TimeoutScope.NEVER) {
                        idle = false;
                        headStarted = true;
                        headDeadline =
                                server.loop.nanoTime() + options.headerTimeout().toNanos();
                    }
                }
                if (shuttingDown && headDeadline == TimeoutScope.NEVER) {
                    return null;
                }
                makeRoom(limits.maxHeadSize() + 2);
                long deadline = headDeadline != TimeoutScope.NEVER
                        ? headDeadline
                        : server.loop.nanoTime()
                                + (requests == 0 ? options.headerTimeout() : options.keepAliveTimeout()).toNanos();
                flushOut(); // the responses corked for pipelined requests go before the wait
                int n;
                waitingForHead.reschedule(deadline); // past it, the scope ends serve's loop with TimedOut
                try {
                    n = readSome();
                } finally {
                    if (!waitingForHead.expired()) { // expired, it unwinds with the read's cancellation
                        waitingForHead.reschedule(TimeoutScope.NEVER);
                    }
                }
                if (n < 0) {
                    return null; // closed by the client (a partial head is dropped: nobody to answer)
                }
            }
        } finally {
            idle = false;
        }
    }

    /** One read from the socket into the input buffer; -1 at the end of the stream. */
    private int readSome() {
        inView.limit(in.length).position(tail);
        int n = reader.read(inView);
        if (n > 0) {
            tail += n;
        }
        return n;
    }

    /**
     * Makes the input buffer able to take more bytes: compacts, or grows it (up to {@code cap}, but always by at
     * least something so that a read can happen; the parser's limits stop a head that never ends).
     */
    void makeRoom(int cap) {
        if (tail < in.length) {
            return;
        }
        int pending = tail - head;
        if (head > 0) {
            System.arraycopy(in, head, in, 0, pending);
        } else {
            int size = Math.max(Math.min(in.length * 2, Math.max(cap, in.length + 1)), in.length + 1);
            byte[] grown = new byte[size];
            System.arraycopy(in, head, grown, 0, pending);
            in = grown;
            inView = ByteBuffer.wrap(in);
        }
        head = 0;
        tail = pending;
    }

    /** Between requests: an idle connection keeps only small buffers. */
    private void releaseIdleBuffers() {
        if (head == tail) {
            head = 0;
            tail = 0;
            if (in.length > INITIAL_BUFFER) {
                in = new byte[INITIAL_BUFFER];
                inView = ByteBuffer.wrap(in);
            }
        }
        if (out.size() == 0) {
            out.shrink(4096);
        }
    }

    // ---- one exchange ---------------------------------------------------------------------------------------

    /** Runs the handler for one request and finishes its response; returns whether to keep the connection. */
    private boolean serveOne(Exchange ex) {
        if (!SpindleJfr.recording()) { // one volatile read while JFR never ran
            return serveUnrecorded(ex);
        }
        RequestEvent e = RequestEvent.start();
        if (e == null) {
            return serveUnrecorded(ex);
        }
        try {
            return serveUnrecorded(ex);
        } finally {
            e.finish(ex.head.method, ex.head.path(), ex.response.status(), ex.body.bytesRead(), ex.response.bytesSent);
        }
    }

    private boolean serveUnrecorded(Exchange ex) {
        long started = server.log.accessEnabled() ? System.nanoTime() : 0;
        try {
            handler.handle(ex.request, ex.response);
            ex.response.finish();
        } catch (Throwable e) {
            if (e instanceof Cancelled && task.cancelling() > 0) {
                throw (Cancelled) e; // a shutdown past its grace: unwind
            }
            if (!failed(ex, e)) {
                return false;
            }
        }
        long elapsed = started != 0 ? System.nanoTime() - started : 0;
        if (ex.response.closeAfter || ex.broken) {
            if (ex.broken || !ex.body.isFullyRead()) {
                logAccess(ex, started, elapsed);
                lingerClose();
            } else {
                // closed before the access line is written: a client reading to the end of the stream has its
                // answer without waiting for the log (the first line loads the logging backend: tens of ms)
                try {
                    flushOut();
                    writer.close();
                } catch (RuntimeException e) {
                    // the connection failed or closed: nothing more can be sent
                }
                logAccess(ex, started, elapsed);
            }
            return false;
        }
        logAccess(ex, started, elapsed);
        if (!ex.body.isFullyRead() && !ex.body.drain(limits.maxDrainSize())) {
            lingerClose();
            return false;
        }
        return true;
    }

    /**
     * A handler (or the server's own code) failed: answer if nothing was sent yet. Returns whether the connection
     * may go on (never, once the response had started).
     */
    private boolean failed(Exchange ex, Throwable e) {
        if (e instanceof ConnectionLost) {
            return false;
        }
        int status;
        String message;
        if (e instanceof HttpError he) {
            status = he.status();
            message = he.getMessage();
            server.log.handlerError(this, ex, e, false);
        } else if (e instanceof TimedOut && ex.response.isCommitted()) {
            server.log.handlerError(this, ex, e, false); // a write deadline: the client stopped reading
            writer.abort();
            return false;
        } else {
            status = 500;
            message = null;
            server.log.handlerError(this, ex, e, true);
        }
        if (ex.response.isCommitted()) {
            flushOut(); // whole responses corked before this one still go
            writer.abort(); // the client must see a truncated body, never a wrong one
            return false;
        }
        if (e instanceof BadRequest || ex.broken) {
            ex.response.closeAfter = true;
        }
        try {
            ex.response.sendError(status, message, e instanceof HttpError he ? he.headers() : null);
        } catch (ConnectionLost | TimedOut lost) {
            return false;
        }
        return !ex.response.closeAfter;
    }

    // ---- helpers for the exchange ---------------------------------------------------------------------------

    /** Sends 100 Continue if the client waits for it and nothing was answered yet. */
    void sendContinue() {
        flushOut();
        writer.write(CONTINUE);
    }

    /**
     * Whether a small complete response may stay in {@link #out} instead of being written now: another request's
     * bytes already wait in the input buffer (pipelining), so its response can go out in the same write. Whatever
     * is corked is written before the connection next waits for the client, streams, or closes.
     */
    boolean mayCork() {
        return tail > head && out.size() < CORK_LIMIT;
    }

    private void logAccess(Exchange ex, long started, long elapsed) {
        if (started != 0) {
            server.log.access(this, ex, elapsed);
        }
    }

    /** Writes the responses waiting in {@link #out} (never waits). */
    void flushOut() {
        if (out.size() > 0) {
            try {
                writer.write(out.array(), 0, out.size());
            } finally {
                out.clear();
            }
        }
    }

    /** Waits until the writer's buffer is under its high-water mark, at most the write timeout. */
    void drain() {
        if (writer.writeBufferSize() > StreamWriter.DEFAULT_HIGH_WATER) {
            TimeoutScope.after(options.writeTimeout()).run(() -> {
                writer.drain();
                return null;
            });
        }
    }

    /** Writes a whole error response (the head built here), with Connection: close. */
    private void respondAndLinger(int status, String message) {
        try {
            if (current == null || !current.response.isCommitted()) {
                Exchange.writeError(this, status, message, true, false);
            }
        } catch (RuntimeException ignored) {
            // the client is gone; nothing to answer
        }
        lingerClose();
    }

    /**
     * Shuts the output (after what is buffered) and reads and drops what the client still sends for a moment, so
     * that closing with unread input does not reset the connection before the client read our answer.
     */
    void lingerClose() {
        try {
            if (writer.isClosing()) {
                return;
            }
            flushOut();
            writer.writeEof();
            TimeoutScope.after(LINGER).run(() -> {
                long dropped = tail - head;
                head = tail = 0;
                while (dropped < LINGER_BYTES) {
                    makeRoom(INITIAL_BUFFER);
                    int n = readSome();
                    if (n < 0) {
                        break;
                    }
                    dropped += n;
                    head = tail = 0;
                }
                return null;
            });
        } catch (TimedOut | ConnectionLost | IllegalStateException e) {
            // done lingering
        }
    }

    /** The server began a graceful shutdown: run this request's hooks; the serving loop ends after it. */
    void shutdown() {
        shuttingDown = true;
        Exchange ex = current;
        if (ex != null) {
            ex.request.runShutdownHooks();
        }
    }

    @Override
    public String toString() {
        return "Http1Connection[" + writer.remoteAddress() + ", requests=" + requests + (idle ? ", idle" : "") + "]";
    }
}
