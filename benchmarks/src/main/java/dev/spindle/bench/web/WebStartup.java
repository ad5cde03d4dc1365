package dev.spindle.bench.web;

import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.web.App;
import dev.spindle.web.Delete;
import dev.spindle.web.Get;
import dev.spindle.web.HTTPException;
import dev.spindle.web.Patch;
import dev.spindle.web.Post;
import dev.spindle.web.Put;
import dev.spindle.web.Router;
import dev.spindle.web.depends.Depends;
import dev.spindle.web.params.Default;
import dev.spindle.web.params.Field;
import dev.spindle.web.params.Header;
import dev.spindle.web.params.Query;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Startup time of a 50-route spindle-web app (issue 11's benchmark): declares five resources of ten routes each
 * (path, query, header parameters with constraints, record bodies, a dependency), starts the server on a free port
 * of 127.0.0.1, sends one {@code GET /items/1} over a plain socket and prints how long it took from the JVM's start
 * to the 200 response, and each phase.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.spindle.bench.web.WebStartup [--start-ns EPOCH_NANOS] [--loops N]
 * </pre>
 *
 * {@code --start-ns} is the launcher's clock just before {@code java} ran ({@code date +%s%N}); without it the
 * process start time (10 ms resolution on Linux) is used. Output, one line: {@code total_ms=... jvm_ms=...
 * declare_ms=... server_ms=... first_request_ms=...}; {@code jvm_ms} is the time before {@code main} ran.
 */
public final class WebStartup {
    private WebStartup() {}

    // ---- the app: five resources of ten routes --------------------------------------------------------------

    enum Status {
        active,
        archived,
        deleted
    }

    record Page(
            @Query @Default("0") @Min(0) int skip,
            @Query @Default("20") @Max(100) int limit) {}

    record Item(
            @Size(min = 1, max = 50) String name,
            Optional<String> description,
            @Min(0) double price,
            Optional<Double> tax,
            List<String> tags) {}

    record ItemOut(long id, String name, Optional<String> description, double price) {}

    record User(
            @Size(min = 3, max = 20) String username,
            String email,
            @Field(alias = "full_name") Optional<String> fullName,
            Optional<LocalDate> birthday) {}

    record UserOut(long id, String username, String email) {}

    record Line(long itemId, @Min(1) int quantity) {}

    record Order(UUID customer, List<Line> lines, Optional<String> note) {}

    record OrderOut(UUID id, Status status, BigDecimal total, Instant created) {}

    record Review(
            @Min(1) @Max(5) int stars, @Size(max = 500) String text) {}

    record ReviewOut(long id, int stars, String text) {}

    record Tag(String name, Optional<String> color) {}

    static final class Items {
        @Get("/")
        List<ItemOut> list(@Depends Page page, @Query Optional<String> q) {
            return List.of(new ItemOut(1, "Foo", Optional.empty(), 1.5));
        }

        @Get("/{item_id}")
        ItemOut read(int item_id, @Query Optional<String> q) {
            return new ItemOut(item_id, "Foo", Optional.empty(), 1.5);
        }

        @Post(value = "/", status = 201)
        ItemOut create(Item item) {
            return new ItemOut(2, item.name(), item.description(), item.price());
        }

        @Put("/{item_id}")
        ItemOut replace(int item_id, Item item) {
            return new ItemOut(item_id, item.name(), item.description(), item.price());
        }

        @Patch("/{item_id}")
        ItemOut update(int item_id, Map<String, Object> changes) {
            return new ItemOut(item_id, "Foo", Optional.empty(), 1.5);
        }

        @Delete(value = "/{item_id}", status = 204)
        void delete(int item_id) {}

        @Get("/{item_id}/tags")
        List<Tag> tags(int item_id) {
            return List.of();
        }

        @Post("/{item_id}/tags")
        Tag addTag(int item_id, Tag tag) {
            return tag;
        }

        @Get("/search/{term}")
        List<ItemOut> search(String term, @Query @Default("10") @Max(50) int limit, @Query List<String> tag) {
            return List.of();
        }

        @Get("/count")
        Map<String, Long> count(@Header Optional<String> xTenant) {
            return Map.of("count", 1L);
        }
    }

    static final class Users {
        @Get("/")
        List<UserOut> list(@Depends Page page) {
            return List.of();
        }

        @Get("/me")
        UserOut me(@Header Optional<String> authorization) {
            return new UserOut(1, "me", "me@example.com");
        }

        @Get("/{user_id}")
        UserOut read(long user_id) {
            return new UserOut(user_id, "a", "a@example.com");
        }

        @Post(value = "/", status = 201)
        UserOut create(User user) {
            return new UserOut(3, user.username(), user.email());
        }

        @Put("/{user_id}")
        UserOut replace(long user_id, User user) {
            return new UserOut(user_id, user.username(), user.email());
        }

        @Delete(value = "/{user_id}", status = 204)
        void delete(long user_id) {}

        @Get("/{user_id}/items")
        List<ItemOut> items(long user_id, @Depends Page page) {
            return List.of();
        }

        @Get("/{user_id}/orders")
        List<OrderOut> orders(long user_id, @Query Optional<Status> status) {
            return List.of();
        }

        @Post("/{user_id}/avatar")
        Map<String, String> avatar(long user_id, @Query String url) {
            return Map.of("url", url);
        }

        @Get("/by-email/{email}")
        UserOut byEmail(String email) {
            throw new HTTPException(404, "no such user");
        }
    }

    static final class Orders {
        @Get("/")
        List<OrderOut> list(@Depends Page page, @Query Optional<Status> status) {
            return List.of();
        }

        @Get("/{order_id}")
        OrderOut read(UUID order_id) {
            return new OrderOut(order_id, Status.active, BigDecimal.ONE, Instant.EPOCH);
        }

        @Post(value = "/", status = 201)
        OrderOut create(Order order) {
            return new OrderOut(UUID.randomUUID(), Status.active, BigDecimal.TEN, Instant.EPOCH);
        }

        @Put("/{order_id}")
        OrderOut replace(UUID order_id, Order order) {
            return read(order_id);
        }

        @Delete(value = "/{order_id}", status = 204)
        void delete(UUID order_id) {}

        @Get("/{order_id}/lines")
        List<Line> lines(UUID order_id) {
            return List.of();
        }

        @Post("/{order_id}/lines")
        Line addLine(UUID order_id, Line line) {
            return line;
        }

        @Delete(value = "/{order_id}/lines/{index}", status = 204)
        void deleteLine(UUID order_id, int index) {}

        @Post("/{order_id}/status/{status}")
        OrderOut setStatus(UUID order_id, Status status) {
            return new OrderOut(order_id, status, BigDecimal.ONE, Instant.EPOCH);
        }

        @Get("/since/{day}")
        List<OrderOut> since(LocalDate day, @Depends Page page) {
            return List.of();
        }
    }

    static final class Reviews {
        @Get("/")
        List<ReviewOut> list(@Depends Page page, @Query @Default("1") @Min(1) @Max(5) int minStars) {
            return List.of();
        }

        @Get("/{review_id}")
        ReviewOut read(long review_id) {
            return new ReviewOut(review_id, 5, "good");
        }

        @Post(value = "/", status = 201)
        ReviewOut create(Review review) {
            return new ReviewOut(4, review.stars(), review.text());
        }

        @Put("/{review_id}")
        ReviewOut replace(long review_id, Review review) {
            return new ReviewOut(review_id, review.stars(), review.text());
        }

        @Delete(value = "/{review_id}", status = 204)
        void delete(long review_id) {}

        @Get("/by-item/{item_id}")
        List<ReviewOut> byItem(long item_id) {
            return List.of();
        }

        @Get("/by-user/{user_id}")
        List<ReviewOut> byUser(long user_id) {
            return List.of();
        }

        @Post("/{review_id}/flag")
        Map<String, Boolean> flag(long review_id, @Query @Size(max = 200) Optional<String> reason) {
            return Map.of("flagged", true);
        }

        @Get("/stats")
        Map<String, Double> stats() {
            return Map.of("mean", 4.2);
        }

        @Get("/latest")
        List<ReviewOut> latest(@Query @Default("5") @Max(20) int n) {
            return List.of();
        }
    }

    static final class Misc {
        @Get("/health")
        Map<String, String> health() {
            return Map.of("status", "ok");
        }

        @Get("/version")
        Map<String, String> version() {
            return Map.of("version", "1");
        }

        @Get("/time")
        Map<String, Instant> time() {
            return Map.of("now", Instant.now());
        }

        @Get("/echo/{rest:path}")
        Map<String, String> echo(String rest) {
            return Map.of("path", rest);
        }

        @Post("/echo")
        Map<String, Object> echoBody(Map<String, Object> body) {
            return body;
        }

        @Get("/tags")
        List<Tag> tags() {
            return List.of();
        }

        @Post("/tags")
        Tag createTag(Tag tag) {
            return tag;
        }

        @Get("/headers")
        Map<String, String> headers(@Header("user-agent") Optional<String> ua) {
            return Map.of("ua", ua.orElse(""));
        }

        @Get("/status/{code}")
        Map<String, Integer> status(@Min(100) @Max(599) int code) {
            return Map.of("code", code);
        }

        @Get("/uuid")
        Map<String, UUID> uuid() {
            return Map.of("uuid", UUID.randomUUID());
        }
    }

    /** The 50-route app (also used by spindle-web's tests of startup work). */
    public static App app() {
        App app = new App().title("Startup benchmark").version("1.0");
        app.include(new Router("/items").tags("items").include(new Items()));
        app.include(new Router("/users").tags("users").include(new Users()));
        app.include(new Router("/orders").tags("orders").include(new Orders()));
        app.include(new Router("/reviews").tags("reviews").include(new Reviews()));
        app.include(new Router("/misc").tags("misc").include(new Misc()));
        return app;
    }

    // ---- the measurement -------------------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        long mainNs = System.currentTimeMillis() * 1_000_000L; // epoch, ms resolution is enough here
        long mainNano = System.nanoTime();
        Long startNs = null;
        int loops = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--start-ns" -> startNs = Long.parseLong(args[++i]);
                case "--loops" -> loops = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (startNs == null) {
            Instant s = ProcessHandle.current().info().startInstant().orElseThrow();
            startNs = s.getEpochSecond() * 1_000_000_000L + s.getNano();
        }
        App app = app();
        long declared = System.nanoTime();
        app.startup(); // as App.serve does: compile the routes before listening
        long compiled = System.nanoTime();
        HttpServer server = HttpServer.start(
                app, HttpServerOptions.builder().port(0).loops(loops).build());
        long started = System.nanoTime();
        int status = get(server.port(), "/items/1");
        long answered = System.nanoTime();
        long totalNs = mainNs - startNs + (answered - mainNano);
        if (status != 200) {
            throw new IllegalStateException("GET /items/1 answered " + status);
        }
        System.out.printf(
                "total_ms=%.1f cpu_ms=%d jvm_ms=%.1f declare_ms=%.1f compile_ms=%.1f server_ms=%.1f"
                        + " first_request_ms=%.1f%n",
                totalNs / 1e6,
                cpuMillis(),
                (mainNs - startNs) / 1e6,
                (declared - mainNano) / 1e6,
                (compiled - declared) / 1e6,
                (started - compiled) / 1e6,
                (answered - started) / 1e6);
        server.close();
        System.exit(0);
    }

    /** The process's user + system CPU time so far, from /proc (Linux; -1 elsewhere): less noisy than wall time. */
    static long cpuMillis() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime, stime in 10 ms ticks
        } catch (Exception e) {
            return -1;
        }
    }

    /** One HTTP/1.1 GET over a plain socket (no client library to load); returns the status. */
    static int get(int port, String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = new byte[12];
            int n = 0;
            while (n < head.length) {
                int r = in.read(head, n, head.length - n);
                if (r < 0) {
                    throw new IllegalStateException("connection closed after " + n + " bytes");
                }
                n += r;
            }
            in.transferTo(OutputStream.nullOutputStream());
            return Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII));
        }
    }
}
