package dev.spindle.laundromat;

import dev.spindle.Spindle;
import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.laundromat.api.CurrentCustomer;
import dev.spindle.laundromat.api.CustomerRoutes;
import dev.spindle.laundromat.api.Models.Health;
import dev.spindle.laundromat.api.RateLimited;
import dev.spindle.laundromat.api.WashRoutes;
import dev.spindle.laundromat.live.LiveFeed;
import dev.spindle.laundromat.live.LiveRoutes;
import dev.spindle.laundromat.notify.RateLimiter;
import dev.spindle.laundromat.notify.ReadyQueue;
import dev.spindle.laundromat.notify.ReadyWorkers;
import dev.spindle.laundromat.page.PageRoutes;
import dev.spindle.laundromat.store.Migrations;
import dev.spindle.laundromat.store.Store;
import dev.spindle.laundromat.washes.Floor;
import dev.spindle.loop.Loop;
import dev.spindle.mysql.MySql;
import dev.spindle.mysql.MySqlConnection;
import dev.spindle.mysql.MySqlOptions;
import dev.spindle.mysql.MySqlPool;
import dev.spindle.mysql.PoolOptions;
import dev.spindle.redis.RedisClient;
import dev.spindle.sync.LoopEvent;
import dev.spindle.web.App;
import dev.spindle.web.security.HTTPBearer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The laundromat service, running: one Spindle loop on a thread of its own serves HTTP (the API, the page, the live
 * feeds), runs every wash coroutine and the ready-queue workers, and owns the Redis client and the MariaDB pool.
 *
 * {@snippet :
 * try (Laundromat shop = Laundromat.start(LaundromatConfig.builder()
 *         .redisUrl("redis://127.0.0.1:6379")
 *         .mysqlUrl("mysql://app:secret@127.0.0.1:3306/laundromat?sslMode=DISABLED")
 *         .port(8000)
 *         .build())) {
 *     System.out.println("page at " + shop.baseUrl() + "/");
 *     shop.awaitStopped();
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Start.</b> {@link #start} returns once the database exists and its migrations are applied, the stream's
 *       consumer group exists, the washes a previous run left are resumed and the port listens; it throws (and leaves
 *       nothing running) if any of that fails.
 *   <li><b>Stop.</b> {@link #close} (any thread, idempotent) stops gracefully: live streams end, the HTTP server
 *       stops accepting and lets in-flight requests finish within {@link LaundromatConfig#shutdownGrace()}, every
 *       running wash is saved PAUSED with its remaining time, the workers stop (their unacknowledged entries stay
 *       pending for the next start), then the clients close. {@link Main} calls it from a shutdown hook, so SIGINT
 *       and SIGTERM save the washes.
 *   <li><b>Crash.</b> Nothing accepted is lost if the process dies instead: a wash answered 201 is committed with
 *       its deadline, and the next start resumes it (see {@link Floor}).
 * </ul>
 */
public final class Laundromat implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Laundromat.class.getName());

    private final LaundromatConfig config;
    private final CompletableFuture<Integer> started = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile Loop loop;
    private volatile LoopEvent stop;
    private volatile int resumed;

    private Laundromat(LaundromatConfig config) {
        this.config = config;
    }

    /**
     * Starts the service on a thread of its own and waits until it serves.
     *
     * @throws IllegalArgumentException if the Redis or MariaDB URL is missing
     * @throws IllegalStateException if the start failed (the cause says why) or took over two minutes
     */
    public static Laundromat start(LaundromatConfig config) {
        if (config.redisUrl() == null || config.mysqlUrl() == null) {
            throw new IllegalArgumentException("the service needs a Redis and a MariaDB URL (Main starts local"
                    + " servers when they are missing): redis=" + config.redisUrl() + ", mysql=" + config.mysqlUrl());
        }
        Laundromat shop = new Laundromat(config);
        Thread.ofPlatform().name("laundromat-loop").start(() -> {
            try {
                Spindle.run(shop::serve);
                shop.stopped.complete(null);
            } catch (Throwable t) {
                shop.started.completeExceptionally(t);
                shop.stopped.completeExceptionally(t);
            }
        });
        try {
            shop.started.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the laundromat did not start: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            shop.close();
            throw new IllegalStateException("the laundromat did not start within two minutes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the laundromat started", e);
        }
        return shop;
    }

    /** The port the API listens on. */
    public int port() {
        return started.join();
    }

    /** {@code http://host:port}, without a trailing slash. */
    public String baseUrl() {
        return "http://" + config.host() + ":" + port();
    }

    /** How many washes the start resumed from a previous run. */
    public int resumed() {
        return resumed;
    }

    /** The name of the loop that runs the service (as {@link dev.spindle.observe.Metrics#loops()} lists it). */
    public String loopName() {
        started.join();
        return loop.name();
    }

    public LaundromatConfig config() {
        return config;
    }

    /** Waits until the service has stopped (after {@link #close}, from another thread). */
    public void awaitStopped() {
        try {
            stopped.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the laundromat failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops gracefully (see the class documentation) and waits until done. */
    @Override
    public void close() {
        Loop l = loop;
        LoopEvent s = stop;
        if (l != null && s != null && !stopped.isDone()) {
            try {
                l.callSoonThreadsafe(s::set);
            } catch (RuntimeException closedAlready) {
                // the loop ended meanwhile
            }
        }
        try {
            stopped.get(config.shutdownGrace().toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            // start() reported it
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.ERROR, "the laundromat did not stop within its grace and a minute");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The service's life, in its loop's main coroutine. */
    private void serve() throws Exception {
        loop = Loop.current();
        stop = new LoopEvent();
        MySqlOptions dbOptions = MySqlOptions.parse(config.mysqlUrl());
        if (dbOptions.database() == null || dbOptions.database().isBlank()) {
            dbOptions = dbOptions.toBuilder().database("laundromat").build();
        }
        createDatabase(dbOptions);
        try (RedisClient redis = RedisClient.create(config.redisUrl());
                MySqlPool pool = MySqlPool.create(
                        dbOptions,
                        PoolOptions.builder()
                                .maxSize(20)
                                .acquireTimeout(Duration.ofSeconds(30))
                                .build())) {
            Migrations.apply(pool, config.machines());
            Store store = new Store(pool);
            ReadyQueue ready = new ReadyQueue(redis);
            ready.declare();
            LiveFeed feed = new LiveFeed();
            Floor floor = new Floor(store, ready, feed, config.machines(), config.speed());
            resumed = floor.recover();
            ReadyWorkers workers = ReadyWorkers.start(redis, store, feed, config.workers());
            dev.spindle.task.Task<Void> sweeper = Spindle.spawn("requeue-unnotified", () -> {
                while (true) {
                    Spindle.sleep(Duration.ofSeconds(30));
                    try {
                        floor.requeueUnnotified(30);
                    } catch (dev.spindle.task.Cancelled c) {
                        throw c;
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "re-queueing notifications failed; again in 30 s", e);
                    }
                }
            });
            App app = app(store, floor, feed, workers, new RateLimiter(redis, config.rateLimit(), config.rateWindow()));
            app.startup();
            Spindle.toThread(Laundromat::warmUp);
            HttpServer server;
            try {
                server = HttpServer.start(
                        app,
                        HttpServerOptions.builder()
                                .host(config.host())
                                .port(config.port())
                                .shutdownTimeout(config.shutdownGrace())
                                .build());
            } catch (RuntimeException e) {
                sweeper.cancel();
                floor.saveAll();
                workers.stop();
                throw e;
            }
            server.onShutdown(feed::close);
            int port = server.port();
            Spindle.toThread(() -> selfCheck(port));
            started.complete(port);
            try {
                stop.await();
            } finally {
                feed.close();
                server.shutdown(config.shutdownGrace());
                sweeper.cancel();
                floor.saveAll();
                workers.stop();
                app.shutdown();
            }
        }
    }

    /**
     * Loads and initializes, off the loop, what the first requests would otherwise load on it: Hibernate Validator
     * (seconds on a busy machine), Jackson's record support, PBKDF2. The loop keeps serving meanwhile.
     */
    private static Void warmUp() {
        try (jakarta.validation.ValidatorFactory f = jakarta.validation.Validation.byDefaultProvider()
                .configure()
                .messageInterpolator(new org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator())
                .buildValidatorFactory()) {
            f.getValidator().validate(new dev.spindle.laundromat.api.Models.Credentials("x", "y"));
            f.getValidator()
                    .validate(new dev.spindle.laundromat.api.Models.StartWash("lava", 0, java.util.Optional.of(0)));
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .readValue(
                            "{\"name\":\"ada\",\"password\":\"x\"}",
                            dev.spindle.laundromat.api.Models.Credentials.class);
            javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "warm-up", e);
        }
        return null;
    }

    /**
     * Before the service says it is ready, sends it one request of each kind (from a plain thread, answers
     * ignored): the first request down each path loads classes, spins method handles and builds validation
     * metadata on the loop, seconds on a busy machine, which would otherwise land on the first customers.
     */
    private Void selfCheck(int port) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String base = "http://" + config.host() + ":" + port;
        String[][] requests = {
            {"GET", "/machines", null},
            {"GET", "/machines/1", null},
            {"POST", "/customers", "{\"name\":\"x\",\"password\":\"y\"}"},
            {"POST", "/token", "{\"name\":\"x\",\"password\":\"y\"}"},
            {"POST", "/washes", "{\"program\":\"lava\",\"minutes\":0}"},
            {"GET", "/washes", null},
            {"DELETE", "/washes/0", null},
            {"GET", "/health", null},
            {"GET", "/", null},
        };
        for (String[] r : requests) {
            try {
                java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(base + r[1]))
                        .timeout(Duration.ofSeconds(30))
                        .method(
                                r[0],
                                r[2] == null
                                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                        : java.net.http.HttpRequest.BodyPublishers.ofString(r[2]));
                if (r[2] != null) {
                    b.header("Content-Type", "application/json");
                }
                if (r[1].startsWith("/washes")) {
                    b.header("Authorization", "Bearer " + "x".repeat(43)); // unknown: a 401 down the auth path
                }
                http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "self-check " + r[1], e);
            }
        }
        return null;
    }

    private static void createDatabase(MySqlOptions options) {
        String db = options.database();
        if (!db.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("the database name must be letters, digits and _: " + db);
        }
        try (MySqlConnection c =
                MySql.connect(options.toBuilder().database(null).build())) {
            c.execute("CREATE DATABASE IF NOT EXISTS `" + db + "` CHARACTER SET utf8mb4");
        }
    }

    private App app(Store store, Floor floor, LiveFeed feed, ReadyWorkers workers, RateLimiter limiter) {
        App app = new App()
                .title("Spindle Laundromat")
                .version("1.0")
                .description("The tutorial's laundromat: one worker (the loop), " + config.machines()
                        + " washing machines (coroutines). Register, log in (a bearer token; the Authorize button"
                        + " takes it), start washes, watch them on `/` or over `/ws` and `/events`.");
        app.provide(new HTTPBearer());
        app.provide(new CurrentCustomer(store));
        app.provide(new RateLimited(limiter));
        app.include(new CustomerRoutes(store));
        app.include(new WashRoutes(floor, store));
        app.include(new LiveRoutes(feed, floor));
        app.include(new PageRoutes());
        app.get(
                "/health",
                r -> new Health(
                        "ok", floor.runningCount(), floor.finishedCount(), feed.subscribers(), workers.handled()));
        return app;
    }
}
