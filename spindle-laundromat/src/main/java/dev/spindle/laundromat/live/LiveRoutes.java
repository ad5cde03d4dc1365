package dev.spindle.laundromat.live;

import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.waitTasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.http.websocket.Message;
import dev.spindle.http.websocket.WebSocket;
import dev.spindle.laundromat.washes.Floor;
import dev.spindle.task.ReturnWhen;
import dev.spindle.task.Task;
import dev.spindle.web.Get;
import dev.spindle.web.WebSocketRoute;
import dev.spindle.web.responses.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Live machine states, two ways: a WebSocket at {@code /ws} and server-sent events at {@code /events}. Each first
 * sends a {@code snapshot} (every machine), then every change as it happens:
 *
 * {@snippet :
 * {"type":"snapshot","machines":[{"id":1,"state":"FREE",...},...]}
 * {"type":"machine","machine":{"id":3,"state":"WASHING","washId":7,"program":"cotton","endsAt":...,"totalMs":...}}
 * {"type":"ready","wash":7,"machine":3}
 * }
 *
 * <p>The SSE stream sends a comment every {@value #HEARTBEAT_SECONDS} s when nothing happens, which is how it finds
 * out that a client went away. A WebSocket ends when the client closes it; what the client sends is ignored.
 */
public final class LiveRoutes {
    static final long HEARTBEAT_SECONDS = 15;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveFeed feed;
    private final Floor floor;

    public LiveRoutes(LiveFeed feed, Floor floor) {
        this.feed = feed;
        this.floor = floor;
    }

    @Get(value = "/events", tags = "live", summary = "Machine states as server-sent events")
    public Response events() {
        return Response.events(es -> {
            try (LiveFeed.Subscription sub = feed.subscribe()) {
                es.send("snapshot", snapshot(), null);
                while (true) {
                    String event = sub.poll(Duration.ofSeconds(HEARTBEAT_SECONDS));
                    if (event == null) {
                        es.comment("heartbeat");
                    } else {
                        es.send(typeOf(event), event, null);
                    }
                }
            } catch (LiveFeed.Dropped closing) {
                // the feed closed (shutdown) or this client fell behind: end the stream
            }
        });
    }

    @WebSocketRoute("/ws")
    public void websocket(WebSocket ws) {
        try (LiveFeed.Subscription sub = feed.subscribe()) {
            ws.send(snapshot());
            Task<Void> reader = spawn("ws-reader", () -> {
                for (Message ignored : ws) {
                    // the client has nothing to say; the loop ends when it closes
                }
            });
            Task<Void> writer = spawn("ws-writer", () -> {
                while (true) {
                    ws.send(sub.next());
                }
            });
            try {
                waitTasks(List.of(reader, writer), ReturnWhen.FIRST_COMPLETED);
            } finally {
                reader.cancel();
                writer.cancel();
                waitTasks(List.of(reader, writer), ReturnWhen.ALL_COMPLETED);
            }
        }
    }

    String snapshot() {
        return json(Map.of("type", "snapshot", "machines", floor.machines()));
    }

    private static String typeOf(String event) {
        // events are {"type":"...",...} or {"machine":...,"type":...}: SSE clients may listen by type
        int i = event.indexOf("\"type\":\"");
        if (i < 0) {
            return "message";
        }
        int start = i + 8;
        int end = event.indexOf('"', start);
        return end < 0 ? "message" : event.substring(start, end);
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
