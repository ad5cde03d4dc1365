package dev.spindle.io.internal;

import dev.spindle.io.TlsOptions;
import dev.spindle.loop.Loop;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;
import dev.spindle.time.TimedOut;
import dev.spindle.time.TimeoutScope;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * Not API: TLS over another {@link Transport}, on the JDK's {@link SSLEngine}. The streams layer wraps a plain
 * connection with {@link #client}, {@link #server} or {@link #handshake}, which perform the handshake in the current
 * coroutine and return the transport ready for application data; wrapping a connection that already carried plain
 * text is startTls, with the same calls.
 *
 * {@snippet :
 * Transport plain = NetBackend.current().connect(loop, address);
 * Transport tls = TlsTransport.client(plain, TlsOptions.client(), "example.com", 443);
 * tls.write(ByteBuffer.wrap(request));
 * }
 *
 * <h2>Contract</h2>
 * Everything {@link Transport} says holds, with these TLS meanings:
 * <ul>
 *   <li><b>One reader and one writer</b> at a time, as on a plain transport: a second coroutine calling {@link #read}
 *       (or {@link #write}) while another waits in it gets {@link IllegalStateException}. The reader and the writer
 *       may run at once; TLS traffic that one direction causes in the other (a TLS 1.3 KeyUpdate answered, a
 *       NewSessionTicket taken in, a TLS 1.2 renegotiation) is handled inside whichever call meets it, and neither
 *       call ever waits for the application on the other side.
 *   <li><b>{@link #tryRead}</b> returns plaintext already decrypted, else decrypts what the kernel already holds,
 *       never waiting. <b>{@link #tryWrite}</b> encrypts at most one record past what the kernel accepted; a record
 *       the kernel took only part of is finished in the background (see below), so the count it returns is what TLS
 *       took and will deliver.
 *   <li><b>Cancellation.</b> A cancelled {@link #read} loses nothing: ciphertext read from the inner transport but
 *       not yet decrypted, and plaintext decrypted but not yet returned, stay here for the next read. A cancelled
 *       {@link #write} leaves {@code src.position()} after the bytes TLS encrypted; encrypted bytes the inner
 *       transport had not taken yet are not dropped (that would break the record stream) but sent by a background
 *       task of the loop, ahead of anything written later. A cancelled or timed-out <em>handshake</em>, or a failed
 *       one, closes the inner transport: the connection is in no state to carry plain text again.
 *   <li><b>End of stream.</b> {@link #read} returns -1 after the peer's close_notify, and also when the peer closes
 *       the connection without one after the handshake (as asyncio does; {@link #closeNotifyReceived()} tells the
 *       two apart for protocols that must detect truncation). {@link #shutdownOutput} sends close_notify, waiting
 *       until it is written, then ends the inner transport's output; reading goes on (TLS 1.3 half-close). {@link
 *       #close} sends close_notify if that needs no waiting, then closes at once.
 *   <li><b>Errors.</b> A failed handshake throws {@link SSLHandshakeException} whose message names the peer (the
 *       host as the caller gave it, for a client) and says why: the JDK's reason (an untrusted certificate, a name
 *       that does not match, an alert from the peer), that the peer closed the connection, or that the peer spoke
 *       plain text. A TLS error after the handshake throws {@link SSLException}. Either way the alert the engine
 *       prepared is sent if that needs no waiting, the inner transport is closed, and every later call throws the
 *       same error again.
 * </ul>
 *
 * <h2>Delegated tasks</h2>
 * The engine's delegated tasks (certificate-chain checks, key agreement and signatures) run inline on the loop's
 * thread: they are short CPU work, about a millisecond per handshake for ECDSA keys and a few for RSA 2048, as
 * asyncio's OpenSSL handshakes are. Handing them to {@code Spindle.toThread} would cost two thread switches each,
 * more than most of them take. Until the first handshake of the JVM completes, though, they do go to a worker thread:
 * the first ones load and initialise the JDK's crypto providers, about a second on a cold JVM, which would hold the
 * loop (and every other coroutine) that long. If a trust manager does blocking I/O (OCSP or CRL fetching, enabled by system
 * properties), it blocks in a coroutine, which parks only that coroutine.
 *
 * <h2>Implementation overview</h2>
 * Four buffers: {@code netIn} holds ciphertext read from the inner transport and not yet unwrapped; {@code appIn}
 * plaintext unwrapped and not yet returned (a read whose buffer has room for a whole record is unwrapped into
 * directly, skipping the copy); {@code outQueue} ciphertext wrapped and waiting; {@code outFlight} ciphertext being
 * handed to the inner transport. Only one coroutine at a time may wait in the inner transport per direction ({@code
 * innerReading} and {@code flushing} say who does); the other side never touches {@code netIn} (or {@code
 * outFlight}) meanwhile, and waits in {@code progress} if it needs that direction. So the reader answers a KeyUpdate
 * by wrapping into {@code outQueue} and sending without waiting; if that does not all go out and nobody is flushing,
 * a background task (the flusher) sends the rest. A writer that meets a renegotiation (the engine needs the peer's
 * handshake messages first) reads them itself when no reader is reading, keeping any application data that comes
 * with them in {@code appIn}, and otherwise waits in {@code progress} for the reader to get them. Everything is
 * confined to the loop's thread: no field needs a fence.
 *
 * <p>Memory: about 70 KB per connection once it has read and written (two records' room in {@code netIn}, one in
 * {@code appIn} and in each outbound buffer); a bulk writer's queue grows to {@value #RECORDS_PER_FLUSH} records.
 */
public final class TlsTransport implements Transport {
    /** How many records a {@link #write} of bulk data encrypts before handing them to the inner transport. */
    private static final int RECORDS_PER_FLUSH = 4;

    private final ByteBuffer nothing = ByteBuffer.allocate(0);
    private final Transport inner;
    private final SSLEngine engine;
    private final Loop loop;
    /** The peer as error messages name it: the host and port given, or the remote address. */
    private final String peer;

    /** Waiters for the other direction: the inner transport's read or write becoming free, the handshake moving. */
    private final WaitQueue progress = new WaitQueue();

    // ---- inbound: touched only by whoever is not blocked in inner.read (innerReading says) -----------------
    /** Ciphertext not yet unwrapped (read mode; fill mode only inside {@link #fillNetIn}). */
    private ByteBuffer netIn;
    /** Plaintext unwrapped and not yet returned (read mode). */
    private ByteBuffer appIn = ByteBuffer.allocate(0);

    private boolean innerReading;
    private Task<?> appReader;
    /** read returns -1 once appIn is empty: the peer sent close_notify, or its connection ended. */
    private boolean inboundDone;

    private boolean closeNotifyReceived;

    // ---- outbound ----------------------------------------------------------------------------------------
    /** Ciphertext being handed to inner.write (read mode); only the flushing coroutine touches it while flushing. */
    private ByteBuffer outFlight;
    /** Ciphertext wrapped and waiting behind outFlight (fill mode). */
    private ByteBuffer outQueue;

    private boolean flushing;
    private Task<?> appWriter;
    private Task<?> flusher;
    private boolean outboundShut;
    /** A write to the inner transport failed (reset, broken pipe): later writes report it. */
    private IOException outFailure;

    // ---- the connection ----------------------------------------------------------------------------------
    private boolean handshakeDone;

    /**
     * Whether a handshake completed in this JVM: until then the engine's delegated tasks run on a worker thread, since
     * the first ones initialise the JDK's crypto providers (see {@link #runDelegatedTasks}).
     */
    private static volatile boolean warm;

    private boolean closed;
    /** A fatal TLS error; every later call throws it again. */
    private SSLException failure;
    /** The first bytes the peer sent, kept until the handshake ends to recognise a peer that speaks plain text. */
    private byte[] firstBytes;

    private TlsTransport(Transport inner, SSLEngine engine, String peer, ByteBuffer alreadyRead) {
        this.inner = inner;
        this.engine = engine;
        this.peer = peer;
        this.loop = Loop.current();
        SSLSession s = engine.getSession();
        int packet = s.getPacketBufferSize();
        int pending = alreadyRead == null ? 0 : alreadyRead.remaining();
        this.netIn = ByteBuffer.allocate(Math.max(2 * packet, pending + packet));
        if (pending > 0) {
            netIn.put(alreadyRead);
        }
        netIn.flip();
        this.outFlight = ByteBuffer.allocate(0); // becomes outQueue's buffer at the first flush
        this.outQueue = ByteBuffer.allocate(packet);
    }

    // ---- starting ----------------------------------------------------------------------------------------

    /**
     * Performs a client handshake over {@code plain} with {@code options} (which must be client options) for
     * {@code host} (the name or IP literal the caller connected to, verified and sent as SNI as {@link TlsOptions}
     * says) and returns the connection ready for data. Bounded by the options' handshake timeout.
     *
     * @throws SSLHandshakeException if the handshake fails or times out (the message names {@code host}); {@code
     *     plain} is then closed
     * @throws dev.spindle.task.Cancelled if the task is cancelled meanwhile; {@code plain} is then closed
     */
    public static TlsTransport client(Transport plain, TlsOptions options, String host, int port) throws IOException {
        if (!options.isClient()) {
            throw new IllegalArgumentException("TlsTransport.client needs client options, not " + options);
        }
        return start(plain, options.newEngine(host, port), host + ":" + port, null, options.handshakeTimeout());
    }

    /**
     * Performs a server handshake over {@code plain} with {@code options} (which must be server options); see
     * {@link #client}.
     */
    public static TlsTransport server(Transport plain, TlsOptions options) throws IOException {
        return server(plain, options, null);
    }

    /**
     * {@link #server(Transport, TlsOptions)} for a startTls whose reader already took some of the client's first
     * TLS bytes off the connection (a client that sent its ClientHello right behind the STARTTLS command): {@code
     * alreadyRead}'s remaining bytes are used before anything is read from {@code plain}.
     */
    public static TlsTransport server(Transport plain, TlsOptions options, ByteBuffer alreadyRead) throws IOException {
        if (options.isClient()) {
            throw new IllegalArgumentException("TlsTransport.server needs server options, not " + options);
        }
        return start(
                plain,
                options.newEngine(null, -1),
                String.valueOf(plain.remoteAddress()),
                alreadyRead,
                options.handshakeTimeout());
    }

    /**
     * startTls for either role, as {@code options} say: {@link #client} or {@link #server}, with {@code alreadyRead}
     * (may be {@code null}) holding bytes of the peer's first TLS records that a plain-text reader already took off
     * {@code plain}. {@code host} and {@code port} name the peer for a client and are ignored for a server.
     */
    public static TlsTransport upgrade(
            Transport plain, TlsOptions options, String host, int port, ByteBuffer alreadyRead) throws IOException {
        if (!options.isClient()) {
            return server(plain, options, alreadyRead);
        }
        return start(plain, options.newEngine(host, port), host + ":" + port, alreadyRead, options.handshakeTimeout());
    }

    /**
     * Performs the handshake of a caller-made {@code engine} (client or server mode already set) over {@code plain},
     * with no time limit of its own (the caller's timeout scopes apply), and returns the connection ready for data.
     * {@code alreadyRead} (may be {@code null}) holds bytes of the peer's first TLS records already taken off
     * {@code plain}.
     */
    public static TlsTransport handshake(Transport plain, SSLEngine engine, ByteBuffer alreadyRead) throws IOException {
        Objects.requireNonNull(engine, "engine");
        String peer = engine.getUseClientMode() && engine.getPeerHost() != null
                ? engine.getPeerHost() + ":" + engine.getPeerPort()
                : String.valueOf(plain.remoteAddress());
        return start(plain, engine, peer, alreadyRead, null);
    }

    private static TlsTransport start(
            Transport plain, SSLEngine engine, String peer, ByteBuffer alreadyRead, Duration timeout)
            throws IOException {
        Objects.requireNonNull(plain, "plain");
        Suspension.currentTask("TLS handshake");
        TlsTransport t = new TlsTransport(plain, engine, peer, alreadyRead);
        TimeoutScope scope = timeout == null ? null : TimeoutScope.after(timeout);
        try {
            if (scope == null) {
                t.runHandshake();
            } else {
                scope.run(() -> {
                    t.runHandshake();
                    return null;
                });
            }
        } catch (TimedOut e) {
            t.abort();
            if (scope != null && scope.expired()) {
                SSLHandshakeException x = new SSLHandshakeException(
                        "TLS handshake with " + peer + " did not finish within " + describe(timeout));
                x.initCause(e);
                throw x;
            }
            throw e;
        } catch (Throwable e) {
            t.abort();
            throw e;
        }
        return t;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Drives the engine until it stops handshaking, flushing before each wait for the peer. */
    private void runHandshake() throws IOException {
        Task<?> self = Suspension.currentTask("TLS handshake");
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            throw fail(e);
        }
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> runDelegatedTasks();
                case NEED_WRAP -> {
                    SSLEngineResult r = wrapHandshake();
                    if (r.bytesProduced() == 0 && r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        // never seen from the JDK's engine; without this a broken one would spin the loop
                        throw fail(new SSLHandshakeException(
                                "the TLS engine wants to send but produced nothing (" + r.getStatus() + ")"));
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (netIn.hasRemaining() && unwrapBuffered()) {
                        continue;
                    }
                    if (inboundDone) {
                        throw closedDuringHandshake();
                    }
                    flushWaiting(self); // the peer may be waiting for what was just wrapped
                    if (fillNetIn(true) < 0) {
                        throw fail(new SSLHandshakeException("the peer closed the connection"));
                    }
                }
                default -> { // NOT_HANDSHAKING (FINISHED is only ever in a result)
                    if (inboundDone || engine.isOutboundDone()) {
                        throw closedDuringHandshake(); // the engine stopped because it closed, not because it is done
                    }
                    flushWaiting(self);
                    handshakeDone = true;
                    warm = true;
                    firstBytes = null;
                    return;
                }
            }
        }
    }

    /** The peer's close_notify (or an alert) ended the handshake: sends the engine's answer, then fails. */
    private SSLException closedDuringHandshake() {
        try {
            tryFlush();
        } catch (IOException ignored) {
            // the failure below says enough
        }
        return fail(new SSLHandshakeException("the peer closed the TLS connection during the handshake"));
    }

    // ---- reading -----------------------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws IOException {
        requireRoom(dst);
        Task<?> self = Suspension.currentTask("TlsTransport.read");
        if (appReader != null) {
            throw new IllegalStateException("TlsTransport.read: another coroutine is already reading from " + peer
                    + "; only one may at a time");
        }
        appReader = self;
        try {
            while (true) {
                int n = inbound(dst);
                if (n != 0) {
                    return n;
                }
                if (innerReading) {
                    awaitProgress(self); // a writer is reading the peer's handshake messages
                } else if (fillNetIn(true) < 0) {
                    endOfInput();
                }
            }
        } finally {
            appReader = null;
        }
    }

    @Override
    public int tryRead(ByteBuffer dst) throws IOException {
        requireRoom(dst);
        int n = inbound(dst);
        if (n != 0 || innerReading) {
            return n;
        }
        int got = fillNetIn(false);
        if (got < 0) {
            endOfInput();
        } else if (got == 0) {
            return 0;
        }
        return inbound(dst);
    }

    /**
     * Returns plaintext without waiting: what {@code appIn} holds, else what the ciphertext in {@code netIn} unwraps
     * to. Returns the count, -1 at the end of the stream, or 0 when more ciphertext is needed.
     */
    private int inbound(ByteBuffer dst) throws IOException {
        checkUsable();
        int n = takeAppIn(dst);
        if (n > 0) {
            return n;
        }
        if (inboundDone) {
            return -1;
        }
        if (innerReading || !netIn.hasRemaining()) {
            return 0;
        }
        int total = 0;
        boolean consumed = false;
        boolean viaAppIn = false;
        try {
            while (netIn.hasRemaining()) {
                boolean direct = !viaAppIn && dst.remaining() >= appBufferSize();
                SSLEngineResult r = direct ? unwrapRaw(dst) : unwrapToAppIn();
                consumed |= r.bytesConsumed() > 0;
                afterStep(r.getHandshakeStatus());
                Status st = r.getStatus();
                if (st == Status.BUFFER_OVERFLOW) {
                    if (direct) {
                        viaAppIn = true; // the record is larger than dst's room: go through appIn
                    } else {
                        growAppIn();
                    }
                    continue;
                }
                total += direct ? r.bytesProduced() : takeAppIn(dst);
                if (st == Status.CLOSED) {
                    markCloseNotify();
                    break;
                }
                if (st == Status.BUFFER_UNDERFLOW
                        || appIn.hasRemaining()
                        || (total > 0 && dst.remaining() < appBufferSize())
                        || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                    break;
                }
            }
        } finally {
            if (consumed) {
                kickFlush();
                progress.wakeAll(Boolean.TRUE);
            }
        }
        if (total > 0) {
            return total;
        }
        return inboundDone ? -1 : 0;
    }

    /**
     * Unwraps what {@code netIn} holds into {@code appIn} while the engine wants the peer's handshake messages;
     * returns whether anything was consumed. Used by the handshake and by a writer that meets a renegotiation.
     */
    private boolean unwrapBuffered() throws IOException {
        boolean consumed = false;
        try {
            while (netIn.hasRemaining() && !inboundDone) {
                SSLEngineResult r = unwrapToAppIn();
                consumed |= r.bytesConsumed() > 0;
                if (handshakeDone) {
                    afterStep(r.getHandshakeStatus());
                }
                Status st = r.getStatus();
                if (st == Status.CLOSED) {
                    markCloseNotify();
                    break;
                }
                if (st == Status.BUFFER_OVERFLOW) {
                    growAppIn();
                    continue;
                }
                HandshakeStatus hs = engine.getHandshakeStatus();
                if (st == Status.BUFFER_UNDERFLOW
                        || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)
                        || (hs != HandshakeStatus.NEED_UNWRAP && hs != HandshakeStatus.NEED_UNWRAP_AGAIN)) {
                    break;
                }
            }
        } finally {
            if (consumed && handshakeDone) {
                kickFlush();
                progress.wakeAll(Boolean.TRUE);
            }
        }
        return consumed;
    }

    /**
     * Reads ciphertext from the inner transport into {@code netIn}: waiting for at least a byte, or only what is
     * there. Cancellation leaves {@code netIn} as it was (the inner read reads nothing when cancelled).
     */
    private int fillNetIn(boolean wait) throws IOException {
        netIn.compact();
        int packet = engine.getSession().getPacketBufferSize();
        if (!netIn.hasRemaining() || netIn.capacity() < packet) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(netIn.capacity() * 2, packet));
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        int start = netIn.position();
        innerReading = true;
        int n;
        try {
            n = wait ? inner.read(netIn) : inner.tryRead(netIn);
        } catch (ClosedChannelException e) {
            throw closedOrFailed(e);
        } finally {
            netIn.flip();
            innerReading = false;
            progress.wakeAll(Boolean.TRUE);
        }
        if (n > 0 && !handshakeDone && firstBytes == null) {
            firstBytes = new byte[Math.min(n, 24)];
            netIn.get(start, firstBytes);
        }
        return n;
    }

    /** The inner transport ended. Before the handshake ends that is an error (the callers say so); after, EOF. */
    private void endOfInput() {
        // No engine.closeInbound(): without the peer's close_notify it is a fatal error for the engine, which would
        // then refuse to write, while the peer may still be reading.
        inboundDone = true;
        progress.wakeAll(Boolean.TRUE);
    }

    private void markCloseNotify() {
        inboundDone = true;
        closeNotifyReceived = engine.isInboundDone();
        progress.wakeAll(Boolean.TRUE);
    }

    private int takeAppIn(ByteBuffer dst) {
        int n = Math.min(appIn.remaining(), dst.remaining());
        if (n > 0) {
            dst.put(dst.position(), appIn, appIn.position(), n);
            dst.position(dst.position() + n);
            appIn.position(appIn.position() + n);
        }
        return n;
    }

    private SSLEngineResult unwrapToAppIn() throws IOException {
        appIn.compact();
        int need = appBufferSize();
        if (appIn.remaining() < need) {
            ByteBuffer bigger = ByteBuffer.allocate(appIn.position() + need);
            appIn.flip();
            bigger.put(appIn);
            appIn = bigger;
        }
        try {
            return unwrapRaw(appIn);
        } finally {
            appIn.flip();
        }
    }

    /** After an overflow although appIn had the session's application buffer size free: double it. */
    private void growAppIn() {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(2 * appIn.capacity(), appBufferSize()));
        bigger.put(appIn).flip();
        appIn = bigger;
    }

    private SSLEngineResult unwrapRaw(ByteBuffer dst) throws IOException {
        try {
            return engine.unwrap(netIn, dst);
        } catch (SSLException e) {
            throw fail(e);
        }
    }

    private int appBufferSize() {
        return engine.getSession().getApplicationBufferSize();
    }

    // ---- writing -----------------------------------------------------------------------------------------

    @Override
    public void write(ByteBuffer src) throws IOException {
        Task<?> self = Suspension.currentTask("TlsTransport.write");
        if (appWriter != null) {
            throw new IllegalStateException(
                    "TlsTransport.write: another coroutine is already writing to " + peer + "; only one may at a time");
        }
        appWriter = self;
        try {
            checkWritable();
            flushWaiting(self); // what an earlier tryWrite or cancelled write left goes first
            while (src.hasRemaining()) {
                checkWritable();
                if (outQueue.position() == 0
                        && src.remaining() > appBufferSize()
                        && outQueue.capacity() < RECORDS_PER_FLUSH * packetBufferSize()) {
                    outQueue = ByteBuffer.allocate(RECORDS_PER_FLUSH * packetBufferSize());
                }
                if (!wrapApplication(src, false)) {
                    awaitHandshakeInput(self);
                }
                flushWaiting(self);
            }
        } finally {
            appWriter = null;
            kickFlush(); // after a cancel or a failure, what src gave up still goes out
        }
    }

    @Override
    public int tryWrite(ByteBuffer src) throws IOException {
        checkWritable();
        if (appWriter != null || flushing) {
            return 0;
        }
        int start = src.position();
        tryFlush();
        while (src.hasRemaining() && !pendingOut()) {
            if (!wrapApplication(src, true)) {
                break; // the engine needs the peer's handshake messages first: write() will wait for them
            }
            tryFlush();
        }
        kickFlush();
        return src.position() - start;
    }

    /**
     * Wraps {@code src} into {@code outQueue}: one record, or until the queue is full. Returns {@code false} if the
     * engine needs the peer's handshake messages before it takes more application data.
     */
    private boolean wrapApplication(ByteBuffer src, boolean oneRecord) throws IOException {
        while (src.hasRemaining()) {
            SSLEngineResult r;
            try {
                r = engine.wrap(src, outQueue);
            } catch (SSLException e) {
                throw fail(e);
            }
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW -> {
                    if (outQueue.position() > 0) {
                        return true; // full: flush first
                    }
                    growOutQueue();
                    continue;
                }
                case CLOSED -> throw closedForWriting();
                default -> {}
            }
            HandshakeStatus hs = r.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
                hs = engine.getHandshakeStatus();
            }
            if (r.bytesConsumed() == 0
                    && (hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NEED_UNWRAP_AGAIN)) {
                return false;
            }
            if (r.bytesConsumed() == 0
                    && r.bytesProduced() == 0
                    && r.getHandshakeStatus() != HandshakeStatus.NEED_TASK
                    && hs != HandshakeStatus.NEED_WRAP) {
                // never seen from the JDK's engine; without this a broken one would spin the loop
                throw fail(new SSLException("the TLS engine takes no data (" + r + ")"));
            }
            if (oneRecord && r.bytesConsumed() > 0) {
                return true;
            }
        }
        return true;
    }

    /**
     * A writer met a renegotiation: gets the peer's handshake messages, reading them itself if no one else is
     * reading (the application data that comes with them waits in {@code appIn} for the reader).
     */
    private void awaitHandshakeInput(Task<?> self) throws IOException {
        if (innerReading) {
            awaitProgress(self);
            return;
        }
        if (netIn.hasRemaining() && unwrapBuffered()) {
            return;
        }
        if (inboundDone) {
            throw new SSLException("the TLS connection with " + peer
                    + " is renegotiating and cannot take more data, but the peer has closed its side");
        }
        flushWaiting(self);
        if (fillNetIn(true) < 0) {
            endOfInput();
        }
        unwrapBuffered();
    }

    /** Wraps what the engine has to send of its own (handshake messages, alerts, close_notify) into outQueue. */
    private SSLEngineResult wrapHandshake() throws IOException {
        while (true) {
            SSLEngineResult r;
            try {
                r = engine.wrap(nothing, outQueue);
            } catch (SSLException e) {
                throw fail(e);
            }
            if (r.getStatus() != Status.BUFFER_OVERFLOW) {
                return r;
            }
            growOutQueue();
        }
    }

    /** Runs the engine's delegated tasks and answers what it then wants to send, after an unwrap or a wrap. */
    private void afterStep(HandshakeStatus hs) throws IOException {
        while (true) {
            if (hs == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
                hs = engine.getHandshakeStatus();
            } else if (hs == HandshakeStatus.NEED_WRAP) {
                SSLEngineResult r = wrapHandshake();
                if (r.bytesProduced() == 0 && r.bytesConsumed() == 0) {
                    return;
                }
                hs = r.getHandshakeStatus();
            } else {
                return;
            }
        }
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            if (!warm && Task.currentOrNull() != null) {
                // A cold JVM's first handshake loads and initialises the JDK's crypto (about a second): on a worker
                // thread, so that it parks only this coroutine and the loop goes on with the others.
                Runnable cold = task;
                dev.spindle.task.Tasks.toThread(() -> {
                    cold.run();
                    return null;
                });
            } else {
                task.run(); // inline: see the class comment
            }
        }
    }

    private void growOutQueue() {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(2 * outQueue.capacity(), packetBufferSize()));
        outQueue.flip();
        bigger.put(outQueue);
        outQueue = bigger;
    }

    private int packetBufferSize() {
        return engine.getSession().getPacketBufferSize();
    }

    private boolean pendingOut() {
        return outFlight.hasRemaining() || outQueue.position() > 0;
    }

    /** outFlight is empty: makes the queued ciphertext the next flight. */
    private void swapOut() {
        ByteBuffer spare = outFlight.clear();
        outFlight = outQueue.flip();
        outQueue = spare;
    }

    /**
     * Hands all pending ciphertext to the inner transport, waiting as it needs; first waits for another coroutine
     * that is doing so. A cancelled wait leaves what was not taken in outFlight and outQueue.
     */
    private void flushWaiting(Task<?> self) throws IOException {
        while (flushing) {
            awaitProgress(self);
        }
        if (!pendingOut()) {
            return;
        }
        flushing = true;
        try {
            while (true) {
                if (outFlight.hasRemaining()) {
                    inner.write(outFlight);
                } else if (outQueue.position() > 0) {
                    swapOut();
                } else {
                    return;
                }
            }
        } catch (ClosedChannelException e) {
            throw closedOrFailed(e);
        } catch (IOException e) {
            if (outFailure == null) {
                outFailure = e;
            }
            throw e;
        } finally {
            flushing = false;
            progress.wakeAll(Boolean.TRUE);
        }
    }

    /** Hands the inner transport what it takes now; nothing if another coroutine is flushing. */
    private void tryFlush() throws IOException {
        if (flushing) {
            return;
        }
        while (true) {
            if (outFlight.hasRemaining()) {
                inner.tryWrite(outFlight);
                if (outFlight.hasRemaining()) {
                    return;
                }
            } else if (outQueue.position() > 0) {
                swapOut();
            } else {
                return;
            }
        }
    }

    /**
     * Makes sure pending ciphertext goes out without the caller waiting: sends what the inner transport takes now
     * and leaves the rest to the flusher, a task of the loop. Nothing to do if a coroutine is flushing already (it
     * sends outQueue too before it stops).
     */
    private void kickFlush() {
        if (!pendingOut() || flushing || closed || failure != null || outFailure != null) {
            return;
        }
        try {
            tryFlush();
        } catch (IOException e) {
            outFailure = e;
            return;
        }
        if (pendingOut() && flusher == null) {
            flusher = loop.spawn("TLS flush to " + peer, () -> {
                try {
                    flushWaiting(Task.current());
                } catch (IOException e) {
                    // recorded in outFailure (or the transport is closed): the next write reports it
                } finally {
                    flusher = null;
                }
                return null;
            });
        }
    }

    // ---- ending ------------------------------------------------------------------------------------------

    @Override
    public void shutdownOutput() throws IOException {
        Task<?> self = Suspension.currentTask("TlsTransport.shutdownOutput");
        checkUsable();
        if (outboundShut) {
            return;
        }
        outboundShut = true;
        engine.closeOutbound();
        wrapCloseNotify();
        flushWaiting(self);
        inner.shutdownOutput();
    }

    private void wrapCloseNotify() throws IOException {
        while (!engine.isOutboundDone()) {
            SSLEngineResult r = wrapHandshake();
            if (r.bytesProduced() == 0) {
                break;
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (handshakeDone && !outboundShut && failure == null && !flushing) {
                outboundShut = true;
                engine.closeOutbound();
                wrapCloseNotify();
                tryFlush(); // close_notify if the kernel takes it now; close() does not wait
            }
        } catch (IOException | RuntimeException e) {
            // the connection goes anyway
        } finally {
            inner.close();
            progress.wakeAll(Boolean.TRUE);
        }
    }

    /** The handshake failed or was abandoned: closes without close_notify. */
    private void abort() {
        closed = true;
        inner.close();
        progress.wakeAll(Boolean.TRUE);
    }

    @Override
    public boolean isOpen() {
        return !closed && inner.isOpen();
    }

    @Override
    public SocketAddress localAddress() {
        return inner.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return inner.remoteAddress();
    }

    // ---- what was negotiated -----------------------------------------------------------------------------

    /** The session negotiated (protocol, cipher suite, the peer's certificates, SNI names on a server). */
    public SSLSession session() {
        return engine.getSession();
    }

    /** The ALPN protocol agreed on; empty if ALPN was not used or nothing matched. */
    public Optional<String> applicationProtocol() {
        String p = engine.getApplicationProtocol();
        return p == null || p.isEmpty() ? Optional.empty() : Optional.of(p);
    }

    /**
     * Whether the peer ended its side with close_notify; {@code false} while it has not ended, and after a peer
     * that closed the connection without one (which {@link #read} also reports as the end of the stream).
     */
    public boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    /** The transport TLS runs over. */
    public Transport inner() {
        return inner;
    }

    // ---- errors ------------------------------------------------------------------------------------------

    private static void requireRoom(ByteBuffer dst) {
        if (!dst.hasRemaining()) {
            throw new IllegalArgumentException("the buffer to read into has no room");
        }
    }

    private void awaitProgress(Task<?> self) throws IOException {
        progress.park(self, null);
        checkUsable();
    }

    private void checkUsable() throws IOException {
        if (failure != null) {
            throw again(failure);
        }
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    private void checkWritable() throws IOException {
        checkUsable();
        if (outboundShut) {
            throw closedForWriting();
        }
        if (outFailure != null) {
            throw new IOException("an earlier write to " + peer + " failed: " + outFailure.getMessage(), outFailure);
        }
    }

    private IOException closedForWriting() {
        if (outboundShut) {
            return new ClosedChannelException(); // as a socket channel after shutdownOutput
        }
        return new SSLException("the TLS connection with " + peer + " is closed for writing: the peer ended it");
    }

    private IOException closedOrFailed(ClosedChannelException e) {
        return failure != null ? again(failure) : e;
    }

    private static SSLException again(SSLException first) {
        return first instanceof SSLHandshakeException
                ? (SSLHandshakeException) new SSLHandshakeException(first.getMessage()).initCause(first)
                : new SSLException(first.getMessage(), first);
    }

    /**
     * A fatal TLS error: records it with a message naming the peer, sends the alert the engine prepared if that
     * needs no waiting, and closes the inner transport. Returns the exception to throw.
     */
    private SSLException fail(SSLException e) {
        if (failure != null) {
            return again(failure);
        }
        String why = e.getMessage() + hint(e);
        SSLException x;
        if (handshakeDone) {
            x = new SSLException("TLS error on the connection with " + peer + ": " + why, e);
        } else {
            x = new SSLHandshakeException("TLS handshake with " + peer + " failed: " + why);
            x.initCause(e);
        }
        failure = x;
        try {
            engine.closeOutbound();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                SSLEngineResult r = engine.wrap(nothing, outQueue);
                if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                    growOutQueue();
                } else if (r.bytesProduced() == 0) {
                    break;
                }
            }
            tryFlush();
            discardInput();
        } catch (IOException | RuntimeException ignored) {
            // the alert is a courtesy
        }
        closed = true;
        inner.close();
        progress.wakeAll(Boolean.TRUE);
        return x;
    }

    /**
     * Reads and drops what input has arrived, without waiting: a socket closed with unread input is reset, and a
     * reset can overtake the alert just sent, so that the peer never learns why.
     */
    private void discardInput() throws IOException {
        if (innerReading) {
            return; // a reader owns netIn; the close wakes it
        }
        for (int i = 0; i < 16; i++) {
            netIn.clear();
            if (inner.tryRead(netIn) <= 0) {
                break;
            }
        }
        netIn.clear().flip();
    }

    /** A plain-language reason added to the JDK's, where one is clear. */
    private String hint(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof CertPathBuilderException) {
                return " (the peer's certificate is not signed by an authority this side trusts)";
            }
        }
        byte[] first = firstBytes;
        if (handshakeDone || first == null || first.length == 0) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (byte b : first) {
            if (b == '\r') {
                text.append("\\r");
            } else if (b == '\n') {
                text.append("\\n");
            } else if (b >= 0x20 && b < 0x7f) {
                text.append((char) b);
            } else {
                return "";
            }
        }
        return " (the peer sent plain text, not TLS: \"" + text + "\"...)";
    }

    @Override
    public String toString() {
        return "TlsTransport[" + peer
                + (handshakeDone ? ", " + engine.getSession().getProtocol() : ", handshaking")
                + (closed ? ", closed" : "") + "]";
    }
}
