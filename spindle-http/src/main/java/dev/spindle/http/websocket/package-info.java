/**
 * WebSocket (RFC 6455) with permessage-deflate (RFC 7692): accepting WebSockets in an {@link dev.spindle.http.HttpServer}
 * handler and connecting to servers, Python {@code websockets}' job.
 *
 * {@snippet :
 * HttpServer server = HttpServer.start(WebSocket.handler((req, ws) -> {
 *     for (Message m : ws) {
 *         ws.send(m);
 *     }
 * }), 8000);
 * }
 *
 * <ul>
 *   <li>{@link dev.spindle.http.websocket.WebSocket}: one connection; for-each over its messages, send from any
 *       coroutine of its loop, ping, close.
 *   <li>{@link dev.spindle.http.websocket.MessageWriter}: a message of unknown length sent as fragments
 *       ({@link dev.spindle.http.websocket.WebSocket#startTextMessage()}); whole messages are split past
 *       {@link dev.spindle.http.websocket.WebSocketOptions#fragmentSize()}.
 *   <li>{@link dev.spindle.http.websocket.WebSocketClient}: {@code ws://} and {@code wss://} connections, or the
 *       handshake over a connection already open (an in-process server over a memory pair).
 *   <li>{@link dev.spindle.http.websocket.WebSocketOptions}: limits (1 MiB messages, 16 queued), compression,
 *       keepalive (20 s pings, 20 s to answer), timeouts.
 *   <li>{@link dev.spindle.http.websocket.Message}, {@link dev.spindle.http.websocket.CloseCode},
 *       {@link dev.spindle.http.websocket.WebSocketClosed}.
 * </ul>
 *
 * <p>Every WebSocket is confined to the loop it was opened on. The protocol's codec (frames, masking, UTF-8,
 * fragmentation, close payloads, deflate) lives in {@code internal}, free of I/O, and is tested byte by byte.
 */
package dev.spindle.http.websocket;
