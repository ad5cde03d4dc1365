/**
 * Testing an app: {@link dev.spindle.web.testing.TestClient} calls it in-process or over a real socket, with cookies,
 * JSON and form helpers, WebSockets and the lifespan run around it.
 */
package dev.spindle.web.testing;
