package dev.spindle.laundromat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.Spindle;
import dev.spindle.mysql.MySqlOptions;
import dev.spindle.mysql.MySqlPool;
import dev.spindle.mysql.PoolOptions;
import dev.spindle.mysql.Row;
import dev.spindle.testservers.RedisServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service as a separate process, killed mid-load (SIGKILL) and restarted: no wash that was answered 201 is lost,
 * each ends DONE (or CANCELLED if its customer cancelled it) and gets its ready notification; and stopped by SIGTERM
 * (what Ctrl-C does): running washes are saved PAUSED with their remaining time and resumed by the next start.
 */
class CrashAndRestartTest {
    static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        Servers.mariadb();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    record Accepted(long id, String token) {}

    @Test
    void aKillMidLoadLosesNoAcceptedWash() throws Exception {
        String db = Servers.freshDatabaseUrl();
        List<String> args = List.of("--redis=" + redis.url(), "--mysql=" + db, "--speed=60", "--machines=30");
        try (ServiceProcess service = new ServiceProcess("crash-test-service", args)) {
            service.start();
            Http http = new Http(service.baseUrl());
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                tokens.add(http.signUp("crash" + i));
            }
            Map<Long, Accepted> accepted = new ConcurrentHashMap<>();
            Set<Long> cancelSent = ConcurrentHashMap.newKeySet();
            Set<Long> cancelAnswered = ConcurrentHashMap.newKeySet();
            AtomicBoolean go = new AtomicBoolean(true);
            AtomicInteger requests = new AtomicInteger();
            List<Thread> load = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                load.add(Thread.ofVirtual().start(() -> {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    while (go.get() && requests.get() < 5_000) { // bounded in count and (below) in time
                        String token = tokens.get(rnd.nextInt(tokens.size()));
                        try {
                            requests.incrementAndGet();
                            Http.Reply r = http.post(
                                    "/washes", Map.of("program", "cotton", "minutes", 4 + rnd.nextInt(8)), token);
                            if (r.status() == 201) {
                                long id = r.json().get("id").asLong();
                                accepted.put(id, new Accepted(id, token));
                                if (rnd.nextInt(5) == 0) {
                                    cancelSent.add(id);
                                    if (http.delete("/washes/" + id, token).status() == 200) {
                                        cancelAnswered.add(id);
                                    }
                                }
                            } else if (r.status() == 409) {
                                Thread.sleep(20); // every machine busy: come back a little later
                            }
                        } catch (Exception | AssertionError killed) {
                            return; // the service was killed under this request
                        }
                    }
                }));
            }
            Http.eventually("load under way", () -> accepted.size() >= 20 && requests.get() >= 400);
            service.kill();
            go.set(false);
            for (Thread t : load) {
                t.join();
            }
            Set<Long> acceptedAtKill = new HashSet<>(accepted.keySet());

