package dev.spindle.http.internal;

import dev.spindle.http.Handler;
import dev.spindle.http.HttpServerOptions;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;

/** The loops of one HttpServer (implementation to follow the API commit). */
public final class ServerGroup {
    private ServerGroup() {}

    public static ServerGroup start(Handler handler, HttpServerOptions options) {
        throw new UnsupportedOperationException("not yet");
    }

    public List<SocketAddress> addresses() {
        throw new UnsupportedOperationException("not yet");
    }

    public int loops() {
        throw new UnsupportedOperationException("not yet");
    }

    public int connections() {
        throw new UnsupportedOperationException("not yet");
    }

    public boolean isServing() {
        throw new UnsupportedOperationException("not yet");
    }

    public HttpServerOptions options() {
        throw new UnsupportedOperationException("not yet");
    }

    public void awaitStopped() {
        throw new UnsupportedOperationException("not yet");
    }

    public void serveUntilSignal() {
        throw new UnsupportedOperationException("not yet");
    }

    public void onShutdown(Runnable hook) {
        throw new UnsupportedOperationException("not yet");
    }

    public void shutdown(Duration grace) {
        throw new UnsupportedOperationException("not yet");
    }
}
