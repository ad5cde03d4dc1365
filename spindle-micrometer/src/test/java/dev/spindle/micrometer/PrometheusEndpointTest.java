package dev.spindle.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrometheusEndpointTest {
    @Test
    void aScrapeShowsTheRunningLoop() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (SpindleMetrics spindle = new SpindleMetrics(Duration.ofMillis(10), java.util.List.of())) {
            spindle.bindTo(registry);
            HttpServer http = PrometheusEndpointExample.serve(registry, 0);
            try {
                String[] seen = new String[2];
                Spindle.run(() -> {
                    seen[0] = Loop.current().name();
                    for (int i = 0; i < 100; i++) {
                        Spindle.spawn(() -> null);
                    }
                    Spindle.sleep(Duration.ofMillis(50)); // a lag probe or more
                    // the scrape, from a toThread job: the loop keeps running while the client waits
                    seen[1] = Spindle.toThread(() -> HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                                    + http.getAddress().getPort() + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
                    return null;
                });
                String body = seen[1];
                String tag = "loop=\"" + seen[0] + "\"";
                assertTrue(body.contains("spindle_loop_tasks_spawned_total{" + tag + "}"), body);
                assertTrue(body.contains("spindle_loop_steps_total{" + tag + "}"), body);
                assertTrue(body.contains("spindle_loop_lag_seconds{" + tag + "}"), body);
                assertTrue(body.contains("spindle_loop_tasks_alive{" + tag + "}"), body);
                double spawned = Double.parseDouble(body.lines()
                        .filter(l -> l.startsWith("spindle_loop_tasks_spawned_total{" + tag))
                        .findFirst()
                        .orElseThrow()
                        .split(" ")[1]);
                assertTrue(spawned >= 101, body);
                assertEquals(-1, body.indexOf("NaN"), body);
            } finally {
                http.stop(0);
            }
        }
    }
}
