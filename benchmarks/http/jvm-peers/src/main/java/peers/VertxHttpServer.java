package peers;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;

/**
 * Vert.x 5 with vertx-web's router, one verticle instance per thread ({@code --threads}), native transport when
 * present, as TechEmpower's vertx-web entry: /plaintext and /json (serialized by Vert.x's Jackson codec).
 */
public final class VertxHttpServer extends VerticleBase {
    private static final Buffer HELLO = Buffer.buffer("Hello, World!");
    private static int port;

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/plaintext").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                .putHeader(HttpHeaders.SERVER, "vertx")
                .putHeader(HttpHeaders.DATE, HttpDate.now())
                .end(HELLO));
        router.get("/json").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.SERVER, "vertx")
                .putHeader(HttpHeaders.DATE, HttpDate.now())
                .end(Json.encodeToBuffer(new Message("Hello, World!"))));
        return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
    }

    public static void main(String[] argv) {
        Args args = Args.parse(argv);
        port = args.port;
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(args.threads));
        vertx.deployVerticle(VertxHttpServer::new, new DeploymentOptions().setInstances(args.threads))
                .onSuccess(id -> System.err.println("vertx-web on 127.0.0.1:" + port + ", " + args.threads
                        + " event loop(s), native transport: " + vertx.isNativeTransportEnabled()))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

}
