package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.web.params.Path;
import dev.spindle.web.params.Query;
import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link OnWorker} handlers on the bounded worker pool, and {@link App#reportSlowHandlers} naming the route. */
class WorkersAndSlowHandlersTest {
    static final class Routes {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @OnWorker
        @Get("/work/{n}")
        Map<String, Object> work(@Path @Min(1) int n) {
            long sum = 0;
            for (int i = 1; i <= n; i++) {
                sum += i;
            }
            Thread t = Thread.currentThread();
            return Map.of("sum", sum, "thread", t.getName(), "virtual", t.isVirtual());
        }

        @Get("/inline")
        Map<String, Object> inline() {
            return Map.of("virtual", Thread.currentThread().isVirtual());
        }

        @OnWorker
        @Get("/missing")
        String missing() {
            throw new HTTPException(404, "nothing here");
        }

        @OnWorker
        @Get("/hold")
        String hold() throws InterruptedException {
            entered.countDown();
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            return "done";
        }
    }

    @Test
    void onWorkerHandlersRunOnThePoolAfterTheirParametersAreValidated() {
        App app = new App().include(new Routes());
        app.post(
                "/hash",
                Endpoint.onWorker(request -> Map.of(
                        "length",
                        request.body().length,
                        "worker",
                        Thread.currentThread().getName())));
        try (TestClient client = TestClient.serve(app)) {
            TestResponse r = client.get("/work/100");
            assertEquals(200, r.status(), r.text());
            assertEquals(5050, r.json().get("sum").asLong());
            assertFalse(r.json().get("virtual").asBoolean(), "a worker is a platform thread");
            assertTrue(r.json().get("thread").asText().startsWith("spindle-web-worker-"), r.text());
            assertTrue(client.get("/inline").json().get("virtual").asBoolean(), "other handlers stay in place");

            TestResponse invalid = client.get("/work/0");
            assertEquals(422, invalid.status());
            assertEquals(
                    "greater_than_equal",
                    invalid.json().get("detail").get(0).get("type").asText());

            TestResponse missing = client.get("/missing");
            assertEquals(404, missing.status());
            assertEquals("nothing here", missing.json().get("detail").asText());

            dev.spindle.observe.PoolMetrics pool = dev.spindle.observe.Metrics.pools().stream()
                    .filter(p -> p.kind().equals("web-workers"))
                    .filter(p -> p.acquisitions() >= 2)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(
                            "the worker pool is not in core's metrics: " + dev.spindle.observe.Metrics.pools()));
            assertEquals(Runtime.getRuntime().availableProcessors(), pool.maxSize());
            assertTrue(pool.name().startsWith("spindle-web-worker-"), pool.name());

            TestResponse hash = client.post("/hash", Map.of("data", "x".repeat(1000)));
            assertEquals(200, hash.status(), hash.text());
            assertTrue(hash.json().get("length").asInt() > 1000);
            assertTrue(hash.json().get("worker").asText().startsWith("spindle-web-worker-"), hash.text());
        }
    }

    @Test
    void aFullPoolAndQueueAnswer503AtOnce() throws Exception {
        Routes routes = new Routes();
        App app = new App().workers(1, 1).include(routes);
        ExecutorService callers = Executors.newFixedThreadPool(5);
        try (TestClient client = TestClient.serve(app)) {
            Future<TestResponse> first = callers.submit(() -> client.get("/hold"));
            assertTrue(routes.entered.await(60, TimeUnit.SECONDS), "the first call never started");
            // the one thread is busy: of four more calls, one waits in the queue and three are turned away
            List<Future<TestResponse>> more = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                more.add(callers.submit(() -> client.get("/hold")));
            }
            int rejected = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (rejected < 3 && System.nanoTime() < deadline) {
                rejected = 0;
                for (Future<TestResponse> f : more) {
                    if (f.isDone() && f.get().status() == 503) {
                        rejected++;
                        assertEquals("1", f.get().header("retry-after"));
                        assertEquals(
                                "Service Unavailable",
                                f.get().json().get("detail").asText());
                    }
                }
                Thread.sleep(10);
            }
            assertEquals(3, rejected, "three calls past the bound are answered 503");
            routes.release.countDown();
            assertEquals("done", first.get(60, TimeUnit.SECONDS).json().asText());
            int ok = 0;
            for (Future<TestResponse> f : more) {
                ok += f.get(60, TimeUnit.SECONDS).status() == 200 ? 1 : 0;
            }
            assertEquals(1, ok, "the queued call ran once the thread was free");
        } finally {
            routes.release.countDown();
            callers.shutdownNow();
        }
    }

    @Test
    void workerOptionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new App().workers(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new App().workers(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new App().reportSlowHandlers(Duration.ZERO));
    }

    static final class Slow {
        @Get("/spin/{ms}")
        Map<String, Long> spin(@Path long ms) {
            long end = System.nanoTime() + Duration.ofMillis(ms).toNanos();
            long n = 0;
            while (System.nanoTime() < end) {
                n++;
            }
            return Map.of("spins", n);
        }

        @Get("/fast")
        String fast(@Query String q) {
            return q;
        }

        @Get("/sleep-then-spin")
        String sleepThenSpin() {
            Spindle.sleep(Duration.ofMillis(20)); // yields first: the loop runs others, then this holds it
            spin(300);
            return "slept and spun";
        }

        @Get("/sleep")
        String sleep() {
            Spindle.sleep(Duration.ofMillis(300)); // parks: the loop serves others meanwhile
            return "slept";
        }

        @OnWorker
        @Get("/spin-on-worker")
        String spinOnWorker() {
            long end = System.nanoTime() + Duration.ofMillis(300).toNanos();
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            return "spun";
        }
    }

    private static void awaitReports(List<SlowHandler> reports, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (reports.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(n, reports.size(), reports.toString());
    }

    @Test
    void aHandlerHoldingTheLoopIsReportedOnceWithItsRoute() throws InterruptedException {
        List<SlowHandler> reports = new CopyOnWriteArrayList<>();
        App app = new App().reportSlowHandlers(Duration.ofMillis(50), reports::add);
        app.include(new Router("/api").include(new Slow()));
        app.get("/lambda-spin", request -> new Slow().spin(300));
        try (TestClient client = TestClient.serve(app)) {
            assertEquals("x", client.get("/api/fast?q=x").json().asText());
            assertEquals("slept", client.get("/api/sleep").json().asText());
            assertEquals("spun", client.get("/api/spin-on-worker").json().asText());
            assertEquals(List.of(), reports, "fast, parking and worker handlers are not reported");

            assertEquals(200, client.get("/api/spin/300").status());
            awaitReports(reports, 1); // from the watchdog's thread, once the stretch ended
            SlowHandler s = reports.getFirst();
            assertEquals("GET", s.method());
            assertEquals("/api/spin/{ms}", s.path());
            assertTrue(s.held().toMillis() >= 280, s.toString()); // sampled: accurate to a period (6 ms here)
            assertEquals(Duration.ofMillis(50), s.threshold());
            assertTrue(s.toText().startsWith("GET /api/spin/{ms} held its loop for "), s.toText());

            assertEquals(
                    "slept and spun", client.get("/api/sleep-then-spin").json().asText());
            awaitReports(reports, 2);
            assertEquals("/api/sleep-then-spin", reports.get(1).path(), "held after yielding: still its route");
            assertTrue(reports.get(1).held().toMillis() >= 280, reports.get(1).toString());

            assertEquals(200, client.get("/lambda-spin").status()); // found in the stack, as a method is
            awaitReports(reports, 3);
            assertEquals("/lambda-spin", reports.get(2).path());

            assertEquals("x", client.get("/api/fast?q=x").json().asText());
            Thread.sleep(200); // a report would have come by now (the watchdog samples every 6 ms)
            assertEquals(
                    3,
                    reports.size(),
                    "one report per stretch; none for the fast handler or for /api/spin, "
                            + "which the lambda called as a helper: " + reports);
        }
    }

    /** Spins on the calling thread for {@code ms} (holding its loop), returning the spins. */
    static long spinFor(long ms) {
        long end = System.nanoTime() + Duration.ofMillis(ms).toNanos();
        long n = 0;
        while (System.nanoTime() < end) {
            n++;
        }
        return n;
    }

    /** An endpoint given as a method reference. */
    static Object spinReference(Request request) {
        return Map.of("spins", spinFor(300));
    }

    /** An endpoint given as a class. */
    static final class SpinningEndpoint implements Endpoint {
        @Override
        public Object handle(Request request) {
            return Map.of("spins", spinFor(300));
        }
    }

    private static boolean reported(List<SlowHandler> reports, String path) {
        return reports.stream().anyMatch(r -> r.path().equals(path));
    }

    /**
     * Lambda endpoints are found from the watchdog's stack, by their implementation method: one that holds the loop
     * after it awaited something, one that spins from its start, one stuck until its report arrives; a method
     * reference and a class; and two routes sharing one endpoint object, reported under the first.
     */
    @Test
    void endpointsAreFoundByTheirImplementationMethod() throws InterruptedException {
        List<SlowHandler> reports = new CopyOnWriteArrayList<>();
        App app = new App().reportSlowHandlers(Duration.ofMillis(50), reports::add);
        app.get("/fast", request -> "fast");
        app.post("/lambda/sleep-then-spin", request -> {
            Spindle.sleep(Duration.ofMillis(20)); // yields first: the loop runs others, then this holds it
            return spinFor(300);
        });
        app.get("/lambda/spin", request -> spinFor(300));
        app.get("/lambda/stuck", request -> {
            // holds its loop until its own report arrives: only a report made while it runs can release it
            long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!reported(reports, "/lambda/stuck")) {
                if (System.nanoTime() > giveUp) {
                    return "never reported";
                }
            }
            return "released by its report";
        });
        app.get("/reference", WorkersAndSlowHandlersTest::spinReference);
        app.get("/class", new SpinningEndpoint());
        Endpoint shared = request -> spinFor(300);
        app.get("/shared/first", shared);
        app.get("/shared/second", shared);
        try (TestClient client = TestClient.serve(app)) {
            assertEquals("fast", client.get("/fast").json().asText());

            assertEquals(200, client.post("/lambda/sleep-then-spin", Map.of()).status());
            awaitReports(reports, 1);
            assertEquals("POST", reports.get(0).method());
            assertEquals("/lambda/sleep-then-spin", reports.get(0).path(), "held after yielding: still its route");

            assertEquals(200, client.get("/lambda/spin").status());
            awaitReports(reports, 2);
            assertEquals("GET", reports.get(1).method());
            assertEquals("/lambda/spin", reports.get(1).path());

            assertEquals(
                    "released by its report", client.get("/lambda/stuck").json().asText());
            awaitReports(reports, 3);
            assertEquals("/lambda/stuck", reports.get(2).path());

            assertEquals(200, client.get("/reference").status());
            awaitReports(reports, 4);
            assertEquals("/reference", reports.get(3).path());

            assertEquals(200, client.get("/class").status());
            awaitReports(reports, 5);
            assertEquals("/class", reports.get(4).path());

            assertEquals(200, client.get("/shared/second").status());
            awaitReports(reports, 6);
            assertEquals("/shared/first", reports.get(5).path(), "one endpoint object, one frame: the first route");

            assertEquals("fast", client.get("/fast").json().asText());
            Thread.sleep(200); // a report would have come by now (the watchdog samples every 6 ms)
            assertEquals(6, reports.size(), "one report per stretch, none for /fast: " + reports);
        }
    }
}
