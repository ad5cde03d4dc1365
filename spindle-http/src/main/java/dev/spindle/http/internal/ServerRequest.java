package dev.spindle.http.internal;

import dev.spindle.http.Headers;
import dev.spindle.http.HttpVersion;
import dev.spindle.http.Request;
import dev.spindle.http.RequestBody;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/** The {@link Request} of an HTTP/1 exchange: a view of its parsed head, its body, and its connection. */
final class ServerRequest implements Request {
    private final Exchange ex;
    private final RequestHead head;
    private List<Runnable> shutdownHooks;
    private boolean hooksRan;

    ServerRequest(Exchange ex) {
        this.ex = ex;
        this.head = ex.head;
    }

    @Override
    public String method() {
        return head.method;
    }

    @Override
    public String target() {
        return head.target;
    }

    @Override
    public String path() {
        return head.path();
    }

    @Override
    public String rawQuery() {
        return head.rawQuery();
    }

    @Override
    public HttpVersion version() {
        return head.version;
    }

    @Override
    public Headers headers() {
        return head.headers;
    }

    @Override
    public RequestBody body() {
        return ex.body;
    }

    @Override
    public String scheme() {
        return ex.conn.server.tls ? "https" : "http";
    }

    @Override
    public SocketAddress remoteAddress() {
        return ex.conn.writer.remoteAddress();
    }

    @Override
    public SocketAddress localAddress() {
        return ex.conn.writer.localAddress();
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return ex.conn.writer.tlsSession();
    }

    @Override
    public void onShutdown(Runnable hook) {
        Objects.requireNonNull(hook, "hook");
        if (hooksRan) {
            runHook(hook); // registered after the shutdown began: it still must see it
            return;
        }
        if (shutdownHooks == null) {
            shutdownHooks = new ArrayList<>(2);
        }
        shutdownHooks.add(hook);
    }

    @Override
    public boolean isShuttingDown() {
        return ex.conn.shuttingDown;
    }

    void runShutdownHooks() {
        if (hooksRan) {
            return;
        }
        hooksRan = true;
        if (shutdownHooks != null) {
            for (Runnable r : shutdownHooks) {
                runHook(r);
            }
        }
    }

    private void runHook(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            ex.conn.server.log.hookFailed(ex.conn, e);
        }
    }

    @Override
    public String toString() {
        return head.toString();
    }
}
