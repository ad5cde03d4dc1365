package dev.spindle.micrometer;

import dev.spindle.web.App;
import dev.spindle.web.debug.TaskDumpRoute;
import dev.spindle.web.responses.Response;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A spindle-web app that Prometheus can scrape and an operator can look into: {@code GET /metrics} answers the
 * registry's scrape (Spindle's loop and pool meters with whatever else the app registers), and the task dump is
 * mounted at {@code /debug/spindle/tasks}, on only when {@code SPINDLE_DEBUG_TOKEN} is set.
 *
 * <pre>
 * SPINDLE_DEBUG_TOKEN=$(openssl rand -hex 16) java -cp ... dev.spindle.micrometer.WebMetricsExample 8000
 * curl -s localhost:8000/metrics | grep ^spindle_
 * curl -s -H "Authorization: Bearer $SPINDLE_DEBUG_TOKEN" localhost:8000/debug/spindle/tasks
 * </pre>
 */
public final class WebMetricsExample {
    /** Prometheus's text format, as its scrapers expect it. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private WebMetricsExample() {}

    /** The app: a hello route, {@code /metrics} for {@code registry}, and the task dump (token from the environment). */
    static App app(PrometheusMeterRegistry registry) {
        App app = new App();
        app.get("/hello", request -> Map.of("hello", "world"));
        app.mount(
                "/metrics",
                request -> Response.bytes(
                        registry.scrape().getBytes(StandardCharsets.UTF_8),
                        PROMETHEUS_TEXT)); // outside the OpenAPI schema
        TaskDumpRoute.mountFromEnvironment(app);
        return app;
    }

    public static void main(String[] args) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new SpindleMetrics().bindTo(registry);
        app(registry).serve(args.length > 0 ? Integer.parseInt(args[0]) : 8000);
    }
}
