package dev.spindle.io;

import dev.spindle.io.internal.Transport;
import dev.spindle.loop.Loop;
import dev.spindle.sync.internal.WaitQueue;
import dev.spindle.task.Task;
import dev.spindle.task.internal.Suspension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * The writing half of a connection (asyncio's {@code StreamWriter}): {@link #write} never waits, {@link #drain()}
 * applies backpressure.
 *
 * {@snippet :
 * for (byte[] chunk : chunks) {
 *     writer.write(chunk); // hands the bytes to the kernel now, or buffers them
 *     writer.drain();      // waits only while more than the high water mark is buffered
 * }
 * writer.close();
 * writer.waitClosed();
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Use a writer from coroutines (and callbacks) of its connection's loop. Several coroutines may
 *       write; each {@code write} is atomic with respect to the others.
 *   <li><b>Writing.</b> {@link #write} copies nothing when the kernel takes the bytes at once (the usual case); what
 *       it does not take is copied into the writer's buffer, in order, and the caller may reuse its array at once.
 *   <li><b>Flushing.</b> Buffered bytes are sent in the background, by a small task of the loop (named
 *       {@code flush-<peer>}) started when something gets buffered and ended when the buffer is empty, as asyncio's
 *       transport does: a program that never calls {@code drain} still gets its bytes sent.
 *   <li><b>Backpressure.</b> {@link #drain()} returns at once while at most the high water mark (64 KiB by default)
 *       is buffered; above it, it waits until the buffer falls to the low water mark (16 KiB). A writer that drains
 *       after each write therefore holds at most the high water mark plus one write, however slow the peer.
 *   <li><b>Closing.</b> {@link #close()} sends what is buffered, then closes the connection (both halves; the reader
 *       then sees the end of the stream); {@link #abort()} closes at once and drops what is buffered.
 *       {@link #writeEof()} ends only the outbound half, after the buffered bytes.
 *   <li><b>Failures.</b> A reset, a broken pipe or another error while sending throws {@link ConnectionLost} from
 *       the {@code write} that met it, or, when the background flush met it, from the next {@code write} or
 *       {@code drain}; the bytes still buffered then are dropped, never silently: the error says how many.
 * </ul>
 *
 * <h2>Cancellation and timeouts</h2>
 * <ul>
 *   <li>{@link #write} and {@link #writeLines} never wait, so they are no cancellation points: their bytes are
 *       either sent or buffered.
 *   <li>{@link #drain()} may be bounded with {@link dev.spindle.Spindle#withTimeout}; a cancelled drain leaves the
 *       data buffered and the background flush going.
 *   <li>{@link #waitClosed()} cancelled: the close goes on.
 *   <li>{@link #sendFile} waits for the peer; cancelled before any of the file went out it changes nothing, cancelled
 *       midway it aborts the connection (the peer may hold part of the file).
 *   <li>When the loop shuts down ({@link dev.spindle.Spindle#run} ending), the flush task is cancelled like every
 *       task: bytes still buffered stay unsent, and a connection whose close was asked for is closed.
 * </ul>
 */
public final class StreamWriter {
    /** The default high water mark: 64 KiB, as asyncio's. */
    public static final int DEFAULT_HIGH_WATER = 64 * 1024;
    /** The default low water mark: a quarter of the high one, as asyncio's. */
    public static final int DEFAULT_LOW_WATER = 16 * 1024;

    private static final byte[] NOTHING = new byte[0];
    private static final int MAX_IO = StreamReader.MAX_IO;
    /** A buffer up to this size is kept when it empties, for the next burst; a larger one is let go. */
    private static final int KEEP = 64 * 1024;

    /** Replaced once at most, by {@link #startTls}: the TLS transport over the plain one. */
    private Transport transport;
    /** The reading half of the same connection, which a startTls moves over too; null for a writer alone. */
    private StreamReader reader;
    /** The host name this end connected to (what a client's startTls verifies), or null on a server. */
    private String connectedHost;

    private boolean upgrading;
    /**
     * A {@link #sendFile} is handing the file to the transport: writes meanwhile are buffered (never offered to the
     * kernel, where they would land inside the file's bytes) and the flusher waits until it ends.
     */
    private boolean sendingFile;

    // Loop-confined. Unsent bytes are buf[head, tail).
    private byte[] buf = NOTHING;
    private int head;
    private int tail;
    private int high = DEFAULT_HIGH_WATER;
    private int low = DEFAULT_LOW_WATER;

    /** The task sending the buffer, or {@code null} while nothing waits to be sent. */
    private Task<Void> flusher;
    /**
     * The flusher waits in the transport with a view of {@code buf}: appending must not move the bytes under it
     * (it may move them to a new array).
     */
    private boolean flushing;

    private final WaitQueue drainers = new WaitQueue();
    private final WaitQueue closeWaiters = new WaitQueue();

    private boolean eofRequested;
    private boolean closing;
    private boolean closed;
    private ConnectionLost error;

    /** A writer to {@code transport}. For Spindle's own modules: programs get writers from {@link Streams}. */
    public StreamWriter(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * Tells this writer its connection's reader, so that {@link #startTls} upgrades both, and the host name a client
     * connected to ({@code null} on a server).
     */
    StreamWriter pairedWith(StreamReader reader, String connectedHost) {
        if (reader.transportForPairing() != transport) {
            throw new IllegalArgumentException("the reader and the writer of a connection must share its transport");
        }
        this.reader = reader;
        this.connectedHost = connectedHost;
        return this;
    }

    // ---- writing --------------------------------------------------------------------------------------------

    /**
     * Sends {@code data}, or buffers what the kernel does not take at once; never waits.
     *
     * @throws ConnectionLost if the connection failed (now or during an earlier background flush)
     * @throws IllegalStateException after {@link #close()}, {@link #abort()} or {@link #writeEof()}
     */
    public void write(byte[] data) {
        write(data, 0, data.length);
    }

    /** {@link #write(byte[])} of {@code data[off, off + len)}. */
    public void write(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        checkWritable();
        if (len == 0) {
            return;
        }
        if (head == tail && !sendingFile) { // nothing waits before these bytes: offer them to the kernel at once
            while (len > 0) {
                int chunk = Math.min(len, MAX_IO);
                int n = tryWrite(ByteBuffer.wrap(data, off, chunk));
                off += n;
                len -= n;
                if (n < chunk) {
                    break;
                }
            }
            if (len == 0) {
                return;
            }
        }
        append(data, off, len);
        startFlusher();
    }

    /** {@link #write(byte[])} of {@code src}'s remaining bytes; {@code src}'s position moves to its limit. */
    public void write(ByteBuffer src) {
        checkWritable();
        if (!src.hasRemaining()) {
            return;
        }
        if (head == tail && !sendingFile) {
            int oldLimit = src.limit();
            try {
                while (src.hasRemaining()) {
                    int chunk = Math.min(src.remaining(), MAX_IO);
                    src.limit(src.position() + chunk);
                    int n = tryWrite(src);
                    src.limit(oldLimit);
                    if (n < chunk) {
                        break;
                    }
                }
            } finally {
                src.limit(oldLimit);
            }
            if (!src.hasRemaining()) {
                return;
            }
        }
        int len = src.remaining();
        reserve(len);
        src.get(buf, tail, len);
        tail += len;
        startFlusher();
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code position}, after the bytes already written, and waits
     * until the kernel has taken them all (asyncio's {@code loop.sendfile}). Returns how many bytes were sent:
     * {@code count}, or fewer if the file ends first. The file's own position is neither used nor moved, so one
     * {@link FileChannel} may feed several connections at once; the caller keeps it open until this returns, and
     * closes it.
     *
     * {@snippet :
     * try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
     *     writer.write(head);                             // sent first
     *     writer.sendFile(file, 0, file.size());          // then the file, without copying it into the JVM
     * }
     * }
     *
     * <h2>The zero-copy path</h2>
     * On a plain TCP or Unix domain connection the kernel copies the file from its page cache to the socket
     * (sendfile(2)): on the JDK backend through {@link FileChannel#transferTo}, on the Netty backend through a
     * {@code DefaultFileRegion}'s sendfile. A transfer the kernel takes only part of (a slow reader, a full send
     * buffer) is resumed when the socket is writable again, parking only this coroutine. Under TLS (the bytes must be
     * encrypted), to a child process's pipe, or for a {@link FileChannel} that is not the JDK's own file channel on
     * Netty, the file is read through a 64 KiB buffer and written: the same result, one copy more.
     *
     * <h2>Contract</h2>
     * <ul>
     *   <li><b>Order.</b> Bytes buffered before the call go first (this waits until they are sent); bytes written by
     *       other coroutines while the file goes out are buffered and follow the file. Only one {@code sendFile} at a
     *       time per connection.
     *   <li><b>Waiting.</b> Unlike {@link #write}, this waits for the peer: bound it with a
     *       {@link dev.spindle.time.TimeoutScope} (or {@link dev.spindle.Spindle#withTimeout}) for slow readers. A
     *       large file may be sent in slices, each under its own deadline, as an HTTP server's per-write timeout does.
     *   <li><b>Cancellation.</b> Cancelled (or timed out) while earlier buffered bytes were still going out, nothing
     *       of the file was sent and the connection stays usable. Cancelled once the file's bytes are being handed to
     *       the kernel, some of them may have reached the peer and the count is lost, so the stream cannot go on in a
     *       defined state: the connection is <b>aborted</b> (closed at once, bytes written meanwhile dropped), and
     *       later writes throw {@link ConnectionLost} saying so.
     *   <li><b>Closing.</b> {@link #close()} or {@link #writeEof()} called by another coroutine meanwhile take effect
     *       after the file; {@link #abort()} cuts it short (this then throws {@link ConnectionLost}).
     *   <li><b>Errors.</b> A failure reading the file or sending it (a reset, a broken pipe) fails the connection as
     *       a failed write does: {@link ConnectionLost}, with the file's error as the cause when reading it failed.
     * </ul>
     *
     * @return the bytes sent: {@code count}, or fewer if the file is shorter than {@code position + count}
     * @throws IllegalArgumentException if {@code position} or {@code count} is negative
     * @throws IllegalStateException after {@link #close()}, {@link #abort()} or {@link #writeEof()}, during a
     *     {@link #startTls}, or while another {@code sendFile} on this connection runs
     * @throws ConnectionLost if the connection failed, now or earlier
     * @throws dev.spindle.task.Cancelled if cancelled (or timed out) meanwhile; see above for the connection's state
     */
    public long sendFile(FileChannel file, long position, long count) {
        Objects.requireNonNull(file, "file");
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException(
                    "sendFile needs position >= 0 and count >= 0, got position=" + position + " count=" + count);
        }
        Task<?> self = Suspension.currentTask("StreamWriter.sendFile");
        if (sendingFile) {
            throw new IllegalStateException("cannot sendFile to " + peer() + ": another sendFile is under way");
        }
        checkWritable();
        // What was written before goes out before the file's first byte.
        while (head < tail && error == null && !closed) {
            if (flusher == null) {
                startFlusher();
            }
            drainers.park(self, null);
        }
        throwIfFailed();
        checkWritable();
        if (count == 0) {
            return 0;
        }
        sendingFile = true;
        boolean finished = false;
        try {
            long sent = transport.sendFile(file, position, count);
            finished = true;
            return sent;
        } catch (IOException e) {
            finished = true;
            if (!closed) {
                fail(e);
            }
            throw error != null ? error : new ConnectionLost("connection with " + peer() + " lost", e);
        } finally {
            sendingFile = false;
            if (!finished && !closed) {
                // Cancelled (or failed unexpectedly) midway: the peer may hold part of the file.
                dropBuffer();
                if (error == null) {
                    error = new ConnectionLost(
                            "connection with " + peer() + " aborted: a sendFile was cancelled after part of the "
                                    + "file may have been sent",
                            new ClosedChannelException());
                }
                closeTransport();
            } else if (!closed && (head < tail || closing || eofRequested)) {
                startFlusher(); // what was written meanwhile, then the close or EOF asked for meanwhile
            }
        }
    }

    /**
     * Writes each array in order, as one {@link #write} of their concatenation: they are gathered in the buffer and
     * offered to the kernel together.
     */
    public void writeLines(Iterable<byte[]> lines) {
        checkWritable();
        for (byte[] line : lines) {
            append(line, 0, line.length);
        }
        if (!flushing && !sendingFile) {
            while (head < tail) {
                int chunk = Math.min(tail - head, MAX_IO);
                int n = tryWrite(ByteBuffer.wrap(buf, head, chunk));
                consumed(n);
                if (n < chunk) {
                    break;
                }
            }
        }
        if (head < tail) {
            startFlusher();
        }
    }

    /**
     * Waits while more than the high water mark is buffered, until at most the low water mark is (asyncio's
     * {@code drain}); returns at once otherwise.
     *
     * @throws ConnectionLost if the connection failed, or was aborted with bytes unsent
     * @throws dev.spindle.task.Cancelled if cancelled while waiting; the bytes stay buffered and keep flowing
     */
    public void drain() {
        Task<?> self = Suspension.currentTask("StreamWriter.drain");
        throwIfFailed();
        if (tail - head <= high) {
            return;
        }
        if (flusher == null && !closed) {
            startFlusher(); // a flush task cancelled earlier left bytes behind
        }
        while (tail - head > low && error == null && !closed) {
            drainers.park(self, null);
        }
        throwIfFailed();
    }

    /**
     * Ends the outbound half of the connection (a TCP FIN) once the buffered bytes are sent; reading goes on.
     * Writing afterwards fails. Calling it twice does nothing more.
     */
    public void writeEof() {
        if (eofRequested) {
            return;
        }
        checkWritable();
        eofRequested = true;
        if (head == tail && !sendingFile) {
            sendEof();
        } else {
            startFlusher();
        }
    }

    /**
     * Sets the water marks {@link #drain()} uses.
     *
     * @throws IllegalArgumentException unless {@code 0 <= low <= high}
     */
    public void setWriteBufferLimits(int high, int low) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("need 0 <= low <= high, got high=" + high + " low=" + low);
        }
        this.high = high;
        this.low = low;
        if (tail - head <= low) {
            drainers.wakeAll(Boolean.TRUE);
        }
    }

    /** How many bytes wait in the buffer to be sent (asyncio's {@code get_write_buffer_size}). */
    public int writeBufferSize() {
        return tail - head;
    }

    /** Pairs with {@code r} if this writer has no reader yet and they share a transport. */
    void pairIfAlone(StreamReader r) {
        if (reader == null && r.transportForPairing() == transport) {
            reader = r;
        }
    }

    // ---- startTls -------------------------------------------------------------------------------------------

    /**
     * {@link #startTls(TlsOptions, String)} verifying, for client options, the host this connection was opened to
     * (or the options' {@linkplain TlsOptions#withServerName server name}).
     */
    public void startTls(TlsOptions options) {
        startTls(options, null);
    }

    /**
     * Upgrades this open plain connection to TLS (asyncio's {@code writer.start_tls}), as in SMTP's or IMAP's
     * STARTTLS: sends what is buffered, performs the handshake as {@code options} say (client or server), and from
     * then on this writer and its reader carry encrypted bytes; the same objects go on working. Bytes of the peer's
     * first TLS records that the reader already took off the connection are handed to the handshake, not lost.
     *
     * {@snippet :
     * writer.write("STARTTLS\r\n".getBytes(US_ASCII));
     * if (new String(reader.readLine(), US_ASCII).startsWith("220")) {
     *     writer.startTls(TlsOptions.client()); // verifies the host connected to
     * }
     * }
     *
     * <p>The handshake is bounded by the options' handshake timeout and by the caller's timeout scopes. If it fails,
     * times out or is cancelled, the connection is closed (a half-done handshake cannot be resumed): later reads and
     * writes throw {@link ConnectionLost} saying why.
     *
     * @param serverHostname for client options, the name to send as SNI and to verify the certificate against;
     *     {@code null} for the options' server name, else the host connected to, else the peer's IP address. Ignored
     *     for server options.
     * @throws IllegalStateException if the connection is already encrypted (TLS over TLS is not supported), closing
     *     or half-closed, if the peer has closed its side, if a coroutine is waiting to read, or if this writer has no
     *     reader to move over
     * @throws IllegalArgumentException for a client upgrade of a Unix domain connection with no server name
     * @throws StreamError if the handshake fails; the connection is closed
     * @throws ConnectionLost if the connection failed while flushing; it is closed
     * @throws dev.spindle.task.Cancelled if cancelled (or timed out) meanwhile; the connection is closed
     */
    public void startTls(TlsOptions options, String serverHostname) {
        Objects.requireNonNull(options, "options");
        Task<?> self = Suspension.currentTask("StreamWriter.startTls");
        if (transport instanceof dev.spindle.io.internal.TlsTransport) {
            throw new IllegalStateException("cannot startTls: the connection with " + peer() + " is already TLS");
        }
        if (upgrading) {
            throw new IllegalStateException("cannot startTls: another startTls with " + peer() + " is under way");
        }
        if (sendingFile) {
            throw new IllegalStateException("cannot startTls: a sendFile to " + peer() + " is under way");
        }
        if (reader == null) {
            throw new IllegalStateException("cannot startTls: this writer to " + peer()
                    + " was made without its reader (use the pair from Streams or a server's handler)");
        }
        checkWritable();
        // Everything written in plain text goes out in plain text before the first TLS record.
        while (head < tail && error == null && !closed) {
            if (flusher == null) {
                startFlusher();
            }
            drainers.park(self, null);
        }
        throwIfFailed();
        checkWritable();
        Transport plain = transport;
        String host = null;
        int port = 0;
        if (options.isClient()) {
            host = serverHostname != null ? serverHostname : peerHost(plain.remoteAddress(), options);
            port = plain.remoteAddress() instanceof InetSocketAddress a ? a.getPort() : 0;
        }
        ByteBuffer alreadyRead = reader.beginUpgrade();
        upgrading = true;
        Transport secured = null;
        String why = "its TLS upgrade was cancelled (by a cancel or a timeout around it)";
        try {
            secured = dev.spindle.io.internal.TlsTransport.upgrade(plain, options, host, port, alreadyRead);
        } catch (IOException e) {
            why = "its TLS upgrade failed (" + e.getMessage() + ")";
            throw new StreamError(e.getMessage(), e);
        } finally {
            upgrading = false;
            ConnectionLost failure = secured != null
                    ? null
                    : new ConnectionLost("connection with " + peer() + " closed: " + why, new ClosedChannelException());
            reader.finishUpgrade(secured, failure);
            if (secured != null) {
                transport = secured;
            } else {
                // TlsTransport closed the plain connection already; make this writer agree
                dropBuffer();
                error = failure;
                closeTransport();
            }
        }
    }

    /**
     * The name a client's startTls verifies and sends as SNI: the options' server name, else the host this end
     * connected to, else the peer's IP address.
     */
    private String peerHost(SocketAddress remote, TlsOptions options) {
        if (options.serverName().isPresent()) {
            return options.serverName().get();
        }
        if (connectedHost != null) {
            return connectedHost;
        }
        if (remote instanceof InetSocketAddress a) {
            return a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        }
        throw new IllegalArgumentException("startTls over " + Peers.describe(remote)
                + " needs a server name to verify: pass serverHostname or use TlsOptions.withServerName");
    }

    // ---- closing --------------------------------------------------------------------------------------------

    /**
     * Closes the connection once the buffered bytes are sent (at once if none are); does not wait, see
     * {@link #waitClosed()}. Closing twice does nothing more. Called by a task being cancelled (a shutdown), it
     * closes at once like {@link #abort()}, so that no flush outlives the shutdown.
     */
    public void close() {
        if (closing) {
            return;
        }
        Task<?> current = Task.currentOrNull();
        if (head < tail && error == null && current != null && current.cancelling() > 0) {
            abort();
            return;
        }
        closing = true;
        if ((head == tail && !sendingFile) || error != null) {
            closeTransport();
        } else {
            startFlusher();
        }
    }

    /** Closes the connection at once, dropping the bytes still buffered (asyncio's {@code transport.abort}). */
    public void abort() {
        closing = true;
        int dropped = tail - head;
        dropBuffer();
        if (dropped > 0 && error == null) {
            error = new ConnectionLost(
                    "connection with " + peer() + " aborted with " + dropped + " bytes unsent",
                    new ClosedChannelException());
        }
        closeTransport();
    }

    /**
     * Waits until the connection is closed: after {@link #close()}, once the buffered bytes are sent (for a child
     * process's stdin, once they are written to the pipe and the pipe is closed).
     *
     * @throws dev.spindle.task.Cancelled if cancelled while waiting; the close goes on
     */
    public void waitClosed() {
        Task<?> self = Suspension.currentTask("StreamWriter.waitClosed");
        while (!closed) {
            closeWaiters.park(self, null);
        }
        transport.awaitClosed();
    }

    /** Whether {@link #close()} or {@link #abort()} was called (asyncio's {@code is_closing}). */
    public boolean isClosing() {
        return closing;
    }

    // ---- the connection -------------------------------------------------------------------------------------

    /** This end's address: an {@link java.net.InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}. */
    public SocketAddress localAddress() {
        return transport.localAddress();
    }

    /** The peer's address. */
    public SocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    /** The TLS session of an encrypted connection; empty for plain TCP and Unix domain connections. */
    public Optional<SSLSession> tlsSession() {
        return transport instanceof dev.spindle.io.internal.TlsTransport tls
                ? Optional.ofNullable(tls.session())
                : Optional.empty();
    }

    /** The application protocol TLS's ALPN settled on ({@code "h2"}, {@code "http/1.1"}...), if any. */
    public Optional<String> alpnProtocol() {
        return transport instanceof dev.spindle.io.internal.TlsTransport tls
                ? tls.applicationProtocol()
                : Optional.empty();
    }

    /** The transport underneath. For Spindle's own modules (upgrading to TLS, for instance); not API. */
    public Transport transport() {
        return transport;
    }

    @Override
    public String toString() {
        return "StreamWriter[" + peer() + ", buffered=" + (tail - head) + (closing ? ", closing" : "")
                + (closed ? ", closed" : "") + (error != null ? ", failed" : "") + "]";
    }

    // ---- the buffer and its flush ---------------------------------------------------------------------------

    private void checkWritable() {
        if (upgrading) {
            throw new IllegalStateException("cannot write to " + peer() + " while startTls is handshaking");
        }
        if (closing || eofRequested) {
            throw new IllegalStateException(
                    "cannot write to " + peer() + " after " + (closing ? "close() or abort()" : "writeEof()"));
        }
        throwIfFailed();
    }

    private void throwIfFailed() {
        if (error != null) {
            throw error;
        }
    }

    /** Offers {@code src} to the kernel without waiting; a failure drops the buffer and is thrown. */
    private int tryWrite(ByteBuffer src) {
        try {
            return transport.tryWrite(src);
        } catch (IOException e) {
            fail(e);
            throw error;
        }
    }

    private void append(byte[] data, int off, int len) {
        reserve(len);
        System.arraycopy(data, off, buf, tail, len);
        tail += len;
    }

    /** Makes room for {@code len} more bytes at {@code tail}. */
    private void reserve(int len) {
        if (buf.length - tail >= len) {
            return;
        }
        int pending = tail - head;
        if (!flushing && pending + len <= buf.length) {
            System.arraycopy(buf, head, buf, 0, pending);
        } else {
            // A new array when growing, and also while the flusher holds a view of this one.
            int cap = pending + len <= buf.length
                    ? buf.length
                    : (int) Math.min(Integer.MAX_VALUE - 8, Math.max(pending + (long) len, buf.length * 2L));
            byte[] grown = new byte[Math.max(cap, 4096)];
            System.arraycopy(buf, head, grown, 0, pending);
            buf = grown;
        }
        head = 0;
        tail = pending;
    }

    private void consumed(int k) {
        head += k;
        if (head == tail) {
            head = 0;
            tail = 0;
            if (buf.length > KEEP) {
                buf = NOTHING;
            }
        }
    }

    private void dropBuffer() {
        head = 0;
        tail = 0;
        buf = NOTHING;
    }

    private void startFlusher() {
        if (flusher == null && !closed && !sendingFile) {
            flusher = Task.spawn(Loop.current(), "flush-" + peer(), this::flushLoop);
        }
    }

    /** The flush task: sends the buffer, waiting while the kernel's send buffer is full; then the EOF or close. */
    private void flushLoop() {
        try {
            while (head < tail && !closed) {
                int viewStart = head;
                ByteBuffer view = ByteBuffer.wrap(buf, head, Math.min(tail - head, MAX_IO));
                flushing = true;
                try {
                    transport.write(view);
                } finally {
                    flushing = false;
                    if (!closed) {
                        // head may have moved to a new array meanwhile, but the bytes written were the first ones
                        consumed(view.position() - viewStart);
                    }
                }
                if (tail - head <= low) {
                    drainers.wakeAll(Boolean.TRUE);
                }
            }
            if (!closed) {
                if (eofRequested) {
                    sendEof();
                }
                if (closing) {
                    closeTransport();
                }
            }
        } catch (IOException e) {
            if (!closed) {
                fail(e);
            }
        } finally {
            flusher = null;
            if (closing && !closed && head < tail) {
                closeTransport(); // cancelled (a shutdown): the close asked for must still happen
            }
        }
    }

    private void sendEof() {
        try {
            transport.shutdownOutput();
        } catch (IOException e) {
            fail(e);
        }
    }

    /** The connection failed: remember why, drop what can no longer be sent, release the waiters. */
    private void fail(IOException e) {
        int dropped = tail - head;
        dropBuffer();
        if (error == null) {
            String msg = "connection with " + peer() + " lost: " + Peers.reason(e)
                    + (dropped > 0 ? " (" + dropped + " bytes unsent)" : "");
            error = new ConnectionLost(msg, e);
        }
        drainers.wakeAll(Boolean.TRUE);
        if (closing) {
            closeTransport();
        }
    }

    private void closeTransport() {
        if (!closed) {
            closed = true;
            transport.close();
            drainers.wakeAll(Boolean.TRUE);
            closeWaiters.wakeAll(Boolean.TRUE);
        }
    }

    private String peer() {
        return Peers.describe(transport.remoteAddress());
    }
}
