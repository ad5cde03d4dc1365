package dev.spindle.laundromat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.testservers.RedisServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live feeds seen by real clients (the JDK's HttpClient and WebSocket): a snapshot first, then a machine filling
 * when a wash starts, emptying when it ends, and the wash's ready event from the stream's consumers.
 */
class LiveTest {
    static RedisServer redis;
    static Laundromat shop;
    static Http http;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        shop = Laundromat.start(Servers.config(redis).speed(60).build()); // one minute: one second
        http = new Http(shop.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (shop != null) {
            shop.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void serverSentEventsShowAMachineFillAndEmpty() throws Exception {
        String token = http.signUp("sse-user");
        HttpResponse<InputStream> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(shop.baseUrl() + "/events"))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        LinkedBlockingQueue<String[]> events = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String type = "message";
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("event: ")) {
                        type = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        events.add(new String[] {type, line.substring(6)});
                        type = "message";
                    }
                }
            } catch (Exception closed) {
                // the test closed the stream
            }
        });
        try {
            String[] first = take(events);
            assertEquals("snapshot", first[0]);
            assertEquals(10, Http.JSON.readTree(first[1]).get("machines").size());

            Http.Reply started = http.post("/washes", Map.of("program", "quick", "minutes", 1), token);
            assertEquals(201, started.status(), started.text());
            long id = started.json().get("id").asLong();
            int machine = started.json().get("machine").asInt();

            JsonNode washing = nextMachineEvent(events, machine);
            assertEquals("WASHING", washing.get("state").asText());
            assertEquals(id, washing.get("washId").asLong());
            assertEquals("quick", washing.get("program").asText());
            assertTrue(washing.get("endsAt").asLong() > 0);
            boolean freed = false;
            boolean ready = false;
            while (!freed || !ready) { // the two come from different coroutines: either may be first
                String[] e = take(events);
                JsonNode j = Http.JSON.readTree(e[1]);
                if (e[0].equals("machine") && j.get("machine").get("id").asInt() == machine) {
                    assertEquals("FREE", j.get("machine").get("state").asText(), e[1]);
                    freed = true;
                } else if (e[0].equals("ready") && j.get("wash").asLong() == id) {
                    assertEquals(machine, j.get("machine").asInt());
                    ready = true;
                }
            }
        } finally {
            r.body().close();
            reader.interrupt();
        }
        // the server notices the client is gone (at its next event or heartbeat); the stream ends then
    }

    @Test
    void aWebSocketShowsAMachineFillAndEmpty() throws Exception {
        String token = http.signUp("ws-user");
        LinkedBlockingQueue<String[]> events = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(URI.create(shop.baseUrl().replace("http://", "ws://") + "/ws"), new WebSocket.Listener() {
                    final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                JsonNode j = Http.JSON.readTree(partial.toString());
                                events.add(new String[] {j.get("type").asText(), partial.toString()});
                            } catch (Exception e) {
                                events.add(new String[] {"bad", partial.toString()});
                            }
                            partial.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }
                })
                .get(30, TimeUnit.SECONDS);
        try {
            String[] first = take(events);
            assertEquals("snapshot", first[0], first[1]);
            Http.eventually(
                    "the socket subscribed",
                    () -> http.get("/health", null)
                                    .json()
                                    .get("liveSubscribers")
                                    .asInt()
                            >= 1);

            Http.Reply started = http.post("/washes", Map.of("program", "wool", "minutes", 2), token);
            assertEquals(201, started.status(), started.text());
            int machine = started.json().get("machine").asInt();
            assertEquals(
                    "WASHING", nextMachineEvent(events, machine).get("state").asText());
            assertEquals("FREE", nextMachineEvent(events, machine).get("state").asText());
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        }
        Http.eventually(
                "the socket's subscription ended",
                () -> http.get("/health", null).json().get("liveSubscribers").asInt() == 0);
    }

    private static JsonNode nextMachineEvent(LinkedBlockingQueue<String[]> events, int machine) throws Exception {
        while (true) {
            String[] e = take(events);
            if (e[0].equals("machine")) {
                JsonNode m = Http.JSON.readTree(e[1]).get("machine");
                if (m.get("id").asInt() == machine) {
                    return m;
                }
            }
        }
    }

    private static String[] take(LinkedBlockingQueue<String[]> events) throws InterruptedException {
        String[] e = events.poll(60, TimeUnit.SECONDS); // a hang guard
        if (e == null) {
            throw new AssertionError("no event within 60 s");
        }
        return e;
    }
}
