package peers;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * TechEmpower's six tests on Vert.x 5 web with vertx-mysql-client 5 (benchmarks/web.sh): one verticle per event loop
 * ({@code --threads}), each with its own pool of {@code --pool} connections. Multiple queries and updates run one
 * after the other on one connection per request, as in Spindle's app; updates are one bulk statement.
 */
public final class VertxTechEmpower extends VerticleBase {
    private static final Buffer HELLO = Buffer.buffer("Hello, World!");
    private static DbArgs args;
    private Pool pool;

    @Override
    public Future<?> start() {
        MySQLConnectOptions co = new MySQLConnectOptions()
                .setHost("127.0.0.1").setPort(args.dbPort).setDatabase(TechEmpower.DB_NAME)
                .setUser(TechEmpower.DB_USER).setPassword(TechEmpower.DB_PASSWORD)
                .setCachePreparedStatements(true)
                .setPipeliningLimit(args.pipelining);
        pool = MySQLBuilder.pool()
                .with(new PoolOptions().setMaxSize(args.pool))
                .connectingTo(co)
                .using(vertx)
                .build();
        Router router = Router.router(vertx);
        router.get("/plaintext").handler(ctx -> headers(ctx, "text/plain").end(HELLO));
        router.get("/json").handler(ctx -> headers(ctx, "application/json")
                .end(Json.encodeToBuffer(new Message("Hello, World!"))));
        router.get("/db").handler(ctx -> pool.preparedQuery(TechEmpower.SELECT_WORLD)
                .execute(Tuple.of(TechEmpower.randomId()))
                .onSuccess(rs -> {
                    Row r = rs.iterator().next();
                    json(ctx, new TechEmpower.World(r.getInteger(0), r.getInteger(1)));
                })
                .onFailure(ctx::fail));
        router.get("/queries").handler(ctx -> {
            int n = TechEmpower.count(ctx.request().getParam("queries"));
            pool.withConnection(c -> args.pipelining > 1 ? selectPipelined(c, n) : select(c, n, new ArrayList<>(n), false))
                    .onSuccess(worlds -> json(ctx, worlds))
                    .onFailure(ctx::fail);
        });
        router.get("/fortunes").handler(ctx -> pool.preparedQuery(TechEmpower.SELECT_FORTUNES)
                .execute()
                .onSuccess(rs -> {
                    List<TechEmpower.Fortune> fortunes = new ArrayList<>(16);
                    for (Row r : rs) {
                        fortunes.add(new TechEmpower.Fortune(r.getInteger(0), r.getString(1)));
                    }
                    headers(ctx, "text/html; charset=utf-8").end(TechEmpower.fortunesPage(fortunes));
                })
                .onFailure(ctx::fail));
        router.get("/updates").handler(ctx -> {
            int n = TechEmpower.count(ctx.request().getParam("queries"));
            pool.withConnection(c -> args.pipelining > 1
                            ? updatePipelined(c, n)
                            : select(c, n, new ArrayList<>(n), true)
                                    .compose(worlds -> c.preparedQuery(TechEmpower.updateSql(n))
                                            .execute(Tuple.wrap(TechEmpower.updateParams(worlds)))
                                            .map(done -> worlds)))
                    .onSuccess(worlds -> json(ctx, worlds))
                    .onFailure(ctx::fail);
        });
        return vertx.createHttpServer().requestHandler(router).listen(args.port, "127.0.0.1");
    }

    /** Sends n selects of random rows on c without waiting for each reply (pipelined), as Spindle does. */
    private static Future<List<TechEmpower.World>> selectPipelined(SqlConnection c, int n) {
        List<Future<RowSet<Row>>> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(c.preparedQuery(TechEmpower.SELECT_WORLD).execute(Tuple.of(TechEmpower.randomId())));
        }
        return Future.all(rows).map(all -> {
            List<TechEmpower.World> out = new ArrayList<>(n);
            for (Future<RowSet<Row>> f : rows) {
                Row r = f.result().iterator().next();
                out.add(new TechEmpower.World(r.getInteger(0), r.getInteger(1)));
            }
            return out;
        });
    }

    /**
     * The n selects and the bulk update pipelined on c, the update queued behind the selects (each row's new number
     * does not depend on its old one), as Spindle sends them.
     */
    private static Future<List<TechEmpower.World>> updatePipelined(SqlConnection c, int n) {
        List<TechEmpower.World> worlds = new ArrayList<>(n);
        List<Future<?>> all = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            int id = TechEmpower.randomId();
            worlds.add(new TechEmpower.World(id, TechEmpower.randomId()));
            all.add(c.preparedQuery(TechEmpower.SELECT_WORLD).execute(Tuple.of(id)).map(rs -> {
                if (!rs.iterator().hasNext()) {
                    throw new IllegalStateException("World " + id + " is missing");
                }
                return rs;
            }));
        }
        all.add(c.preparedQuery(TechEmpower.updateSql(n)).execute(Tuple.wrap(TechEmpower.updateParams(worlds))));
        return Future.all(all).map(done -> worlds);
    }

    /** Reads n random rows one after the other on c; with {@code renumber}, each gets a new random number. */
    private static Future<List<TechEmpower.World>> select(
            SqlConnection c, int n, List<TechEmpower.World> into, boolean renumber) {
        if (into.size() == n) {
            return Future.succeededFuture(into);
        }
        return c.preparedQuery(TechEmpower.SELECT_WORLD).execute(Tuple.of(TechEmpower.randomId())).compose(rs -> {
            Row r = rs.iterator().next();
            into.add(new TechEmpower.World(r.getInteger(0), renumber ? TechEmpower.randomId() : r.getInteger(1)));
            return select(c, n, into, renumber);
        });
    }

    private static HttpServerResponse headers(RoutingContext ctx, String contentType) {
        return ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                .putHeader(HttpHeaders.SERVER, "vertx")
                .putHeader(HttpHeaders.DATE, HttpDate.now());
    }

    private static void json(RoutingContext ctx, Object value) {
        headers(ctx, "application/json").end(Json.encodeToBuffer(value));
    }

    public static void main(String[] argv) {
        args = DbArgs.parse(argv);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(args.threads));
        vertx.deployVerticle(VertxTechEmpower::new, new DeploymentOptions().setInstances(args.threads))
                .onSuccess(id -> System.err.println("vertx-web on 127.0.0.1:" + args.port + ", " + args.threads
                        + " event loop(s), database port " + args.dbPort + ", native transport: "
                        + vertx.isNativeTransportEnabled()))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }
}
