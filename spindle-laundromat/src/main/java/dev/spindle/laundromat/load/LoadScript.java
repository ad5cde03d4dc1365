package dev.spindle.laundromat.load;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.taskGroup;
import static dev.spindle.Spindle.withTimeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.Spindle;
import dev.spindle.http.client.ClientRequest;
import dev.spindle.http.client.ClientResponse;
import dev.spindle.http.client.HttpClient;
import dev.spindle.http.client.HttpTimeout;
import dev.spindle.http.client.PoolLimits;
import dev.spindle.http.client.Timeouts;
import dev.spindle.laundromat.Laundromat;
import dev.spindle.laundromat.LaundromatConfig;
import dev.spindle.laundromat.LocalServers;
import dev.spindle.observe.LoopMetrics;
import dev.spindle.observe.Metrics;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The load script: thousands of simulated customers, each a coroutine on one Spindle loop using Spindle's own HTTP
 * client, register, log in, start washes, poll them until done, cancel some, look at the machines. It prints a
 * progress bar while it runs, then the throughput, latency percentiles per endpoint (p50, p90, p99) and each loop's
 * lag (from {@link Metrics}: the load's loop and, when it started its own service, the service's). Its last line,
 * {@code summary-json: {...}}, holds the same figures as one JSON object for scripts.
 *
 * {@snippet lang=text :
 * java ... dev.spindle.laundromat.load.LoadScript --customers=2000 --concurrency=200 --seconds=60
 * java ... dev.spindle.laundromat.load.LoadScript --url=http://127.0.0.1:8000 --customers=500
 * }
 *
 * <p>Bounded: at most {@value #MAX_CUSTOMERS} customers, {@value #MAX_CONCURRENCY} at a time, for at most
 * {@code --seconds} (default 120; past it the customers still running are cancelled and the figures cover what
 * was done); each customer starts at most {@code --washes} washes and polls each at most 240 times. Only
 * 127.0.0.1 or localhost: the script refuses another host. Without {@code --url} it starts its own service (local
 * redis-server and mariadbd in a temporary directory, 100 machines, time x600) and stops it at the end.
 */
public final class LoadScript {
    static final int MAX_CUSTOMERS = 50_000;
    static final int MAX_CONCURRENCY = 2_000;
    /** Held so the level set on it stays (JUL keeps loggers weakly). */
    private static final java.util.logging.Logger ACCESS_LOG =
            java.util.logging.Logger.getLogger("dev.spindle.http.access");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PROGRAMS = {"cotton", "synthetics", "wool", "delicates", "quick"};
    private static final String[] ENDPOINTS = {"register", "login", "start", "poll", "cancel", "machines"};
    /** The start of the report's last line, which holds the figures as one JSON object. */
    static final String SUMMARY_PREFIX = "summary-json: ";

    private final String base;
    private final int customers;
    private final int concurrency;
    private final int washes;
    private final Duration limit;
    private final PrintStream out;
    private final Map<String, String> loopRoles = new LinkedHashMap<>();
    private final long runId = System.currentTimeMillis() % 1_000_000;

    // confined to the load's loop
    private final Map<String, Latencies> latencies = new LinkedHashMap<>();
    private final Map<Integer, Long> statuses = new TreeMap<>();
    private long requests;
    private long errors;
    private long started;
    private long cancelled;
    private long finished;
    private long busy;
    private int nextCustomer;
    private int doneCustomers;
    private final Map<String, Long> maxLagMicros = new LinkedHashMap<>();

    /** One endpoint's latencies, in microseconds. */
    private static final class Latencies {
        long[] micros = new long[1024];
        int n;

        void add(long us) {
            if (n == micros.length) {
                micros = Arrays.copyOf(micros, n * 2);
            }
            micros[n++] = us;
        }

        long percentile(long[] sorted, double p) {
            return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
        }
    }

    LoadScript(String base, int customers, int concurrency, int washes, Duration limit, PrintStream out) {
        URI u = URI.create(base);
        if (!"127.0.0.1".equals(u.getHost()) && !"localhost".equals(u.getHost())) {
            throw new IllegalArgumentException(
                    "the load script drives 127.0.0.1 or localhost only, not " + u.getHost());
        }
        if (customers < 1 || customers > MAX_CUSTOMERS) {
            throw new IllegalArgumentException("--customers must be 1.." + MAX_CUSTOMERS + ", was " + customers);
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("--concurrency must be 1.." + MAX_CONCURRENCY + ", was " + concurrency);
        }
        if (washes < 1 || washes > 20) {
            throw new IllegalArgumentException("--washes must be 1..20, was " + washes);
        }
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.customers = customers;
        this.concurrency = concurrency;
        this.washes = washes;
        this.limit = limit;
        this.out = out;
        for (String e : ENDPOINTS) {
            latencies.put(e, new Latencies());
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : LaundromatConfig.splitArgs(args)) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("arguments are --name=value, got: " + arg);
            }
            a.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        if (System.getProperty("java.util.logging.config.file") == null) {
            ACCESS_LOG.setLevel(java.util.logging.Level.WARNING); // one line per request would bury the progress bar
        }
        int customers = Integer.parseInt(a.getOrDefault("customers", "2000"));
        int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "200"));
        int washes = Integer.parseInt(a.getOrDefault("washes", "2"));
        Duration limit = Duration.ofSeconds(Long.parseLong(a.getOrDefault("seconds", "120")));
        String url = a.get("url");
        LocalServers local = null;
        Laundromat shop = null;
        Path tmp = null;
        try {
            if (url == null) {
                tmp = Files.createTempDirectory("spindle-laundromat-load-");
                System.out.println("Starting a service of its own (local servers in " + tmp + ") ...");
                local = LocalServers.start(tmp, true, true);
                shop = Laundromat.start(LaundromatConfig.builder()
                        .redisUrl(local.redisUrl())
                        .mysqlUrl(local.mysqlUrl())
                        .machines(100)
                        .speed(600)
                        .rateLimit(1000, Duration.ofSeconds(10))
                        .build());
                url = shop.baseUrl();
            }
            LoadScript load = new LoadScript(url, customers, concurrency, washes, limit, System.out);
            if (shop != null) {
                load.loopRoles.put(shop.loopName(), "the service's loop");
            }
            Spindle.run(load::run);
        } finally {
            if (shop != null) {
                shop.close();
            }
            if (local != null) {
                local.close();
            }
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    /** Runs the load on the current loop and prints the report. */
    void run() {
        out.printf(
                "Load: %,d customers, %d at a time, %d washes each, at most %d s, against %s%n",
                customers, concurrency, washes, limit.toSeconds(), base);
        loopRoles.put(dev.spindle.loop.Loop.current().name(), "the load's loop");
        long t0 = System.nanoTime();
        try (AutoCloseable probes = Metrics.probeLag(Duration.ofMillis(100));
                HttpClient http = HttpClient.builder()
                        .limits(PoolLimits.builder()
                                .maxConnections(concurrency)
                                .maxConnectionsPerOrigin(concurrency)
                                .maxIdleConnections(concurrency)
                                .build())
                        .timeouts(Timeouts.defaults()
                                .withRead(Duration.ofSeconds(30))
                                .withPool(Duration.ofSeconds(60)))
                        .build()) {
            Task<Void> progress = spawn("progress", () -> {
                while (true) {
                    sleep(Duration.ofMillis(250));
                    sampleLag();
                    bar(t0, false);
                }
            });
            try {
                withTimeout(
                        limit,
                        () -> taskGroup(tg -> {
                            for (int i = 0; i < concurrency; i++) {
                                tg.spawn(() -> {
                                    while (nextCustomer < customers) {
                                        customer(http, nextCustomer++);
                                        doneCustomers++;
                                    }
                                });
                            }
                            return null;
                        }));
            } catch (TimedOut t) {
                out.printf(
                        "%nTime limit of %d s reached: the customers still running were stopped.%n", limit.toSeconds());
            } finally {
                progress.cancel();
            }
            sampleLag();
            bar(t0, true);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        report(Duration.ofNanos(System.nanoTime() - t0));
    }

    /** One simulated customer's visit. */
    private void customer(HttpClient http, int index) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        String name = "load" + runId + "_" + index;
        String creds = "{\"name\":\"" + name + "\",\"password\":\"password-" + index + "\"}";
        if (call(http, "register", ClientRequest.post(base + "/customers").json(creds), null) == null) {
            return;
        }
        JsonNode login = call(http, "login", ClientRequest.post(base + "/token").json(creds), null);
        if (login == null) {
            return;
        }
        String token = login.get("accessToken").asText();
        for (int w = 0; w < washes; w++) {
            if (rnd.nextInt(4) == 0) {
                call(http, "machines", ClientRequest.get(base + "/machines"), token);
            }
            String body = "{\"program\":\"" + PROGRAMS[rnd.nextInt(PROGRAMS.length)] + "\",\"minutes\":"
                    + (1 + rnd.nextInt(5)) + "}";
            JsonNode wash = null;
            for (int attempt = 0; attempt < 20 && wash == null; attempt++) {
                int[] status = new int[1];
                wash = call(http, "start", ClientRequest.post(base + "/washes").json(body), token, status);
                if (wash == null && status[0] == 409) {
                    busy++;
                    sleep(Duration.ofMillis(200 + rnd.nextInt(300))); // full: come back later
                } else if (wash == null) {
                    break;
                }
            }
            if (wash == null) {
                continue;
            }
            started++;
            long id = wash.get("id").asLong();
            if (rnd.nextInt(5) == 0) {
                if (call(http, "cancel", ClientRequest.delete(base + "/washes/" + id), token) != null) {
                    cancelled++;
                }
                continue;
            }
            for (int poll = 0; poll < 240; poll++) {
                sleep(Duration.ofMillis(250 + rnd.nextInt(250)));
                JsonNode w2 = call(http, "poll", ClientRequest.get(base + "/washes/" + id), token);
                if (w2 != null && !w2.get("state").asText().equals("RUNNING")) {
                    finished++;
                    break;
                }
            }
        }
    }

    private JsonNode call(HttpClient http, String endpoint, ClientRequest.Builder req, String token) {
        return call(http, endpoint, req, token, new int[1]);
    }

    /** One request, timed; the JSON of a 2xx answer, else null (its status in {@code status[0]}). */
    private JsonNode call(HttpClient http, String endpoint, ClientRequest.Builder req, String token, int[] status) {
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        long t = System.nanoTime();
        try (ClientResponse r = http.send(req.build())) {
            String text = r.text();
            latencies.get(endpoint).add((System.nanoTime() - t) / 1000);
            requests++;
            status[0] = r.status();
            statuses.merge(r.status(), 1L, Long::sum);
            return r.status() / 100 == 2 ? JSON.readTree(text) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (HttpTimeout slow) {
            requests++;
            errors++;
            return null;
        } catch (RuntimeException e) {
            if (e instanceof dev.spindle.task.Cancelled || e instanceof TimedOut) {
                throw e; // the run's time limit
            }
            requests++;
            errors++;
            return null;
        }
    }

    private void sampleLag() {
        for (LoopMetrics m : Metrics.loops()) {
            long us = m.takeMaxLag().toNanos() / 1000;
            maxLagMicros.merge(m.name(), us, Math::max);
        }
    }

    private void bar(long t0, boolean last) {
        double s = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
        int width = 30;
        int filled = (int) ((long) width * doneCustomers / customers);
        long lag =
                maxLagMicros.values().stream().mapToLong(Long::longValue).max().orElse(0);
        out.printf(
                "\r[%s%s] %3d%%  %,d/%,d customers  %,d requests  %,.0f req/s  max lag %.1f ms   %s",
                "#".repeat(filled),
                ".".repeat(width - filled),
                100L * doneCustomers / customers,
                doneCustomers,
                customers,
                requests,
                requests / s,
                lag / 1000.0,
                last ? "\n" : "");
        out.flush();
    }

    private void report(Duration took) {
        double s = took.toNanos() / 1e9;
        out.printf(
                "Done in %.1f s: %,d requests, %,.0f req/s; %,d washes started, %,d cancelled, %,d seen finished;"
                        + " %,d answers 'all machines busy' (409); %,d failed requests%n",
                s, requests, requests / s, started, cancelled, finished, busy, errors);
        out.printf("%-12s %9s %9s %9s %9s %9s%n", "latency ms", "count", "p50", "p90", "p99", "max");
        Latencies all = new Latencies();
        for (var e : latencies.entrySet()) {
            Latencies l = e.getValue();
            for (int i = 0; i < l.n; i++) {
                all.add(l.micros[i]);
            }
            row(e.getKey(), l);
        }
        row("all", all);
        out.printf("%-40s %12s%n", "loop lag (probed every 100 ms)", "max ms");
        maxLagMicros.forEach((name, us) -> out.printf(
                "  %-38s %12.1f%n", name + " (" + loopRoles.getOrDefault(name, "another loop") + ")", us / 1000.0));
        out.println("statuses: " + statuses);
        out.println(SUMMARY_PREFIX + summary(s, all));
    }

    /**
     * The report as one JSON object (for scripts such as benchmarks/laundromat/run.sh): seconds, requests, reqPerSec,
     * the wash counts, errors, statuses, and per endpoint (and "all") count, p50, p90, p99 and max in milliseconds.
     */
    private String summary(double seconds, Latencies all) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", seconds);
        m.put("requests", requests);
        m.put("reqPerSec", requests / seconds);
        m.put("customers", doneCustomers);
        m.put("started", started);
        m.put("cancelled", cancelled);
        m.put("finished", finished);
        m.put("busy", busy);
        m.put("errors", errors);
        Map<String, Long> byStatus = new LinkedHashMap<>();
        statuses.forEach((k, v) -> byStatus.put(String.valueOf(k), v));
        m.put("statuses", byStatus);
        Map<String, Object> endpoints = new LinkedHashMap<>();
        latencies.forEach((name, l) -> endpoints.put(name, percentiles(l)));
        endpoints.put("all", percentiles(all));
        m.put("latencyMs", endpoints);
        try {
            return JSON.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> percentiles(Latencies l) {
        long[] sorted = Arrays.copyOf(l.micros, l.n);
        Arrays.sort(sorted);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", l.n);
        p.put("p50", l.percentile(sorted, 0.50) / 1000.0);
        p.put("p90", l.percentile(sorted, 0.90) / 1000.0);
        p.put("p99", l.percentile(sorted, 0.99) / 1000.0);
        p.put("max", (sorted.length == 0 ? 0 : sorted[sorted.length - 1]) / 1000.0);
        return p;
    }

    private void row(String name, Latencies l) {
        long[] sorted = Arrays.copyOf(l.micros, l.n);
        Arrays.sort(sorted);
        out.printf(
                "  %-10s %9d %9.1f %9.1f %9.1f %9.1f%n",
                name,
                l.n,
                l.percentile(sorted, 0.50) / 1000.0,
                l.percentile(sorted, 0.90) / 1000.0,
                l.percentile(sorted, 0.99) / 1000.0,
                (sorted.length == 0 ? 0 : sorted[sorted.length - 1]) / 1000.0);
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
