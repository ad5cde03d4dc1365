package dev.spindle.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a method as a WebSocket endpoint (FastAPI's {@code @app.websocket}): its parameters are typed like a
 * route's (path, query, headers, cookies, dependencies), and a {@link dev.spindle.http.websocket.WebSocket}
 * parameter receives the connection, accepted once every other parameter was resolved.
 *
 * {@snippet :
 * @WebSocketRoute("/ws/{client_id}")
 * void chat(WebSocket ws, @Path("client_id") int clientId, @Query Optional<String> token) {
 *     for (Message m : ws) {
 *         ws.send("Client #" + clientId + " says: " + m.text());
 *     }
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Before accepting.</b> A request that is not a valid WebSocket opening, or whose parameters do not validate,
 *       or whose dependency raises {@link HTTPException}, is refused with an HTTP answer (403 with the validation
 *       errors, as an ASGI server does for a WebSocket closed before it was accepted). A refused handshake is an
 *       {@code HTTPException} for the app's exception handlers: its status (400, 403, or 426 with
 *       {@code Sec-WebSocket-Version: 13} and {@code Upgrade: websocket}), and {@code {"detail": "..."}} by default.
 *   <li><b>After.</b> When the method returns the WebSocket is closed (1000) if still open; if it throws, closed with
 *       1011. Middleware does not run for WebSocket requests (as Starlette's HTTP middleware).
 *   <li>Not in OpenAPI (which has no WebSockets).
 * </ul>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface WebSocketRoute {
    /** The path, with parameters in braces. */
    String value();
}
