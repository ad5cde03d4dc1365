package dev.spindle.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The spindle-web Prometheus example: {@code /metrics} serves the scrape of the server's own loop. */
class WebMetricsExampleTest {

    @Test
    void metricsServesTheScrapeWithTheServersLoopAndTheDumpIsOffWithoutAToken() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (SpindleMetrics spindle = new SpindleMetrics();
                TestClient client = TestClient.serve(WebMetricsExample.app(registry))) {
            spindle.bindTo(registry);
            assertEquals(200, client.get("/hello").status());
            TestResponse r = client.get("/metrics");
            assertEquals(200, r.status());
            assertEquals(WebMetricsExample.PROMETHEUS_TEXT, r.header("Content-Type"));
            assertTrue(r.text().contains("spindle_loop_steps_total{loop="), r.text());
            assertTrue(r.text().contains("spindle_loop_tasks_alive{loop="), r.text());
            assertFalse(client.get("/openapi.json").text().contains("/metrics"), "outside the schema");
            if (System.getenv("SPINDLE_DEBUG_TOKEN") == null && System.getProperty("spindle.debug.token") == null) {
                assertEquals(404, client.get("/debug/spindle/tasks").status());
            }
        }
    }
}
