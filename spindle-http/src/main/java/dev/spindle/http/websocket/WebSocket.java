package dev.spindle.http.websocket;

import dev.spindle.gen.AsyncIterable;
import dev.spindle.gen.AsyncIterator;
import dev.spindle.http.Handler;
import dev.spindle.http.Request;
import dev.spindle.http.Response;
import dev.spindle.http.websocket.internal.Handshake;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One WebSocket connection (RFC 6455), server or client side: a for-each over it reads messages, and {@code send},
 * {@code ping} and {@code close} may be called from any coroutine of its loop.
 *
 * {@snippet :
 * HttpServer.start(WebSocket.handler((req, ws) -> {
 *     for (Message m : ws) { // ends when the client closes normally
 *         ws.send(m);        // echo
 *     }
 * }), 8000);
 *
 * try (WebSocket ws = WebSocketClient.connect(URI.create("ws://127.0.0.1:8000/"))) {
 *     ws.send("hello");
 *     System.out.println(ws.receive().text());
 * } // close(1000) and its handshake
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Use it from coroutines of the loop it was opened on. Sends are serialized (a lock): a message
 *       goes out whole before the next, and may be sent from several coroutines at once. One coroutine at a time
 *       should receive (two share the messages, each getting some).
 *   <li><b>Reading.</b> A task of the loop reads frames as they come: it answers pings, records pongs, handles the
 *       close handshake, and queues whole messages, up to {@link WebSocketOptions#maxQueue()} (then it stops
 *       reading, so TCP slows the peer down). {@link #receive()} and the for-each take from that queue.
 *   <li><b>The end.</b> Messages that arrived before the peer's close are still received; then a receive throws
 *       {@link WebSocketClosed}, and a for-each ends (if the close was normal: 1000, 1001, or no code) or throws it.
 *       A broken rule of the protocol closes the connection with 1002, invalid UTF-8 with 1007, a message too big
 *       with 1009; an unanswered keepalive ping with 1011; a connection that just ends is 1006.
 *   <li><b>Closing.</b> {@link #close(int, String)} sends the close frame, drops messages not yet taken, and waits
 *       for the peer's close frame (at most {@link WebSocketOptions#closeTimeout()}); then the server closes the TCP
 *       connection, and a client waits for it to. Closing twice does nothing more.
 *   <li><b>Cancellation.</b> A cancelled receive takes no message. A cancelled send has either queued its whole frame
 *       or nothing (a frame is never cut). A cancelled close goes on in the background.
 *   <li><b>Server shutdown.</b> A WebSocket accepted by a server is closed with 1001 (going away) when the server
 *       begins a graceful shutdown; the handler's for-each then ends normally.
 * </ul>
 *
 * <h2>Pitfalls</h2>
 * A consumer that stops receiving for long also stops pings from being answered (the queue is full, so frames are not
 * read): the peer may then close the connection with its own ping timeout. Receive with a deadline
 * ({@link #receive(Duration)}) rather than not at all.
 */
public interface WebSocket extends AsyncIterable<Message>, AutoCloseable {
    /**
     * Completes the opening handshake of {@code request} (RFC 6455 §4.2) and returns the WebSocket, with default
     * options. See {@link #accept(Request, Response, WebSocketOptions)}.
     */
    static WebSocket accept(Request request, Response response) {
        return accept(request, response, WebSocketOptions.defaults());
    }

    /**
     * Checks that {@code request} is a valid WebSocket opening (a GET over HTTP/1.1 with {@code Upgrade: websocket},
     * {@code Connection: Upgrade}, {@code Sec-WebSocket-Version: 13}, a {@code Sec-WebSocket-Key} of 16 base64 bytes,
     * an origin the {@linkplain WebSocketOptions#originCheck() check} accepts), chooses a subprotocol and
     * permessage-deflate parameters, answers 101 with {@code Sec-WebSocket-Accept} and returns the WebSocket.
     * Close it before the handler returns (try-with-resources): the server then closes the TCP connection, and a
     * WebSocket still open would end without a close frame (the peer sees 1006). {@link #handler} does this.
     *
     * @throws WebSocketRejected if the request is not one: an {@link dev.spindle.http.HttpError} (400, 403, 405 with
     *     {@code Allow: GET}, or 426 with {@code Sec-WebSocket-Version: 13} and {@code Upgrade: websocket}); nothing
     *     was sent, so let it propagate and the server answers it (the connection stays open for the next request)
     * @throws IllegalStateException if the response was already committed
     */
    static WebSocket accept(Request request, Response response, WebSocketOptions options) {
        return Handshake.accept(
                Objects.requireNonNull(request, "request"),
                Objects.requireNonNull(response, "response"),
                Objects.requireNonNull(options, "options"));
    }

    /** {@link #handler(WebSocketOptions, WebSocketHandler)} with default options. */
    static Handler handler(WebSocketHandler handler) {
        return handler(WebSocketOptions.defaults(), handler);
    }

    /**
     * A server {@link Handler} that accepts each request as a WebSocket and runs {@code handler} with it: a
     * rejected handshake's {@link WebSocketRejected} propagates (the server answers it) and {@code handler} is not
     * run; when {@code handler} returns, the WebSocket is closed with 1000 (or 1011 if it threw); a
     * {@link WebSocketClosed} it lets out ends it quietly.
     */
    static Handler handler(WebSocketOptions options, WebSocketHandler handler) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        return (req, res) -> Handshake.serve(req, res, options, handler);
    }

    /**
     * The next message, waiting for it.
     *
     * @throws WebSocketClosed once the WebSocket is closed and the messages received before are taken
     * @throws dev.spindle.task.Cancelled if cancelled while waiting; no message was taken
     */
    Message receive();

    /**
     * {@link #receive()} waiting at most {@code timeout}.
     *
     * @throws dev.spindle.time.TimedOut if no message came in time; the WebSocket stays open
     */
    Message receive(Duration timeout);

    /**
     * The messages, for a for-each: ends when the WebSocket closes normally (1000, 1001, no code), throws
     * {@link WebSocketClosed} when it closes otherwise. Closing the iterator leaves the WebSocket open.
     */
    @Override
    AsyncIterator<Message> iterator();

    /**
     * Sends a text message (compressed if permessage-deflate was negotiated); waits while the connection's send
     * buffer is above its high-water mark. A message longer than {@link WebSocketOptions#fragmentSize()} (when set)
     * goes out as several frames, all queued before the wait, so a cancelled send has queued the whole message or
     * nothing.
     *
     * @throws WebSocketClosed if the WebSocket is closed or closing
     */
    void send(String text);

    /** Sends a binary message; see {@link #send(String)}. */
    void send(byte[] data);

    /** Sends {@code message} as it is (a received message is sent again without re-encoding); see {@link #send(String)}. */
    void send(Message message);

    /**
     * Starts a text message of unknown length, sent as fragments as it is written (see {@link MessageWriter}); the
     * peer receives one message when the writer is closed. Waits while another coroutine's message is being sent.
     *
     * {@snippet :
     * try (MessageWriter out = ws.startTextMessage()) {
     *     out.write("{\"rows\": [");
     *     // ... as many rows as there are, never the whole message in memory
     *     out.write("]}");
     * }
     * }
     *
     * @throws WebSocketClosed if the WebSocket is closed or closing
     */
    MessageWriter startTextMessage();

    /** A binary message of unknown length; see {@link #startTextMessage()}. */
    MessageWriter startBinaryMessage();

    /**
     * Sends a ping and waits for its pong; returns the round-trip time. A pong answers the ping with the same
     * payload and every one sent before it.
     *
     * @throws WebSocketClosed if the WebSocket closes first
     */
    Duration ping();

    /**
     * Sends a ping with {@code payload} (at most 125 bytes) and waits for the matching pong.
     *
     * @throws IllegalArgumentException for a payload over 125 bytes
     * @throws IllegalStateException if a ping with the same payload is waiting already
     */
    Duration ping(byte[] payload);

    /** Sends an unsolicited pong (a heartbeat the peer need not answer); at most 125 bytes. */
    void pong(byte[] payload);

    /** {@link #close(int, String) close(1000, "")}. */
    @Override
    void close();

    /**
     * Starts the closing handshake with {@code code} and {@code reason} and waits for it to end (see the class
     * documentation). Does nothing if the WebSocket is closing or closed already.
     *
     * @throws IllegalArgumentException for a code that may not be sent ({@link CloseCode#isSendable}) or a reason
     *     longer than 123 UTF-8 bytes
     */
    void close(int code, String reason);

    /** Waits until the WebSocket is closed, however that happens. */
    void waitClosed();

    /** Whether messages may still be sent: no close frame was sent or received, and the connection is up. */
    boolean isOpen();

    /** How the WebSocket closed, once it has; empty while it is open or closing. */
    Optional<WebSocketClosed> closeStatus();

    /** The subprotocol the handshake agreed on, if any. */
    Optional<String> subprotocol();

    /** Whether permessage-deflate was negotiated. */
    boolean isCompressed();

    SocketAddress remoteAddress();

    SocketAddress localAddress();
}
