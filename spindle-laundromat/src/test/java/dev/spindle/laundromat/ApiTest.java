package dev.spindle.laundromat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.Spindle;
import dev.spindle.laundromat.store.Migrations;
import dev.spindle.mysql.MySqlOptions;
import dev.spindle.mysql.MySqlPool;
import dev.spindle.mysql.PoolOptions;
import dev.spindle.testservers.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API end to end over a real socket, against a real redis-server and mariadbd: customers, tokens, washes (start,
 * list, cancel, history, finish), notifications from the Redis stream, 401, 404, 409, 422, 429, the docs, the
 * migrations.
 */
class ApiTest {
    static RedisServer redis;
    static Laundromat shop;
    static Http http;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        shop = Laundromat.start(Servers.config(redis)
                .speed(60) // a wash minute is one real second
                .machines(20)
                .rateLimit(40, Duration.ofSeconds(60))
                .build());
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
    void registerLoginAndWho() {
        Http.Reply reg = http.post("/customers", Map.of("name", "ada", "password", "correct horse"), null);
        assertEquals(201, reg.status(), reg.text());
        assertEquals("ada", reg.json().get("name").asText());
        assertEquals(
                409,
                http.post("/customers", Map.of("name", "ada", "password", "another one"), null)
                        .status());
        assertEquals(
                401,
                http.post("/token", Map.of("name", "ada", "password", "wrong horse"), null)
                        .status());
        assertEquals(
                401,
                http.post("/token", Map.of("name", "nobody", "password", "correct horse"), null)
                        .status());
        Http.Reply login = http.post("/token", Map.of("name", "ada", "password", "correct horse"), null);
        assertEquals(200, login.status(), login.text());
        assertEquals("bearer", login.json().get("tokenType").asText());
        String token = login.json().get("accessToken").asText();
        Http.Reply me = http.get("/me", token);
        assertEquals(200, me.status(), me.text());
        assertEquals(reg.json().get("id").asLong(), me.json().get("id").asLong());
    }

    @Test
    void withoutAValidTokenIs401() {
        for (Http.Reply r : List.of(
                http.get("/washes", null),
                http.post("/washes", Map.of("program", "cotton", "minutes", 30), null),
                http.delete("/washes/1", null),
                http.get("/notifications", null),
                http.get("/washes", "not-a-token"),
                http.get("/washes", "A".repeat(43)))) {
            assertEquals(401, r.status(), r.text());
            assertEquals("Bearer", r.header("WWW-Authenticate"));
        }
    }

    @Test
    void badInputIs422InFastApisShape() {
        String token = http.signUp("bea");
        Http.Reply r = http.post("/washes", Map.of("program", "lava", "minutes", 0), token);
        assertEquals(422, r.status(), r.text());
        Set<String> where = new HashSet<>();
        for (JsonNode d : r.json().get("detail")) {
            where.add(d.get("loc").toString());
        }
        assertEquals(Set.of("[\"body\",\"program\"]", "[\"body\",\"minutes\"]"), where);
        assertEquals(422, http.post("/washes", "{not json", token).status());
        assertEquals(422, http.post("/washes", Map.of("program", "wool"), token).status()); // minutes missing
        assertEquals(
                422,
                http.post("/customers", Map.of("name", "x", "password", "short"), null)
                        .status());
        assertEquals(422, http.get("/washes/seven", token).status());
        assertEquals(422, http.get("/washes?limit=0", token).status());
    }

    @Test
    void startListCancelAndHistory() {
        String token = http.signUp("cyd");
        Http.Reply started = http.post("/washes", Map.of("program", "wool", "minutes", 240), token);
        assertEquals(201, started.status(), started.text());
        long id = started.json().get("id").asLong();
        int machine = started.json().get("machine").asInt();
        assertEquals("RUNNING", started.json().get("state").asText());
        assertEquals(240 * 60_000L, started.json().get("durationMs").asLong());

        JsonNode m = http.get("/machines/" + machine, null).json();
        assertEquals("WASHING", m.get("state").asText());
        assertEquals(id, m.get("washId").asLong());
        assertEquals(404, http.get("/machines/999", null).status());

        // the same machine asked for again is busy
        Http.Reply busy = http.post("/washes", Map.of("program", "quick", "minutes", 10, "machine", machine), token);
        assertEquals(409, busy.status(), busy.text());

        // another customer sees none of it
        String other = http.signUp("dee");
        assertEquals(404, http.get("/washes/" + id, other).status());
        assertEquals(404, http.delete("/washes/" + id, other).status());
        assertEquals(0, http.get("/washes", other).json().size());

        Http.Reply cancelled = http.delete("/washes/" + id, token);
        assertEquals(200, cancelled.status(), cancelled.text());
        assertEquals("CANCELLED", cancelled.json().get("state").asText());
        assertTrue(cancelled.json().get("remainingMs").asLong() > 0);
        assertEquals(
                "FREE",
                http.get("/machines/" + machine, null).json().get("state").asText());
        assertEquals(409, http.delete("/washes/" + id, token).status());

        JsonNode history = http.get("/washes", token).json();
        assertEquals(1, history.size());
        assertEquals("CANCELLED", history.get(0).get("state").asText());
        assertNotNull(history.get(0).get("finishedAt").asText(null));
    }

