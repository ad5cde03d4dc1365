package dev.spindle.micrometer;

import com.sun.net.httpserver.HttpServer;
import dev.spindle.Spindle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A Prometheus scrape endpoint for a Spindle program: {@code GET /metrics} answers the registry's scrape
 * ({@code registry.scrape()} with content type {@code text/plain; version=0.0.4; charset=utf-8}), here with the JDK's
 * HTTP server, for a program without spindle-web; {@link WebMetricsExample} does the same in a spindle-web app.
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp ... dev.spindle.micrometer.PrometheusEndpointExample 9464
 * curl -s localhost:9464/metrics | grep ^spindle_
 * </pre>
 */
public final class PrometheusEndpointExample {
    private PrometheusEndpointExample() {}

    /** Starts the endpoint on {@code port} (0: any) of 127.0.0.1, bound to {@code registry}. */
    static HttpServer serve(PrometheusMeterRegistry registry, int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        http.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        return http;
    }

    public static void main(String[] args) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SpindleMetrics spindle = new SpindleMetrics();
        spindle.bindTo(registry);
        HttpServer http = serve(registry, args.length > 0 ? Integer.parseInt(args[0]) : 9464);
        System.out.println("scrape http://127.0.0.1:" + http.getAddress().getPort() + "/metrics");
        Spindle.run(() -> {
            while (true) { // a steady load to watch
                for (int i = 0; i < 1000; i++) {
                    Spindle.spawn(() -> null);
                }
                Spindle.sleep(Duration.ofMillis(10));
            }
        });
    }
}
