package dev.spindle.web.testing.internal;

import dev.spindle.Spindle;
import dev.spindle.gen.AsyncIterator;
import dev.spindle.http.BodyWriter;
import dev.spindle.http.EventStream;
import dev.spindle.http.Headers;
import dev.spindle.http.HttpError;
import dev.spindle.http.HttpVersion;
import dev.spindle.http.RequestBody;
import dev.spindle.http.Upgraded;
import dev.spindle.web.App;
import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * Calls an app in-process: a spindle-http request and response made of memory, the handler run on a loop of its own
 * ({@link Spindle#run}), so that handlers may use the loop as under a server. What a server adds (Date, gzip, ranges)
 * is absent; a file response is its whole file.
 */
public final class LocalCall implements TestClient.Transport {
    private final App app;

    public LocalCall(App app) {
        this.app = app;
    }

    @Override
    public TestResponse call(String method, String target, Headers headers, byte[] body) {
        LocalRequest req = new LocalRequest(method, target, headers, body);
        LocalResponse res = new LocalResponse(method.equals("HEAD"));
        Spindle.run(() -> {
            try {
                app.handle(req, res);
            } catch (HttpError e) {
                if (!res.isCommitted()) {
                    res.status(e.status()).send(e.status() < 500 && e.getMessage() != null ? e.getMessage() : "");
                }
            } catch (Exception e) {
                if (!res.isCommitted()) {
                    res.status(500).send("Internal Server Error");
                } else {
                    throw e;
                }
            }
        });
        if (!res.isCommitted()) {
            res.send();
        }
        return new TestResponse(res.status, res.headers, res.body.toByteArray());
    }

    @Override
    public void close() {}

    private static final class LocalRequest implements dev.spindle.http.Request {
        final String method;
        final String target;
        final String path;
        final String query;
        final Headers headers;
        final LocalBody body;

        LocalRequest(String method, String target, Headers headers, byte[] body) {
            this.method = method;
            this.target = target;
            int q = target.indexOf('?');
            this.path = q < 0 ? target : target.substring(0, q);
            this.query = q < 0 ? "" : target.substring(q + 1);
            Headers h = headers.copy();
            if (!h.contains("Host")) {
                h.set("Host", "testserver");
            }
            if (body.length > 0) {
                h.set("Content-Length", String.valueOf(body.length));
            }
            this.headers = h.readOnly();
            this.body = new LocalBody(body);
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String target() {
            return target;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public String rawQuery() {
            return query;
        }

        @Override
        public HttpVersion version() {
            return HttpVersion.HTTP_1_1;
        }

        @Override
        public Headers headers() {
            return headers;
        }

        @Override
        public RequestBody body() {
            return body;
        }

        @Override
        public String scheme() {
            return "http";
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 50000);
        }

        @Override
        public SocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 80);
        }

        @Override
        public Optional<SSLSession> tlsSession() {
            return Optional.empty();
        }

        @Override
        public void onShutdown(Runnable hook) {}

        @Override
        public boolean isShuttingDown() {
            return false;
        }
    }

    private static final class LocalBody implements RequestBody {
        final byte[] data;
        int pos;

        LocalBody(byte[] data) {
            this.data = data;
        }

        @Override
        public long contentLength() {
            return data.length;
        }

        @Override
        public boolean isPresent() {
            return data.length > 0;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            if (pos == data.length) {
                return -1;
            }
            int n = Math.min(len, data.length - pos);
            System.arraycopy(data, pos, dst, off, n);
            pos += n;
            return n;
        }

        @Override
        public byte[] readAll(int maxBytes) {
            if (data.length - pos > maxBytes) {
                throw new HttpError(413, "the body is larger than " + maxBytes + " bytes");
            }
            byte[] out = java.util.Arrays.copyOfRange(data, pos, data.length);
            pos = data.length;
            return out;
        }

        @Override
        public byte[] readAll() {
            return readAll(Integer.MAX_VALUE - 8);
        }

        @Override
        public InputStream asInputStream() {
            byte[] rest = java.util.Arrays.copyOfRange(data, pos, data.length);
            pos = data.length;
            return new ByteArrayInputStream(rest);
        }

        @Override
        public boolean isFullyRead() {
            return pos == data.length;
        }

        @Override
        public AsyncIterator<byte[]> iterator() {
            return new AsyncIterator<>() {
                @Override
                public boolean hasNext() {
                    return pos < data.length;
                }

                @Override
                public byte[] next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return readAll();
                }

                @Override
                public void close() {}
            };
        }
    }

    private static final class LocalResponse implements dev.spindle.http.Response {
        final boolean head;
        int status = 200;
        final Headers headers = new Headers();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean committed;

        LocalResponse(boolean head) {
            this.head = head;
        }

        @Override
        public dev.spindle.http.Response status(int status) {
            if (committed) {
                throw new IllegalStateException("committed");
            }
            this.status = status;
            return this;
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public Headers headers() {
            return headers;
        }

        @Override
        public dev.spindle.http.Response header(String name, String value) {
            headers.set(name, value);
            return this;
        }

        @Override
        public dev.spindle.http.Response contentType(String contentType) {
            return header("Content-Type", contentType);
        }

        @Override
        public dev.spindle.http.Response closeConnection() {
            return this;
        }

        private void commit() {
            if (committed) {
                throw new IllegalStateException("the response was already sent");
            }
            committed = true;
        }

        @Override
        public void send(byte[] data) {
            send(data, 0, data.length);
        }

        @Override
        public void send(byte[] data, int off, int len) {
            commit();
            headers.set("Content-Length", String.valueOf(len));
            if (!head) {
                body.write(data, off, len);
            }
        }

        @Override
        public void send(String text) {
            if (!headers.contains("Content-Type")) {
                headers.set("Content-Type", "text/plain; charset=utf-8");
            }
            send(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void send() {
            commit();
            if (status != 204 && status != 304 && status >= 200) {
                headers.set("Content-Length", "0");
            }
        }

        @Override
        public BodyWriter stream() {
            commit();
            return new BodyWriter() {
                @Override
                public void write(byte[] data) {
                    body.writeBytes(data);
                }

                @Override
                public void write(byte[] data, int off, int len) {
                    body.write(data, off, len);
                }

                @Override
                public void write(ByteBuffer src) {
                    byte[] b = new byte[src.remaining()];
                    src.get(b);
                    body.writeBytes(b);
                }

                @Override
                public void write(String text) {
                    body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}

                @Override
                public OutputStream asOutputStream() {
                    return body;
                }
            };
        }

        @Override
        public EventStream eventStream() {
            headers.set("Content-Type", "text/event-stream");
            headers.set("Cache-Control", "no-cache");
            BodyWriter w = stream();
            return new EventStream() {
                @Override
                public void send(String data) {
                    send(null, data, null);
                }

                @Override
                public void send(String event, String data, String id) {
                    StringBuilder b = new StringBuilder();
                    if (event != null) {
                        b.append("event: ").append(event).append('\n');
                    }
                    if (id != null) {
                        b.append("id: ").append(id).append('\n');
                    }
                    for (String line : data.split("\r\n|\r|\n", -1)) {
                        b.append("data: ").append(line).append('\n');
                    }
                    w.write(b.append('\n').toString());
                }

                @Override
                public void comment(String text) {
                    w.write(": " + text + "\n\n");
                }

                @Override
                public void retry(Duration delay) {
                    w.write("retry: " + delay.toMillis() + "\n\n");
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public void sendFile(Path file) {
            if (!Files.isRegularFile(file)) {
                throw new HttpError(404, "Not Found");
            }
            try {
                if (!headers.contains("Content-Type")) {
                    String type = Files.probeContentType(file);
                    headers.set("Content-Type", type == null ? "application/octet-stream" : type);
                }
                send(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Upgraded upgrade(String protocol) {
            throw new UnsupportedOperationException("an in-process TestClient cannot upgrade: use TestClient.serve");
        }

        @Override
        public boolean isCommitted() {
            return committed;
        }
    }
}