    @Test
    void aWashFinishesAndItsReadyNotificationArrivesThroughTheStream() {
        String token = http.signUp("eve");
        List<Long> ids = new ArrayList<>();
        for (String program : List.of("quick", "cotton")) {
            Http.Reply r = http.post("/washes", Map.of("program", program, "minutes", 1), token);
            assertEquals(201, r.status(), r.text());
            ids.add(r.json().get("id").asLong());
        }
        Http.eventually("both washes done", () -> {
            JsonNode h = http.get("/washes", token).json();
            int done = 0;
            for (JsonNode w : h) {
                done += w.get("state").asText().equals("DONE") ? 1 : 0;
            }
            return done == 2;
        });
        Http.eventually(
                "two notifications",
                () -> http.get("/notifications", token).json().size() == 2);
        JsonNode n = http.get("/notifications", token).json();
        Set<Long> notified = new HashSet<>();
        n.forEach(x -> notified.add(x.get("wash").asLong()));
        assertEquals(new HashSet<>(ids), notified);
        assertTrue(n.get(0).get("message").asText().contains("is ready"), n.toString());
        JsonNode w = http.get("/washes/" + ids.get(0), token).json();
        assertEquals(0, w.get("remainingMs").asLong());
    }

    @Test
    void pastTheRateLimitIs429WithRetryAfter() {
        String token = http.signUp("fay");
        int ok = 0;
        Http.Reply refused = null;
        for (int i = 0; i < 45 && refused == null; i++) {
            Http.Reply r = http.get("/me", token);
            if (r.status() == 200) {
                ok++;
            } else {
                refused = r;
            }
        }
        assertEquals(40, ok);
        assertNotNull(refused);
        assertEquals(429, refused.status(), refused.text());
        long retry = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
        // another customer is not limited by fay's requests
        assertEquals(200, http.get("/me", http.signUp("gil")).status());
    }

    @Test
    void machinesPageDocsAndOpenApi() {
        JsonNode ms = http.get("/machines", null).json();
        assertEquals(20, ms.size());
        assertEquals(1, ms.get(0).get("id").asInt());
        Http.Reply page = http.get("/", null);
        assertEquals(200, page.status());
        assertTrue(page.text().contains("Spindle Laundromat") && page.text().contains("new WebSocket"));
        Http.Reply docs = http.get("/docs", null);
        assertEquals(200, docs.status());
        assertTrue(docs.text().contains("swagger-ui"), docs.text());
        JsonNode api = http.get("/openapi.json", null).json();
        for (String path : List.of("/customers", "/token", "/machines", "/washes", "/washes/{wash_id}", "/events")) {
            assertTrue(api.get("paths").has(path), path + " missing from " + api.get("paths"));
        }
        assertEquals(
                "bearer",
                api.at("/components/securitySchemes/HTTPBearer/scheme").asText(),
                api.get("components").toString());
        assertEquals("ok", http.get("/health", null).json().get("status").asText());
    }

    @Test
    void migrationsAreRecordedAndIdempotent() {
        MySqlOptions o = MySqlOptions.parse(shop.config().mysqlUrl());
        Spindle.run(() -> {
            try (MySqlPool pool =
                    MySqlPool.create(o, PoolOptions.builder().maxSize(2).build())) {
                assertEquals(List.of(1, 2, 3, 4), Migrations.versions(pool));
                assertEquals(0, Migrations.apply(pool, 20));
                assertEquals(List.of(1, 2, 3, 4), Migrations.versions(pool));
                assertEquals(20L, pool.fetchValue(Long.class, "SELECT COUNT(*) FROM machines"));
            }
        });
    }
}
