package dev.spindle.laundromat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.Spindle;
import dev.spindle.mysql.MySqlOptions;
import dev.spindle.mysql.MySqlPool;
import dev.spindle.mysql.PoolOptions;
import dev.spindle.testservers.RedisServer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a start finds and resumes, set up directly in MariaDB as a crash or a stop would leave it: a PAUSED wash (a
 * graceful stop), a RUNNING one whose deadline passed while nothing ran (a crash), a DONE one whose ready
 * notification never reached the stream (a crash between the two writes). The start resumes the first two on their
 * machines, both finish, and all three customers' notifications arrive through the stream.
 */
class RecoveryTest {
    @Test
    void aStartResumesPausedAndCrashedWashesAndQueuesLostNotifications() {
        try (RedisServer redis = RedisServer.start()) {
            LaundromatConfig config = Servers.config(redis).speed(60).build();
            String token;
            try (Laundromat first = Laundromat.start(config)) {
                token = new Http(first.baseUrl()).signUp("hana");
            }
            long now = System.currentTimeMillis();
            Spindle.run(() -> {
                try (MySqlPool pool = MySqlPool.create(
                        MySqlOptions.parse(config.mysqlUrl()),
                        PoolOptions.builder().maxSize(1).build())) {
                    long customer = pool.fetchValue(Long.class, "SELECT id FROM customers WHERE name = 'hana'");
                    String insert = "INSERT INTO washes (id, customer_id, machine_id, program, duration_ms,"
                            + " remaining_ms, deadline_ms, state, active_machine, notified, finished_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
                    // stopped gracefully with two wash seconds left (2 s / speed 60: at once)
                    pool.execute(insert, 101, customer, 2, "wool", 600_000, 2_000, now, "PAUSED", 2, false, null);
                    // running at a crash, deadline long past
                    pool.execute(
                            insert, 102, customer, 3, "quick", 60_000, 60_000, now - 60_000, "RUNNING", 3, false, null);
                    // done, but the crash came before XADD
                    pool.execute(
                            insert,
                            103,
                            customer,
                            4,
                            "cotton",
                            60_000,
                            0,
                            now - 90_000,
                            "DONE",
                            null,
                            false,
                            java.time.LocalDateTime.now());
                }
            });
            try (Laundromat second = Laundromat.start(config)) {
                assertEquals(2, second.resumed());
                Http http = new Http(second.baseUrl());
                for (long id : new long[] {101, 102}) {
                    Http.eventually("wash " + id + " done", () -> http.get("/washes/" + id, token)
                            .json()
                            .get("state")
                            .asText()
                            .equals("DONE"));
                }
                Http.eventually(
                        "three notifications",
                        () -> http.get("/notifications", token).json().size() == 3);
                Set<Long> notified = new HashSet<>();
                for (JsonNode n : http.get("/notifications", token).json()) {
                    notified.add(n.get("wash").asLong());
                }
                assertEquals(Set.of(101L, 102L, 103L), notified);
                for (JsonNode m : http.get("/machines", null).json()) {
                    assertEquals("FREE", m.get("state").asText(), m.toString());
                }
                assertTrue(http.get("/health", null)
                                .json()
                                .get("notificationsHandled")
                                .asLong()
                        >= 3);
            }
        }
    }
}
