/**
 * The WebSocket implementation. The codec is pure (bytes in, values out, no I/O): {@link
 * dev.spindle.http.websocket.internal.FrameDecoder} and {@link dev.spindle.http.websocket.internal.FrameEncoder} for
 * frames, {@link dev.spindle.http.websocket.internal.MessageAssembler} for fragmentation, UTF-8 and size,
 * {@link dev.spindle.http.websocket.internal.PerMessageDeflate} and {@link
 * dev.spindle.http.websocket.internal.DeflateParams} for RFC 7692, {@link dev.spindle.http.websocket.internal.CloseFrames}
 * for close payloads. {@link dev.spindle.http.websocket.internal.Handshake} and {@link
 * dev.spindle.http.websocket.internal.ClientHandshake} open connections; {@link
 * dev.spindle.http.websocket.internal.Session} runs one (its overview says which coroutine owns what). Every codec
 * error is a {@link dev.spindle.http.websocket.internal.ProtocolError} carrying the close code it calls for.
 */
package dev.spindle.http.websocket.internal;
