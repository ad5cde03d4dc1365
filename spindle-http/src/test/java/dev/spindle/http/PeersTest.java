package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server against real clients: curl, the JDK's HttpClient, Python's httpx. */
class PeersTest {
    static TestServer server;

    @TempDir
    static Path dir;

    static Path file;

    @BeforeAll
    static void start() throws Exception {
        file = dir.resolve("data.txt");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            b.append("line ").append(i).append('\n');
        }
        Files.writeString(file, b.toString());
        server = new TestServer(
                (req, res) -> {
                    switch (req.path()) {
                        case "/sha" -> {
                            MessageDigest md = MessageDigest.getInstance("SHA-256");
                            long n = 0;
                            for (byte[] chunk : req.body()) {
                                md.update(chunk);
                                n += chunk.length;
                            }
                            res.send(n + " " + HexFormat.of().formatHex(md.digest()));
                        }
                        case "/file" -> res.sendFile(file);
                        case "/text" -> res.contentType("text/plain").send("x".repeat(5000));
                        case "/json" -> res.contentType("application/json").send("{\"hello\":\"world\"}");
                        case "/stream" -> {
                            res.contentType("text/plain");
                            try (BodyWriter out = res.stream()) {
                                for (int i = 0; i < 100; i++) {
                                    out.write("chunk " + i + "\n");
                                }
                            }
                        }
                        case "/events" -> {
                            try (EventStream events = res.eventStream()) {
                                for (int i = 0; i < 3; i++) {
                                    events.send("tick", "n=" + i + "\nsecond line", String.valueOf(i));
                                }
                            }
                        }
                        default -> res.send(req.method() + " " + req.target());
                    }
                },
                o -> o.gzip(true)
                        .limits(HttpLimits.builder().maxBodySize(50 << 20).build()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void curlChunkedUploadWithContinue() throws Exception {
        byte[] data = new byte[3_000_000];
        new java.util.Random(7).nextBytes(data);
        Path up = dir.resolve("upload.bin");
        Files.write(up, data);
        Proc p = Proc.curl(
                        "-v",
                        "-H",
                        "Transfer-Encoding: chunked",
                        "-H",
                        "Expect: 100-continue",
                        "--data-binary",
                        "@" + up,
                        server.url("/sha"))
                .ok();
        assertEquals(data.length + " " + sha(data), p.out);
        assertTrue(p.err.contains("HTTP/1.1 100 Continue"), p.err);
    }

    @Test
    void curlRangeAndConditional() throws Exception {
        String full = Files.readString(file);
        Proc p = Proc.curl("-r", "10-19", "-D", "-", server.url("/file")).ok();
        assertTrue(p.out.startsWith("HTTP/1.1 206"), p.out);
        assertTrue(p.out.contains("Content-Range: bytes 10-19/" + full.length()), p.out);
        assertTrue(p.out.endsWith(full.substring(10, 20)), p.out);
        String etag = p.out.lines()
                .filter(l -> l.startsWith("ETag:"))
                .findFirst()
                .orElseThrow()
                .substring(5)
                .trim();
        p = Proc.curl("-o", "/dev/null", "-w", "%{http_code}", "-H", "If-None-Match: " + etag, server.url("/file"))
                .ok();
        assertEquals("304", p.out);
        p = Proc.curl("-o", "/dev/null", "-w", "%{http_code}", "-r", "999999-", server.url("/file"))
                .ok();
        assertEquals("416", p.out);
    }

    @Test
    void curlGzip() throws Exception {
        Proc p = Proc.curl("--compressed", "-D", "-", server.url("/text")).ok();
        assertTrue(p.out.contains("Content-Encoding: gzip"), p.out);
        assertTrue(p.out.contains("Vary: Accept-Encoding"), p.out);
        assertTrue(p.out.endsWith("x".repeat(5000)));
        p = Proc.curl("--compressed", server.url("/stream")).ok();
        assertTrue(p.out.startsWith("chunk 0\n") && p.out.endsWith("chunk 99\n"), p.out);
        p = Proc.curl("-D", "-", server.url("/text")).ok(); // no Accept-Encoding: identity
        assertTrue(!p.out.contains("Content-Encoding"), p.out);
        p = Proc.curl("-D", "-", "-H", "Accept-Encoding: gzip;q=0, *;q=1", server.url("/text"))
                .ok();
        assertTrue(!p.out.contains("Content-Encoding"), p.out);
    }

    @Test
    void curlServerSentEvents() throws Exception {
        Proc p = Proc.curl("-N", "--compressed", "-D", "-", server.url("/events"))
                .ok();
        assertTrue(p.out.contains("Content-Type: text/event-stream"), p.out);
        assertTrue(!p.out.contains("Content-Encoding"), p.out);
        assertTrue(p.out.contains("event: tick\nid: 1\ndata: n=1\ndata: second line\n\n"), p.out);
    }

    @Test
    void jdkHttpClientConcurrentRequests() throws Exception {
        try (HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build()) {
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                HttpRequest r = i % 2 == 0
                        ? HttpRequest.newBuilder(URI.create(server.url("/get/" + i)))
                                .build()
                        : HttpRequest.newBuilder(URI.create(server.url("/post/" + i)))
                                .POST(HttpRequest.BodyPublishers.ofString("body " + i))
                                .build();
                all.add(client.sendAsync(r, HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < all.size(); i++) {
                HttpResponse<String> r = all.get(i).join();
                assertEquals(200, r.statusCode());
                assertEquals((i % 2 == 0 ? "GET /get/" : "POST /post/") + i, r.body());
            }
            byte[] big = new byte[1_000_000];
            new java.util.Random(3).nextBytes(big);
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(URI.create(server.url("/sha")))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(big.length + " " + sha(big), r.body());
            HttpResponse<byte[]> f = client.send(
                    HttpRequest.newBuilder(URI.create(server.url("/file"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(Files.readString(file), new String(f.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void pythonHttpx() throws Exception {
        String script = """
                import hashlib, sys, httpx
                base = sys.argv[1]
                with httpx.Client(base_url=base, timeout=20) as c:
                    r = c.get('/hello?x=1')
                    print(r.status_code, r.text, r.http_version)
                    data = bytes(range(256)) * 4000
                    r = c.post('/sha', content=data)
                    print(r.text == f'{len(data)} {hashlib.sha256(data).hexdigest()}')
                    def gen():
                        for i in range(50):
                            yield b'y' * 1000
                    r = c.post('/sha', content=gen())
                    print(r.text.split()[0])
                    r = c.get('/text')
                    print(r.headers.get('content-encoding'), len(r.text))
                    with c.stream('GET', '/stream') as s:
                        lines = list(s.iter_lines())
                    print(len(lines), lines[-1].strip())
                    r = c.get('/file', headers={'Range': 'bytes=-5'})
                    print(r.status_code, repr(r.text))
                    r = c.get('/json')
                    print(r.json()['hello'])
                """;
        Proc p = Proc.python(script, server.url("")).ok();
        List<String> lines = p.out.lines().toList();
        assertEquals("200 GET /hello?x=1 HTTP/1.1", lines.get(0));
        assertEquals("True", lines.get(1));
        assertEquals("50000", lines.get(2));
        assertEquals("gzip 5000", lines.get(3));
        assertEquals("100 chunk 99", lines.get(4));
        assertEquals("206 '4999\\n'", lines.get(5), p.out);
        assertEquals("world", lines.get(6));
    }
}
