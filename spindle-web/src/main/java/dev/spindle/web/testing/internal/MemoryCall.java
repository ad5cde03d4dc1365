package dev.spindle.web.testing.internal;

import dev.spindle.Spindle;
import dev.spindle.http.Handler;
import dev.spindle.http.Headers;
import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.http.client.ClientRequest;
import dev.spindle.http.client.ClientResponse;
import dev.spindle.http.client.Content;
import dev.spindle.http.client.HttpClient;
import dev.spindle.http.client.Timeouts;
import dev.spindle.http.websocket.WebSocket;
import dev.spindle.http.websocket.WebSocketClient;
import dev.spindle.http.websocket.WebSocketOptions;
import dev.spindle.io.Connection;
import dev.spindle.io.ConnectionPair;
import dev.spindle.io.Streams;
import dev.spindle.loop.Loop;
import dev.spindle.task.Coroutine;
import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Calls an app in-process through the real HTTP/1.1 server codec: each connection is a {@link Streams#memoryPair()}
 * whose one end {@link HttpServer#serveConnection} serves and whose other end spindle-http's {@link HttpClient}
 * (through its connector) or {@link WebSocketClient} uses. Everything runs on one loop of its own, on a daemon
 * platform thread, for the client's life; the HTTP client keeps its connection alive between calls, as a browser
 * would.
 */
public final class MemoryCall implements TestClient.Transport {
    /** Starlette's: the Host in-process requests go to unless they name another. */
    public static final String HOST = "testserver";

    /** Generous for a debugger-paused handler, bounded so that a hung test fails instead of hanging. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Handler app;
    private final HttpServerOptions options;
    private final CompletableFuture<Void> stop = new CompletableFuture<>();
    private final Thread thread;
    private final Loop loop;
    private final HttpClient client;

    public MemoryCall(Handler app, HttpServerOptions options) {
        this.app = app;
        this.options = options;
        this.client = HttpClient.builder()
                .connector((host, port, tls) -> connect())
                .timeouts(Timeouts.of(TIMEOUT))
                .decompress(false) // the response as the app sent it, as over a socket with the JDK's client
                .userAgent("testclient")
                .build();
        CompletableFuture<Loop> started = new CompletableFuture<>();
        this.thread = Thread.ofPlatform()
                .name("testclient-loop")
                .daemon()
                .start(() -> Spindle.run(() -> {
                    started.complete(Loop.current());
                    Spindle.await(stop);
                }));
        this.loop = started.join();
    }

    /** A new memory pair: its server end served by the app in a task of the loop, its client end returned. */
    private Connection connect() {
        ConnectionPair p = Streams.memoryPair();
        Spindle.spawn("testclient-server " + p.second().writer().localAddress(), () -> {
            HttpServer.serveConnection(app, p.second(), options);
        });
        return p.first();
    }

    @Override
    public TestResponse call(String method, String target, Headers headers, byte[] body) {
        String host = headers.contains("Host") ? headers.get("Host") : HOST;
        ClientRequest.Builder b = ClientRequest.builder(method, "http://" + host + target);
        headers.forEach(b::header);
        if (body.length > 0) {
            b.content(Content.of(body, null));
        }
        ClientRequest request = b.build();
        return onLoop(() -> {
            try (ClientResponse r = client.send(request)) {
                return new TestResponse(r.status(), r.headers(), r.bytes());
            }
        });
    }

    /** Opens a WebSocket to {@code target} over a new memory pair and runs {@code session} with it on the loop. */
    public <T> T websocket(String target, WebSocketOptions wsOptions, TestClient.WebSocketSession<T> session) {
        URI uri = URI.create("ws://" + HOST + target);
        return onLoop(() -> {
            try (WebSocket ws = WebSocketClient.connect(uri, connect(), wsOptions)) {
                return session.run(ws);
            }
        });
    }

    private <T> T onLoop(Coroutine<T> work) {
        if (!thread.isAlive()) {
            throw new IllegalStateException("the test client is closed");
        }
        try {
            return loop.submit(work).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("the in-process call failed: " + cause, cause);
        }
    }

    /** Closes the HTTP client's connections, then ends the loop (cancelling what the app still runs). */
    @Override
    public void close() {
        if (!thread.isAlive()) {
            return;
        }
        try {
            onLoop(() -> {
                client.close();
                return null;
            });
        } finally {
            stop.complete(null);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
