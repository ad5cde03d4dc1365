package dev.spindle.bench.web;

import dev.spindle.Spindle;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.loop.Loop;
import dev.spindle.mysql.MySqlOptions;
import dev.spindle.mysql.MySqlPool;
import dev.spindle.mysql.Pipeline;
import dev.spindle.mysql.PoolOptions;
import dev.spindle.mysql.Result;
import dev.spindle.mysql.Row;
import dev.spindle.mysql.SslMode;
import dev.spindle.web.App;
import dev.spindle.web.Get;
import dev.spindle.web.params.Query;
import dev.spindle.web.responses.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TechEmpower's six tests on spindle-web with spindle-mysql (benchmarks/web.sh): /plaintext, /json, /db,
 * /queries?queries=N, /fortunes and /updates?queries=N, written as an application would write them (annotated
 * handlers returning records, the framework writing the JSON).
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     dev.spindle.bench.web.TechEmpowerApp --port 8080 --loops 1 --db-port 3306 --pool 64
 * </pre>
 *
 * <p>Database: {@code hello_world} on 127.0.0.1, user {@code benchmarkdbuser}, TechEmpower's {@code World} and
 * {@code Fortune} tables. A pool belongs to one loop, so each loop gets its own (of {@code --pool} connections).
 * {@code /queries} and {@code /updates} pipeline their statements (one write of N prepared-statement executions on
 * one connection, the N replies read in order: each row is still read by its own query, as TechEmpower's rules want,
 * without a round trip each). The updates are one {@code UPDATE ... CASE} statement per request (a bulk update,
 * which the rules allow, as every peer in web.sh does), queued in the same pipeline behind the reads: the server runs
 * it after them. The peers run their statements one after the other.
 */
public final class TechEmpowerApp {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final String SELECT_WORLD = "SELECT id, randomNumber FROM World WHERE id = ?";
    /** Held here because java.util.logging keeps its loggers weakly (see SpindleHttpServer). */
    private static final java.util.logging.Logger ACCESS_LOG =
            java.util.logging.Logger.getLogger("dev.spindle.http.access");

    /** TechEmpower's JSON test object. */
    public record Message(String message) {}

    /** A row of {@code World}. */
    public record World(int id, int randomNumber) {}

    /** A row of {@code Fortune}. */
    public record Fortune(int id, String message) {}

    private final MySqlOptions db;
    private final PoolOptions poolOptions;
    private final ConcurrentHashMap<Loop, MySqlPool> pools = new ConcurrentHashMap<>();

    TechEmpowerApp(MySqlOptions db, PoolOptions poolOptions) {
        this.db = db;
        this.poolOptions = poolOptions;
    }

    /** The current loop's pool (created on first use; connections are opened as needed). */
    private MySqlPool pool() {
        Loop loop = Spindle.currentTask().loop();
        MySqlPool p = pools.get(loop);
        return p != null ? p : pools.computeIfAbsent(loop, l -> MySqlPool.create(db, poolOptions));
    }

    @Get("/plaintext")
    public Response plaintext() {
        return Response.bytes(HELLO, "text/plain");
    }

    @Get("/json")
    public Message json() {
        return new Message("Hello, World!");
    }

    @Get("/db")
    public World db() {
        Row r = pool().fetchOne(SELECT_WORLD, randomId());
        return new World(r.getInt(0), r.getInt(1));
    }

    @Get("/queries")
    public List<World> queries(@Query("queries") Optional<String> queries) {
        int n = count(queries.orElse(null));
        Pipeline p = pool().pipeline(); // a connection is lent for its execute() only
        List<Pipeline.Pending<Row>> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(p.fetchOne(SELECT_WORLD, randomId()));
        }
        p.execute();
        List<World> out = new ArrayList<>(n);
        for (Pipeline.Pending<Row> pending : rows) {
            Row r = pending.get();
            out.add(new World(r.getInt(0), r.getInt(1)));
        }
        return out;
    }

    @Get("/fortunes")
    public Response fortunes() {
        List<Fortune> fortunes = new ArrayList<>(16);
        for (Row r : pool().fetch("SELECT id, message FROM Fortune")) {
            fortunes.add(new Fortune(r.getInt(0), r.getString(1)));
        }
        fortunes.add(new Fortune(0, "Additional fortune added at request time."));
        fortunes.sort((a, b) -> a.message().compareTo(b.message()));
        return Response.html(FortunesPage.render(fortunes));
    }

    @Get("/updates")
    public List<World> updates(@Query("queries") Optional<String> queries) {
        int n = count(queries.orElse(null));
        List<World> out = new ArrayList<>(n);
        Pipeline p = pool().pipeline();
        List<Pipeline.Pending<Row>> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int id = randomId();
            rows.add(p.fetchOne(SELECT_WORLD, id));
            out.add(new World(id, randomId())); // the new number does not depend on the old one
        }
        // queued behind the reads: the server runs it after them, and the lot is one write and its replies
        Pipeline.Pending<Result> updated = p.execute(BulkUpdate.sql(n), BulkUpdate.params(out));
        p.execute();
        for (int i = 0; i < n; i++) {
            if (rows.get(i).get() == null) {
                throw new IllegalStateException("World " + out.get(i).id() + " is missing");
            }
        }
        updated.get(); // its ServerError, if the server refused it
        return out;
    }

    static int randomId() {
        return 1 + ThreadLocalRandom.current().nextInt(10_000);
    }

    /** TechEmpower's rule: a missing or non-numeric count is 1, and the count is clamped to 1..500. */
    static int count(String queries) {
        if (queries == null) {
            return 1;
        }
        try {
            return Math.clamp(Integer.parseInt(queries.trim()), 1, 500);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    public static void main(String[] args) {
        int port = 0;
        int loops = 1;
        int dbPort = 3306;
        int poolSize = 64;
        boolean pace = true;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--loops" -> loops = Integer.parseInt(args[i + 1]);
                case "--db-port" -> dbPort = Integer.parseInt(args[i + 1]);
                case "--pool" -> poolSize = Integer.parseInt(args[i + 1]);
                case "--pace-pipeline-reads" -> pace = Boolean.parseBoolean(args[i + 1]); // for A/B runs
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port 1..65535 is required");
        }
        ACCESS_LOG.setLevel(java.util.logging.Level.OFF);
        MySqlOptions db = MySqlOptions.builder()
                .host("127.0.0.1")
                .port(dbPort)
                .user("benchmarkdbuser")
                .password("benchmarkdbpass")
                .database("hello_world")
                .sslMode(SslMode.DISABLED)
                .pacePipelineReads(pace)
                .build();
        App app = new App()
                .include(new TechEmpowerApp(
                        db, PoolOptions.builder().maxSize(poolSize).build()));
        System.err.println("spindle-web on 127.0.0.1:" + port + ", " + loops + " loop(s), backend "
                + System.getProperty("spindle.io.backend", "nio") + ", database port " + dbPort);
        app.serve(HttpServerOptions.builder()
                .host("127.0.0.1")
                .port(port)
                .loops(loops)
                .build());
    }
}
