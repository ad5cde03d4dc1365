package dev.spindle.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.sync.LoopEvent;
import dev.spindle.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pool's limits, waits and expiry, against a raw server on the test's loop that counts connections. */
class PoolTest {

    @Test
    void perOriginLimitMakesRequestsWaitTheirTurn() {
        Spindle.run(() -> {
            int[] inFlight = {0, 0}; // now, most
            try (RawServer server = new RawServer((m, target, nth, r, w) -> {
                        inFlight[0]++;
                        inFlight[1] = Math.max(inFlight[1], inFlight[0]);
                        Spindle.sleep(Duration.ofMillis(20));
                        inFlight[0]--;
                        return RawServer.ok(w, target);
                    });
                    HttpClient client = HttpClient.builder()
                            .limits(PoolLimits.builder()
                                    .maxConnectionsPerOrigin(3)
                                    .build())
                            .build()) {
                List<Task<String>> tasks = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    String path = "/" + i;
                    tasks.add(Spindle.spawn(() -> client.get(server.url(path)).text()));
                }
                for (int i = 0; i < 30; i++) {
                    assertEquals("/" + i, tasks.get(i).await());
                }
                assertEquals(3, server.connections, "three connections, reused");
                assertEquals(3, inFlight[1], "never more than three requests at once");
            }
        });
    }

    @Test
    void poolTimeoutWhenEveryConnectionIsBusy() {
        Spindle.run(() -> {
            LoopEvent release = new LoopEvent();
            try (RawServer server = new RawServer((m, target, nth, r, w) -> {
                        if (target.equals("/hold")) {
                            release.await();
                        }
                        return RawServer.ok(w, "done");
                    });
                    HttpClient client = HttpClient.builder()
                            .limits(PoolLimits.builder().maxConnections(1).build())
                            .timeouts(Timeouts.defaults().withPool(Duration.ofMillis(100)))
                            .build()) {
                Task<String> holder =
                        Spindle.spawn(() -> client.get(server.url("/hold")).text());
                Spindle.sleep(Duration.ofMillis(20));
                HttpTimeout e = assertThrows(HttpTimeout.class, () -> client.get(server.url("/other")));
                assertEquals(HttpTimeout.Phase.POOL, e.phase());
                assertTrue(e.getMessage().contains("pool timeout (100 ms)"), e.getMessage());
                release.set();
                assertEquals("done", holder.await());
                assertEquals("done", client.get(server.url("/other")).text());
                assertEquals(1, server.connections);
            }
        });
    }

    @Test
    void cancelledWaitersLeakNoSlots() {
        Spindle.run(() -> {
            try (RawServer server = new RawServer((m, target, nth, r, w) -> {
                        Spindle.sleep(Duration.ofMillis(5));
                        return RawServer.ok(w, target);
                    });
                    HttpClient client = HttpClient.builder()
                            .limits(PoolLimits.builder().maxConnections(2).build())
                            .build()) {
                for (int round = 0; round < 20; round++) {
                    List<Task<String>> tasks = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        String path = "/" + round + "/" + i;
                        tasks.add(
                                Spindle.spawn(() -> client.get(server.url(path)).text()));
                    }
                    Spindle.sleep(Duration.ofMillis(round % 7));
                    for (int i = 0; i < 10; i += 2) {
                        tasks.get(i).cancel(); // waiting in the pool, or mid-request
                    }
                    for (int i = 1; i < 10; i += 2) {
                        assertEquals("/" + round + "/" + i, tasks.get(i).await());
                    }
                }
                // every slot came back: two requests at once still get their two connections
                Task<String> a =
                        Spindle.spawn(() -> client.get(server.url("/a")).text());
                Task<String> b =
                        Spindle.spawn(() -> client.get(server.url("/b")).text());
                assertEquals("/a", a.await());
                assertEquals("/b", b.await());
            }
        });
    }

    @Test
    void idleConnectionsExpire() {
        Spindle.run(() -> {
            try (RawServer server = new RawServer((m, target, nth, r, w) -> RawServer.ok(w, "n" + nth));
                    HttpClient client = HttpClient.builder()
                            .limits(PoolLimits.builder()
                                    .keepAliveExpiry(Duration.ofMillis(100))
                                    .build())
                            .build()) {
                assertEquals("n1", client.get(server.url("/")).text());
                assertEquals("n2", client.get(server.url("/")).text());
                Spindle.sleep(Duration.ofMillis(300));
                assertEquals("n1", client.get(server.url("/")).text(), "a new connection after the expiry");
                assertEquals(2, server.connections);
            }
        });
    }

    @Test
    void maxIdleZeroKeepsNothing() {
        Spindle.run(() -> {
            try (RawServer server = new RawServer((m, target, nth, r, w) -> RawServer.ok(w, "n" + nth));
                    HttpClient client = HttpClient.builder()
                            .limits(PoolLimits.builder().maxIdleConnections(0).build())
                            .build()) {
                for (int i = 0; i < 3; i++) {
                    assertEquals("n1", client.get(server.url("/")).text());
                }
                assertEquals(3, server.connections);
            }
        });
    }

    @Test
    void totalLimitEvictsIdleConnectionsOfOtherOrigins() {
        Spindle.run(() -> {
            try (RawServer a = new RawServer((m, t, n, r, w) -> RawServer.ok(w, "a"));
                    RawServer b = new RawServer((m, t, n, r, w) -> RawServer.ok(w, "b"));
                    HttpClient client = HttpClient.builder()
                            .limits(PoolLimits.builder().maxConnections(1).build())
                            .build()) {
                assertEquals("a", client.get(a.url("/")).text());
                assertEquals("b", client.get(b.url("/")).text()); // a's idle connection made room
                assertEquals("a", client.get(a.url("/")).text());
                assertEquals(2, a.connections);
                assertEquals(1, b.connections);
            }
        });
    }

    @Test
    void limitsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> PoolLimits.builder().maxConnections(0));
        assertThrows(IllegalArgumentException.class, () -> PoolLimits.builder().maxIdleConnections(-1));
        assertThrows(IllegalArgumentException.class, () -> Timeouts.none().withRead(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> HttpClient.builder().maxRedirects(-1));
        assertEquals(
                5,
                PoolLimits.builder().maxConnections(5).build().maxConnectionsPerOrigin(),
                "per origin never exceeds the total");
    }
}
