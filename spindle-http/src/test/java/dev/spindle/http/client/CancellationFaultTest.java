package dev.spindle.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.http.BodyWriter;
import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The client's central promise under fault injection: requests cancelled or timed out at random points (waiting for
 * the pool, connecting, mid-write, mid-head, mid-body), many at once over a small pool, never let a later request
 * read bytes that were not its own, and never let the server see a request body spliced from two requests. The server
 * (Spindle's own, on its own loop) echoes each request's id in a header and all through a body it sends in pieces.
 */
class CancellationFaultTest {
    private static final long SEED = Long.getLong("spindle.fuzz.seed", 977L);
    private static final int WORKERS = 24;
    private static final int PER_WORKER = 50;

    @Test
    void noResponseEverReachesTheWrongRequest() {
        AtomicInteger badBodies = new AtomicInteger();
        HttpServer server = HttpServer.start(
                (req, res) -> {
                    String id = req.rawQuery().substring(3);
                    byte[] body = req.body().readAll();
                    if (!new String(body, StandardCharsets.US_ASCII).equals(expectedUpload(id, body.length))
                            || body.length != Integer.parseInt(req.headers().getOrDefault("X-Len", "0"))) {
                        badBodies.incrementAndGet();
                    }
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    int repeats = 1 + r.nextInt(1500);
                    byte[] unit = ("id=" + id + ";").getBytes(StandardCharsets.US_ASCII);
                    res.header("X-Id", id).header("X-Repeats", String.valueOf(repeats));
                    if (r.nextBoolean()) {
                        byte[] all = new byte[unit.length * repeats];
                        for (int i = 0; i < repeats; i++) {
                            System.arraycopy(unit, 0, all, i * unit.length, unit.length);
                        }
                        if (r.nextBoolean()) { // slow enough for the clients' random cancels to land mid-request
                            Spindle.sleep(Duration.ofMillis(r.nextInt(25)));
                        }
                        res.send(all);
                    } else {
                        if (r.nextBoolean()) {
                            Spindle.sleep(Duration.ofMillis(r.nextInt(15)));
                        }
                        try (BodyWriter out = res.stream()) {
                            for (int i = 0; i < repeats; ) {
                                int n = Math.min(repeats - i, 1 + r.nextInt(300));
                                byte[] piece = new byte[unit.length * n];
                                for (int k = 0; k < n; k++) {
                                    System.arraycopy(unit, 0, piece, k * unit.length, unit.length);
                                }
                                out.write(piece);
                                out.flush();
                                i += n;
                                if (r.nextInt(3) == 0) {
                                    Spindle.sleep(Duration.ofMillis(r.nextInt(2)));
                                }
                            }
                        }
                    }
                },
                HttpServerOptions.builder().port(0).loops(1).build());
        try {
            int[] outcome = new int[4]; // ok, cancelled or timed out, mismatched, other failures
            List<String> problems = new ArrayList<>();
            Spindle.run(() -> {
                try (HttpClient client = HttpClient.builder()
                        .baseUrl("http://127.0.0.1:" + server.port())
                        .limits(PoolLimits.builder().maxConnections(6).build())
                        .timeouts(Timeouts.of(Duration.ofSeconds(20)))
                        .build()) {
                    List<Task<Void>> workers = new ArrayList<>();
                    for (int w = 0; w < WORKERS; w++) {
                        Random r = new Random(SEED + w);
                        int worker = w;
                        workers.add(Spindle.spawn(() -> {
                            for (int i = 0; i < PER_WORKER; i++) {
                                String id = worker + "-" + i;
                                int fate = r.nextInt(4);
                                try {
                                    if (fate == 0) { // run to the end
                                        check(exchange(client, r, id), id, problems, outcome);
                                    } else if (fate == 1) { // a timeout at a random point
                                        int ms = 1 + r.nextInt(25);
                                        check(
                                                Spindle.withTimeout(
                                                        Duration.ofMillis(ms), () -> exchange(client, r, id)),
                                                id,
                                                problems,
                                                outcome);
                                    } else { // cancelled by someone else at a random point
                                        Task<String[]> t = Spindle.spawn(() -> exchange(client, r, id));
                                        Spindle.sleep(Duration.ofMillis(r.nextInt(20)));
                                        t.cancel();
                                        try {
                                            check(t.await(), id, problems, outcome);
                                        } catch (Cancelled c) {
                                            outcome[1]++;
                                        }
                                    }
                                } catch (Cancelled | TimedOut e) {
                                    outcome[1]++;
                                } catch (ProtocolError e) {
                                    outcome[2]++;
                                    problems.add(id + ": " + e);
                                } catch (RuntimeException e) {
                                    outcome[3]++;
                                    problems.add(id + ": " + e);
                                }
                            }
                        }));
                    }
                    Spindle.gather(workers);
                    assertTrue(server.connections() <= 6, "the pool's limit held: " + server.connections());
                    for (int i = 0; i < 20; i++) { // and the pool still works, in order
                        check(exchange(client, new Random(i), "after-" + i), "after-" + i, problems, outcome);
                    }
                }
            });
            assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())), "mismatches or errors");
            assertEquals(0, outcome[2], "responses read by the wrong request, or desynchronised connections");
            assertEquals(0, badBodies.get(), "request bodies the server saw spliced or cut");
            assertTrue(outcome[0] > WORKERS * PER_WORKER / 5, "enough requests completed: " + outcome[0]);
            // how many a cancel reaches before they end depends on the machine's speed: a tenth is enough to mean
            // something
            assertTrue(outcome[1] > WORKERS * PER_WORKER / 10, "enough requests were cut off: " + outcome[1]);
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
    }

    /** One request, streamed or whole, with a body or not; returns its X-Id and its body as text. */
    private static String[] exchange(HttpClient client, Random r, String id) {
        int size = r.nextInt(3) == 0 ? r.nextInt(200_000) : r.nextInt(100);
        ClientRequest.Builder b = r.nextBoolean()
                ? ClientRequest.get("/echo?id=" + id)
                : ClientRequest.post("/echo?id=" + id)
                        .content(Content.of(expectedUpload(id, size).getBytes(StandardCharsets.US_ASCII)));
        ClientRequest req = b.header("X-Len", b.build().content() == null ? "0" : String.valueOf(size))
                .build();
        if (r.nextBoolean()) {
            ClientResponse res = client.send(req);
            return new String[] {
                res.headers().get("X-Id"), res.text(), res.headers().get("X-Repeats")
            };
        }
        try (ClientResponse res = client.stream(req)) {
            StringBuilder text = new StringBuilder();
            for (byte[] chunk : res.chunks()) {
                text.append(new String(chunk, StandardCharsets.US_ASCII));
            }
            return new String[] {
                res.headers().get("X-Id"), text.toString(), res.headers().get("X-Repeats")
            };
        }
    }

    private static void check(String[] got, String id, List<String> problems, int[] outcome) {
        String expected = ("id=" + id + ";").repeat(Integer.parseInt(got[2]));
        if (!id.equals(got[0]) || !expected.equals(got[1])) {
            outcome[2]++;
            problems.add("request " + id + " got X-Id " + got[0] + " and a body starting "
                    + got[1].substring(0, Math.min(40, got[1].length())));
        } else {
            outcome[0]++;
        }
    }

    /** The upload of request {@code id}: its id over and over, cut to {@code size} bytes. */
    private static String expectedUpload(String id, int size) {
        String unit = "<" + id + ">";
        return unit.repeat(size / unit.length() + 1).substring(0, size);
    }
}
