/**
 * The client's machinery, not API: {@link dev.spindle.http.client.internal.ResponseDecoder} (the response codec,
 * bytes in and events out, no I/O), {@link dev.spindle.http.client.internal.ContentDecoder} (gzip and deflate),
 * {@link dev.spindle.http.client.internal.Exchange} (one request written and its head read),
 * {@link dev.spindle.http.client.internal.ResponseBody} (the body read with backpressure, and the one place a
 * connection goes back to the pool), {@link dev.spindle.http.client.internal.ConnectionPool} (per loop, per origin,
 * with limits and FIFO waiters) and {@link dev.spindle.http.client.internal.Deadline} (the timeouts of one request).
 *
 * <p>Everything here is confined to one loop; nothing locks.
 */
package dev.spindle.http.client.internal;