            service.start(); // same port, same Redis and database
            int resumed = 0;
            for (Accepted a : accepted.values()) {
                String state = getPatiently(http, "/washes/" + a.id(), a.token()) // a 404 here: the wash was lost
                        .get("state")
                        .asText();
                if (cancelAnswered.contains(a.id())) {
                    assertEquals("CANCELLED", state, "wash " + a.id());
                } else if (state.equals("CANCELLED")) {
                    assertTrue(cancelSent.contains(a.id()), "wash " + a.id() + " cancelled, but nobody asked");
                } else if (state.equals("RUNNING")) {
                    resumed++;
                }
            }
            assertTrue(resumed > 0, "no wash was running at the kill: the test proved nothing");
            System.out.println("killed after " + requests.get() + " requests: " + accepted.size() + " washes accepted, "
                    + cancelAnswered.size() + " cancelled, " + resumed + " running after the restart");
            for (Accepted a : accepted.values()) {
                Http.eventually("wash " + a.id() + " over", () -> {
                    Http.Reply r = http.get("/washes/" + a.id(), a.token());
                    if (r.status() == 429) {
                        return false; // polling this fast meets the customer's rate limit: ask again
                    }
                    assertEquals(200, r.status(), "wash " + a.id() + ": " + r.text());
                    String s = r.json().get("state").asText();
                    return s.equals("DONE") || s.equals("CANCELLED");
                });
            }
            // every finished wash's ready notification arrived, through the stream, across the kill
            Map<String, Set<Long>> doneByToken = new ConcurrentHashMap<>();
            for (Accepted a : accepted.values()) {
                JsonNode w = getPatiently(http, "/washes/" + a.id(), a.token());
                if (w.get("state").asText().equals("DONE")) {
                    doneByToken.computeIfAbsent(a.token(), k -> new HashSet<>()).add(a.id());
                }
            }
            for (var e : doneByToken.entrySet()) {
                Http.eventually("notifications for " + e.getValue(), () -> {
                    Http.Reply r = http.get("/notifications?limit=500", e.getKey());
                    if (r.status() == 429) {
                        return false; // the rate limit: ask again
                    }
                    assertEquals(200, r.status(), r.text());
                    Set<Long> got = new HashSet<>();
                    r.json().forEach(n -> got.add(n.get("wash").asLong()));
                    return got.containsAll(e.getValue());
                });
            }
            assertEquals(acceptedAtKill, accepted.keySet());
            assertEquals(0, service.stop());
        }
    }

    /** GET {@code path} as 200 JSON, asking again while the customer's rate limit answers 429. */
    private static JsonNode getPatiently(Http http, String path, String token) {
        JsonNode[] body = new JsonNode[1];
        Http.eventually(path + " answered", () -> {
            Http.Reply r = http.get(path, token);
            if (r.status() == 429) {
                return false;
            }
            assertEquals(200, r.status(), path + ": " + r.text());
            body[0] = r.json();
            return true;
        });
        return body[0];
    }

    @Test
    void sigtermSavesRunningWashesAndTheNextStartResumesThem() throws Exception {
        String db = Servers.freshDatabaseUrl();
        List<String> args = List.of("--redis=" + redis.url(), "--mysql=" + db, "--speed=60");
        try (ServiceProcess service = new ServiceProcess("sigterm-test-service", args)) {
            service.start();
            Http http = new Http(service.baseUrl());
            String token = http.signUp("sleeper");
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Http.Reply r = http.post("/washes", Map.of("program", "wool", "minutes", 240), token);
                assertEquals(201, r.status(), r.text());
                ids.add(r.json().get("id").asLong());
            }
            assertEquals(0, service.stop(), service.output());
            assertTrue(service.output().contains("Stopped."), service.output());

            List<Row> rows = Spindle.run(() -> {
                try (MySqlPool pool = MySqlPool.create(
                        MySqlOptions.parse(db), PoolOptions.builder().maxSize(1).build())) {
                    return pool.fetch("SELECT id, state, remaining_ms, duration_ms FROM washes ORDER BY id");
                }
            });
            assertEquals(4, rows.size());
            for (Row r : rows) {
                assertEquals("PAUSED", r.getString("state"), r.toMap().toString());
                long left = r.getLong("remaining_ms");
                assertTrue(
                        left > 0 && left < r.getLong("duration_ms"), r.toMap().toString());
            }

            service.start();
            assertTrue(service.output().contains("4 washes resumed"), service.output());
            for (long id : ids) {
                JsonNode w = getPatiently(http, "/washes/" + id, token);
                assertEquals("RUNNING", w.get("state").asText(), w.toString());
            }
            long washing = 0;
            for (JsonNode m : http.get("/machines", null).json()) {
                if (m.get("state").asText().equals("WASHING")) {
                    washing++;
                    assertTrue(ids.contains(m.get("washId").asLong()), m.toString());
                }
            }
            assertEquals(4, washing);
            for (long id : ids) {
                assertEquals(200, http.delete("/washes/" + id, token).status());
            }
            assertEquals(0, service.stop());
        }
    }
}
