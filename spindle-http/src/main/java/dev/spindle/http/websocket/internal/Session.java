package dev.spindle.http.websocket.internal;

import dev.spindle.Spindle;
import dev.spindle.gen.AsyncIterator;
import dev.spindle.http.websocket.CloseCode;
import dev.spindle.http.websocket.Message;
import dev.spindle.http.websocket.MessageWriter;
import dev.spindle.http.websocket.WebSocket;
import dev.spindle.http.websocket.WebSocketClosed;
import dev.spindle.http.websocket.WebSocketOptions;
import dev.spindle.io.ConnectionLost;
import dev.spindle.io.StreamReader;
import dev.spindle.io.StreamWriter;
import dev.spindle.loop.Loop;
import dev.spindle.queue.LoopQueue;
import dev.spindle.queue.QueueFull;
import dev.spindle.queue.QueueShutDown;
import dev.spindle.sync.Held;
import dev.spindle.sync.LoopEvent;
import dev.spindle.sync.LoopLock;
import dev.spindle.task.Cancelled;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import dev.spindle.time.TimeoutScope;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One WebSocket connection, either side: the {@link WebSocket} users hold.
 *
 * <h2>Implementation overview</h2>
 * Three kinds of coroutine touch a session, all on its loop:
 * <ul>
 *   <li>The <b>reader task</b> ({@link #readLoop}) owns the {@link StreamReader}, the {@link FrameDecoder}, the
 *       {@link MessageAssembler} and the inflating half of {@link PerMessageDeflate}. It answers pings, completes
 *       pings on pongs, puts messages in {@link #inbox}, and runs the close handshake when a close frame arrives. It
 *       alone fails the connection for a protocol error ({@link #fail}): it alone may read on after that.
 *   <li><b>Senders</b>: user coroutines, the reader (pongs, the close reply) and the keepalive task. Every frame is
 *       written under {@link #sendLock}, whole, followed by a drain: frames never interleave and backpressure
 *       applies to everyone.
 *   <li>The <b>keepalive task</b> pings every interval and fails the connection with 1011 if no pong comes in time.
 * </ul>
 *
 * <h2>States</h2>
 * <pre>
 *   OPEN ──close sent──▶ CLOSING ──close received / timeout / error──▶ CLOSED
 *     └──────close received (reply sent) / error / connection lost──────▶ CLOSED
 * </pre>
 * {@link #finish} moves to CLOSED once: it records how ({@link #closed}), shuts the inbox down (receivers take what is
 * left, then get {@link WebSocketClosed}), fails waiting pings, cancels the other tasks and frees zlib memory.
 */
public final class Session implements WebSocket {
    private static final System.Logger LOG = System.getLogger("dev.spindle.http.websocket");
    /** Above this, an unmasked payload is written after its header instead of copied behind it. */
    private static final int COPY_LIMIT = 16 * 1024;

    private enum State {
        OPEN,
        CLOSING,
        CLOSED
    }

    private final boolean client;
    private final StreamReader reader;
    private final StreamWriter writer;
    private final WebSocketOptions options;
    private final FrameDecoder decoder;
    private final FrameEncoder encoder;
    private final MessageAssembler assembler;
    private final PerMessageDeflate deflate;
    private final String subprotocol;
    private final Loop loop;

    private final LoopLock sendLock = new LoopLock();
    /**
     * Held by a data message from its first frame to its last: a streamed message ({@link StreamedMessage}) holds it
     * across many frames, taking {@link #sendLock} per frame so control frames may go between its fragments.
     */
    private final LoopLock messageLock = new LoopLock();

    private final LoopQueue<Message> inbox;
    private final LoopEvent done = new LoopEvent();
    /** Pings waiting for their pong, oldest first. */
    private final ArrayDeque<Ping> pings = new ArrayDeque<>();

    private final int[] compressedEnd = new int[1];

    // Loop-confined.
    private State state = State.OPEN;
    private boolean closeSent;
    private int sentCode;
    private String sentReason = "";
    private WebSocketClosed closed;
    private Task<Void> readerTask;
    private Task<Void> keepaliveTask;

    private record Ping(byte[] payload, LoopFuture<Long> pong, long sentAt) {}

    private Session(
            boolean client,
            StreamReader reader,
            StreamWriter writer,
            WebSocketOptions options,
            DeflateParams deflateParams,
            String subprotocol) {
        this.client = client;
        this.reader = reader;
        this.writer = writer;
        this.options = options;
        this.deflate = deflateParams == null
                ? null
                : new PerMessageDeflate(deflateParams, !client, options.compressionLevel());
        this.decoder = new FrameDecoder(!client, deflate != null, options.maxMessageSize());
        this.encoder = new FrameEncoder(client);
        this.assembler = new MessageAssembler(options.maxMessageSize(), deflate);
        this.subprotocol = subprotocol;
        this.inbox = LoopQueue.fifo(options.maxQueue());
        this.loop = Task.current().loop();
    }

    /**
     * Opens a session over a connection whose handshake is done, and starts its reader (and keepalive) tasks on the
     * current loop.
     *
     * @param client which side this is (a client masks, a server expects masks)
     * @param buffered bytes already read past the handshake: the first frames
     */
    public static Session open(
            boolean client,
            StreamReader reader,
            StreamWriter writer,
            byte[] buffered,
            WebSocketOptions options,
            DeflateParams deflate,
            String subprotocol) {
        Session s = new Session(client, reader, writer, options, deflate, subprotocol);
        if (buffered.length > 0) {
            s.decoder.feed(buffered, 0, buffered.length);
        }
        String peer = String.valueOf(writer.remoteAddress());
        s.readerTask = Spindle.spawn("websocket-reader " + peer, s::readLoop);
        if (!options.pingInterval().isZero()) {
            s.keepaliveTask = Spindle.spawn("websocket-keepalive " + peer, s::keepalive);
        }
        return s;
    }

    // ---- receiving ------------------------------------------------------------------------------------------

    @Override
    public Message receive() {
        try {
            return inbox.get();
        } catch (QueueShutDown e) {
            throw closedError();
        }
    }

    @Override
    public Message receive(Duration timeout) {
        return TimeoutScope.after(timeout).run(this::receive);
    }

    @Override
    public AsyncIterator<Message> iterator() {
        return new AsyncIterator<>() {
            private Message next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (ended) {
                    return false;
                }
                try {
                    next = receive();
                    return true;
                } catch (WebSocketClosed e) {
                    ended = true;
                    if (e.isNormal()) {
                        return false;
                    }
                    throw e;
                }
            }

            @Override
            public Message next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the WebSocket is closed");
                }
                Message m = next;
                next = null;
                return m;
            }

            @Override
            public void close() {
                ended = true;
            }
        };
    }

    private WebSocketClosed closedError() {
        WebSocketClosed c = closed;
        if (c == null) {
            return new WebSocketClosed(sentCode, sentReason, null); // closing: our close frame is out
        }
        // a fresh exception, so the stack trace shows the caller; the first one is the cause
        return new WebSocketClosed(c.code(), c.reason(), c);
    }

    // ---- the reader task ------------------------------------------------------------------------------------

    private void readLoop() {
        try {
            while (true) {
                Frame f;
                while ((f = decoder.next()) == null) {
                    ByteBuffer space = decoder.space();
                    int n = reader.read(space);
                    if (state == State.CLOSED) {
                        return;
                    }
                    if (n < 0) {
                        finish(CloseCode.ABNORMAL_CLOSURE, "the connection ended without a close frame", null);
                        return;
                    }
                    decoder.filled(n);
                }
                if (!onFrame(f)) {
                    return;
                }
            }
        } catch (ProtocolError e) {
            fail(e.closeCode(), e.getMessage());
        } catch (ConnectionLost e) {
            finish(CloseCode.ABNORMAL_CLOSURE, "connection lost: " + e.getMessage(), e);
        } catch (QueueShutDown | WebSocketClosed e) {
            // finished meanwhile
        } catch (Cancelled e) {
            finish(CloseCode.ABNORMAL_CLOSURE, "cancelled", null);
            throw e;
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "WebSocket reader failed", e);
            abortTransport();
            finish(CloseCode.INTERNAL_ERROR, "internal error: " + e, e);
        }
    }

    /** Handles one frame; returns false once the connection is done. */
    private boolean onFrame(Frame f) {
        switch (f.opcode()) {
            case Opcode.PING -> {
                if (!closeSent) {
                    sendFrame(Opcode.PONG, f.payload(), 0, f.payload().length, false, true);
                }
            }
            case Opcode.PONG -> onPong(f.payload());
            case Opcode.CLOSE -> {
                onClose(f.payload());
                return false;
            }
            default -> {
                Message m = assembler.accept(f);
                if (m != null) {
                    deliver(m);
                }
            }
        }
        return true;
    }

    private void deliver(Message m) {
        if (closeSent) {
            try {
                inbox.putNowait(m); // nobody may take it after close(): never wait for room
            } catch (QueueFull e) {
                // dropped: close() said messages not yet taken are
            }
        } else {
            inbox.put(m);
        }
    }

    private void onPong(byte[] payload) {
        Ping match = null;
        for (Ping p : pings) {
            if (Arrays.equals(p.payload, payload)) {
                match = p;
                break;
            }
        }
        if (match == null) {
            return; // unsolicited, allowed (§5.5.3)
        }
        long now = loop.nanoTime();
        while (true) {
            Ping p = pings.pollFirst();
            p.pong.setResult(now - p.sentAt);
            if (p == match) {
                return;
            }
        }
    }

    /** The peer's close frame: reply if we did not start, then end the TCP connection as §7.1.1 says. */
    private void onClose(byte[] payload) {
        CloseFrames.Close c = CloseFrames.parse(payload);
        if (!closeSent) {
            // echo the code (§5.5.1); a close without one is answered without one
            byte[] reply = c.code() == CloseFrames.NO_STATUS ? new byte[0] : CloseFrames.payload(c.code(), "");
            try {
                writeClose(reply, c.code(), "");
            } catch (WebSocketClosed e) {
                return; // the connection failed while replying: finished already
            }
        }
        if (client) {
            awaitEof(); // the server closes the TCP connection first (§7.1.1)
        }
        writer.close();
        finish(c.code(), c.reason(), null);
    }

    /**
     * Fails the connection for a protocol error (§7.1.7): sends the close frame, then stops sending, reads and drops
     * what the peer still sends until it closes (so our close frame is not lost to a reset), at most the close
     * timeout.
     */
    private void fail(int code, String reason) {
        LOG.log(System.Logger.Level.DEBUG, "failing WebSocket with {0}: {1} {2}", writer.remoteAddress(), code, reason);
        String r = CloseFrames.truncate(reason);
        if (!closeSent) {
            try {
                writeClose(CloseFrames.payload(code, r), code, r);
            } catch (WebSocketClosed e) {
                finish(code, reason, null);
                return;
            }
        }
        try {
            writer.writeEof();
        } catch (RuntimeException e) {
            // the connection is going anyway
        }
        awaitEof();
        writer.close();
        finish(code, reason, null);
    }

    /** Reads and drops bytes until the peer closes, at most the close timeout; then aborts if it did not. */
    private void awaitEof() {
        try {
            TimeoutScope.after(options.closeTimeout()).run(() -> {
                ByteBuffer sink = ByteBuffer.allocate(4096);
                while (reader.read(sink) >= 0) {
                    sink.clear();
                }
                return null;
            });
        } catch (TimedOut | ConnectionLost e) {
            abortTransport();
        }
    }

    // ---- keepalive ------------------------------------------------------------------------------------------

    private void keepalive() {
        try {
            while (true) {
                Spindle.sleep(options.pingInterval());
                if (state != State.OPEN) {
                    return;
                }
                byte[] payload = new byte[4];
                ThreadLocalRandom.current().nextBytes(payload);
                try {
                    TimeoutScope.after(options.pingTimeout()).run(() -> ping(payload));
                } catch (TimedOut e) {
                    LOG.log(
                            System.Logger.Level.DEBUG,
                            "WebSocket with {0}: keepalive ping timed out",
                            writer.remoteAddress());
                    failFromOutside(CloseCode.INTERNAL_ERROR, "keepalive ping timeout");
                    return;
                }
            }
        } catch (WebSocketClosed e) {
            // ended
        }
    }

    /**
     * Fails the connection from another coroutine than the reader (which may be parked in a read we cannot share):
     * a close frame if the send lock is free, then the connection is closed and the reader cancelled.
     */
    private void failFromOutside(int code, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        if (!closeSent && sendLock.tryAcquire()) {
            try {
                closeSent = true;
                sentCode = code;
                sentReason = reason;
                state = State.CLOSING;
                writeFrame(Opcode.CLOSE, CloseFrames.payload(code, reason), false);
            } catch (ConnectionLost e) {
                // going anyway
            } finally {
                sendLock.release();
            }
        }
        if (writer.writeBufferSize() > 0) {
            abortTransport(); // the peer does not read: do not wait for it
        } else {
            writer.close();
        }
        finish(code, reason, null);
    }

    // ---- sending --------------------------------------------------------------------------------------------

    @Override
    public void send(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        sendMessage(Opcode.TEXT, b, 0, b.length);
    }

    @Override
    public void send(byte[] data) {
        sendMessage(Opcode.BINARY, data, 0, data.length);
    }

    @Override
    public void send(Message message) {
        byte[] b = message.data();
        sendMessage(message.isText() ? Opcode.TEXT : Opcode.BINARY, b, 0, b.length);
    }

    /** A whole data message: one frame, or fragments of {@code fragmentSize} all queued before one drain. */
    private void sendMessage(int opcode, byte[] p, int off, int len) {
        if (closed != null || closeSent) {
            throw closedError();
        }
        try (Held message = messageLock.acquire()) {
            int frag = options.fragmentSize();
            if (frag == 0 || (len <= frag && deflate == null)) {
                sendFrame(opcode, p, off, len, true, false);
            } else {
                sendFragmented(opcode, p, off, len, frag);
            }
        }
    }

    private void sendFragmented(int opcode, byte[] p, int off, int len, int frag) {
        try (Held held = sendLock.acquire()) {
            if (closed != null || closeSent) {
                throw closedError();
            }
            byte[] payload = p;
            int start = off;
            int end = off + len;
            boolean rsv1 = false;
            if (deflate != null) { // compressed whole, then split (RFC 7692 §6.1: RSV1 on the first frame only)
                payload = deflate.compress(p, off, len, compressedEnd);
                start = FrameEncoder.MAX_HEADER;
                end = compressedEnd[0];
                rsv1 = true;
            }
            int pos = start;
            do {
                int n = Math.min(frag, end - pos);
                boolean first = pos == start;
                writeFrame(first ? opcode : Opcode.CONTINUATION, pos + n == end, first && rsv1, payload, pos, n);
                pos += n;
            } while (pos < end);
            writer.drain();
        } catch (ConnectionLost e) {
            finish(CloseCode.ABNORMAL_CLOSURE, "connection lost: " + e.getMessage(), e);
            throw closedError();
        }
    }

    @Override
    public MessageWriter startTextMessage() {
        return startMessage(Opcode.TEXT);
    }

    @Override
    public MessageWriter startBinaryMessage() {
        return startMessage(Opcode.BINARY);
    }

    private MessageWriter startMessage(int opcode) {
        if (closed != null || closeSent) {
            throw closedError();
        }
        messageLock.acquire(); // released by the writer's close
        if (closed != null || closeSent) {
            messageLock.release();
            throw closedError();
        }
        int frag = options.fragmentSize() > 0 ? options.fragmentSize() : WebSocketOptions.STREAM_FRAGMENT;
        return new StreamedMessage(opcode, frag);
    }

    /**
     * A streamed message: gathers up to {@code frag} bytes, sends them as a frame (under the send lock, then drains),
     * and the rest as the final frame on close. Holds {@link #messageLock} from start to close.
     */
    private final class StreamedMessage implements MessageWriter {
        private final int opcode;
        private final int frag;
        private byte[] buf = new byte[0];
        private int size;
        private boolean first = true;
        private boolean ended;

        StreamedMessage(int opcode, int frag) {
            this.opcode = opcode;
            this.frag = frag;
        }

        @Override
        public void write(byte[] data) {
            write(data, 0, data.length);
        }

        @Override
        public void write(String text) {
            write(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void write(byte[] data, int off, int len) {
            Objects.checkFromIndexSize(off, len, data.length);
            checkNotEnded();
            while (len > 0) {
                if (size == buf.length) {
                    buf = Arrays.copyOf(buf, Math.min(frag, Math.max(8192, buf.length * 2)));
                }
                int n = Math.min(len, buf.length - size);
                System.arraycopy(data, off, buf, size, n);
                size += n;
                off += n;
                len -= n;
                if (size == frag) {
                    sendFragment(false);
                }
            }
        }

        @Override
        public void flush() {
            checkNotEnded();
            if (size > 0) {
                sendFragment(false);
            }
        }

        @Override
        public void close() {
            if (ended) {
                return;
            }
            ended = true;
            try {
                sendFragment(true);
            } catch (WebSocketClosed e) {
                throw e;
            } catch (RuntimeException | Error e) {
                // the message cannot be finished: nothing else may be sent on this connection
                abortTransport();
                finish(CloseCode.ABNORMAL_CLOSURE, "a fragmented message was left unfinished", e);
                throw e;
            } finally {
                buf = null;
                messageLock.release();
            }
        }

        @Override
        public java.io.OutputStream asOutputStream() {
            return new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    StreamedMessage.this.write(new byte[] {(byte) b});
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    StreamedMessage.this.write(b, off, len);
                }

                @Override
                public void flush() {
                    StreamedMessage.this.flush();
                }

                @Override
                public void close() {
                    StreamedMessage.this.close();
                }
            };
        }

        private void checkNotEnded() {
            if (ended) {
                throw new IllegalStateException("the streamed message is closed");
            }
        }

        private void sendFragment(boolean fin) {
            if (closed != null || closeSent) {
                throw closedError();
            }
            try (Held held = sendLock.acquire()) {
                if (closed != null || closeSent) {
                    throw closedError();
                }
                byte[] payload = buf;
                int start = 0;
                int end = size;
                boolean rsv1 = false;
                if (deflate != null && !(first && fin && size == 0)) {
                    payload = deflate.compressFragment(buf, 0, size, fin, compressedEnd);
                    start = FrameEncoder.MAX_HEADER;
                    end = compressedEnd[0];
                    rsv1 = first;
                }
                writeFrame(first ? opcode : Opcode.CONTINUATION, fin, rsv1, payload, start, end - start);
                first = false;
                size = 0;
                writer.drain();
            } catch (ConnectionLost e) {
                finish(CloseCode.ABNORMAL_CLOSURE, "connection lost: " + e.getMessage(), e);
                throw closedError();
            }
        }
    }

    @Override
    public Duration ping() {
        byte[] payload = new byte[4];
        ThreadLocalRandom.current().nextBytes(payload);
        return ping(payload);
    }

    @Override
    public Duration ping(byte[] payload) {
        checkControlPayload(payload);
        for (Ping p : pings) {
            if (Arrays.equals(p.payload, payload)) {
                throw new IllegalStateException("a ping with the same payload is already waiting for its pong");
            }
        }
        if (closed != null || closeSent) {
            throw closedError();
        }
        Ping ping = new Ping(payload.clone(), new LoopFuture<>(loop), loop.nanoTime());
        pings.addLast(ping);
        try {
            sendFrame(Opcode.PING, ping.payload, 0, payload.length, false, false);
            return Duration.ofNanos(ping.pong.await());
        } finally {
            pings.remove(ping); // a cancelled wait leaves nothing behind
        }
    }

    @Override
    public void pong(byte[] payload) {
        checkControlPayload(payload);
        sendFrame(Opcode.PONG, payload, 0, payload.length, false, false);
    }

    private static void checkControlPayload(byte[] payload) {
        if (payload.length > 125) {
            throw new IllegalArgumentException("a control frame's payload is at most 125 bytes, not " + payload.length);
        }
    }

    /**
     * Sends one frame under the send lock and drains. {@code fromReader}: a pong the reader owes; skipped quietly
     * if a close frame went out meanwhile.
     */
    private void sendFrame(int opcode, byte[] p, int off, int len, boolean compressible, boolean fromReader) {
        if (closed != null || closeSent) {
            if (fromReader) {
                return;
            }
            throw closedError();
        }
        try (Held held = sendLock.acquire()) {
            if (closed != null || closeSent) {
                if (fromReader) {
                    return;
                }
                throw closedError();
            }
            writeFrame(opcode, p, off, len, compressible);
            writer.drain();
        } catch (ConnectionLost e) {
            finish(CloseCode.ABNORMAL_CLOSURE, "connection lost: " + e.getMessage(), e);
            throw closedError();
        }
    }

    private void writeFrame(int opcode, byte[] p, boolean compressible) {
        writeFrame(opcode, p, 0, p.length, compressible);
    }

    /** Writes a whole frame (never waits: the writer buffers what the kernel does not take). */
    private void writeFrame(int opcode, byte[] p, int off, int len, boolean compressible) {
        if (compressible && deflate != null) {
            byte[] buf = deflate.compress(p, off, len, compressedEnd);
            int end = compressedEnd[0];
            int start = encoder.frameInPlace(
                    buf, FrameEncoder.MAX_HEADER, end - FrameEncoder.MAX_HEADER, opcode, true, true);
            writer.write(buf, start, end - start);
        } else if (!encoder.masks() && len > COPY_LIMIT) {
            byte[] h = new byte[encoder.headerSize(len)];
            encoder.writeHeader(h, 0, opcode, true, false, len);
            writer.write(h);
            writer.write(p, off, len);
        } else {
            writer.write(encoder.frame(opcode, true, false, p, off, len));
        }
    }

    /** Writes one frame of any kind as it is (never waits). */
    private void writeFrame(int opcode, boolean fin, boolean rsv1, byte[] p, int off, int len) {
        if (!encoder.masks() && len > COPY_LIMIT) {
            byte[] h = new byte[encoder.headerSize(len)];
            encoder.writeHeader(h, 0, opcode, fin, rsv1, len);
            writer.write(h);
            writer.write(p, off, len);
        } else {
            writer.write(encoder.frame(opcode, fin, rsv1, p, off, len));
        }
    }

    /**
     * Sends a close frame, once; the drain is bounded by the close timeout (a peer that does not read gets its
     * connection aborted).
     *
     * @throws WebSocketClosed if the connection failed meanwhile
     */
    private void writeClose(byte[] payload, int code, String reason) {
        try (Held held = sendLock.acquire()) {
            if (closeSent || closed != null) {
                return;
            }
            closeSent = true;
            sentCode = code;
            sentReason = reason;
            state = State.CLOSING;
            writeFrame(Opcode.CLOSE, payload, false);
            TimeoutScope.after(options.closeTimeout()).run(() -> {
                writer.drain();
                return null;
            });
        } catch (ConnectionLost | TimedOut e) {
            abortTransport();
            finish(CloseCode.ABNORMAL_CLOSURE, "connection lost while closing: " + e.getMessage(), e);
            throw closedError();
        }
    }

    // ---- closing --------------------------------------------------------------------------------------------

    @Override
    public void close() {
        close(CloseCode.NORMAL_CLOSURE, "");
    }

    @Override
    public void close(int code, String reason) {
        byte[] payload = CloseFrames.payload(code, reason);
        if (state == State.CLOSED) {
            return;
        }
        if (!closeSent) {
            try {
                writeClose(payload, code, reason);
            } catch (WebSocketClosed e) {
                return;
            }
        }
        // messages nobody will take: drop them, so that a reader waiting for room reaches the peer's close frame
        while (!inbox.isEmpty()) {
            inbox.getNowait();
        }
        try {
            TimeoutScope.after(options.closeTimeout()).run(() -> {
                done.await();
                return null;
            });
        } catch (TimedOut e) {
            abortTransport();
            finish(CloseCode.ABNORMAL_CLOSURE, "the peer did not answer the close frame in time", null);
        }
    }

    /** The server's shutdown hook: close with 1001 in a task of its own (hooks must not wait). */
    void goingAway() {
        if (state == State.OPEN) {
            Task.spawn(loop, "websocket-going-away " + writer.remoteAddress(), () -> {
                try {
                    close(CloseCode.GOING_AWAY, "server shutting down");
                } catch (RuntimeException e) {
                    // closed some other way meanwhile
                }
            });
        }
    }

    @Override
    public void waitClosed() {
        done.await();
    }

    private void abortTransport() {
        writer.abort();
    }

    /** Moves to CLOSED, once (see the class overview). */
    private void finish(int code, String reason, Throwable cause) {
        if (closed != null) {
            return;
        }
        closed = new WebSocketClosed(code, reason, cause);
        state = State.CLOSED;
        inbox.shutdown();
        done.set();
        for (Iterator<Ping> it = pings.iterator(); it.hasNext(); ) {
            it.next().pong.setException(new WebSocketClosed(code, reason, cause));
            it.remove();
        }
        Task<?> me = Task.currentOrNull();
        if (keepaliveTask != null && keepaliveTask != me) {
            keepaliveTask.cancel();
        }
        if (readerTask != null && readerTask != me) {
            readerTask.cancel();
        }
        if (!writer.isClosing()) {
            writer.close();
        }
        if (deflate != null) {
            deflate.close();
        }
    }

    // ---- facts ----------------------------------------------------------------------------------------------

    @Override
    public boolean isOpen() {
        return state == State.OPEN;
    }

    @Override
    public Optional<WebSocketClosed> closeStatus() {
        return Optional.ofNullable(closed);
    }

    @Override
    public Optional<String> subprotocol() {
        return Optional.ofNullable(subprotocol);
    }

    @Override
    public boolean isCompressed() {
        return deflate != null;
    }

    @Override
    public SocketAddress remoteAddress() {
        return writer.remoteAddress();
    }

    @Override
    public SocketAddress localAddress() {
        return writer.localAddress();
    }

    @Override
    public String toString() {
        return "WebSocket[" + (client ? "client to " : "server for ") + writer.remoteAddress() + ", " + state
                + (closed != null ? ", " + closed.code() : "") + (deflate != null ? ", deflate" : "") + "]";
    }
}
