package dev.spindle.http.websocket;

import dev.spindle.http.Request;

/**
 * Serves one accepted WebSocket, for {@link WebSocket#handler}: the request that opened it (its path, query,
 * headers, cookies) and the WebSocket. Runs in the connection's coroutine; may block.
 *
 * {@snippet :
 * WebSocketHandler chat = (req, ws) -> {
 *     String room = req.rawQuery();
 *     for (Message m : ws) {
 *         broadcast(room, m.text());
 *     }
 * };
 * }
 */
@FunctionalInterface
public interface WebSocketHandler {
    void handle(Request request, WebSocket webSocket) throws Exception;
}
