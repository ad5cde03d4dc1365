package dev.spindle.web.testing.internal;

import dev.spindle.http.Headers;
import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Calls a served app over a real socket with the JDK's HTTP client (HTTP/1.1, no redirects followed). */
public final class SocketCall implements TestClient.Transport {
    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final int port;
    private final HttpClient client;

    public SocketCall(int port) {
        this.port = port;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Override
    public TestResponse call(String method, String target, Headers headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body.length == 0 && !method.equals("POST") && !method.equals("PUT")
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((n, v) -> {
            if (!RESTRICTED.contains(n.toLowerCase(java.util.Locale.ROOT))) {
                b.header(n, v);
            }
        });
        try {
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            Headers h = new Headers();
            for (Map.Entry<String, List<String>> e : r.headers().map().entrySet()) {
                if (e.getKey().startsWith(":")) {
                    continue;
                }
                for (String v : e.getValue()) {
                    h.add(e.getKey(), v);
                }
            }
            return new TestResponse(r.statusCode(), h, r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
