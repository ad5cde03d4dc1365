/**
 * Live machine states: {@link dev.spindle.laundromat.live.LiveFeed} fans events out to subscribers without ever
 * waiting on a slow one; {@link dev.spindle.laundromat.live.LiveRoutes} serves them over a WebSocket ({@code /ws})
 * and as server-sent events ({@code /events}).
 *
 * {@snippet lang=text :
 * curl -N localhost:8000/events
 * event: snapshot
 * data: {"type":"snapshot","machines":[...]}
 * }
 */
package dev.spindle.laundromat.live;
