package dev.spindle.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.gen.AsyncGenerator;
import dev.spindle.http.BodyWriter;
import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against Spindle's own server (on its own loop): gzip, streaming both ways, 100-continue. */
class SpindleServerTest {
    static HttpServer server;

    @BeforeAll
    static void start() {
        server = HttpServer.start(
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
                        case "/text" -> res.contentType("text/plain").send("spindle ".repeat(10_000));
                        case "/stream" -> {
                            res.contentType("text/plain");
                            try (BodyWriter out = res.stream()) {
                                for (int i = 0; i < 100; i++) {
                                    out.write("line " + i + "\n");
                                    out.flush();
                                }
                            }
                        }
                        default -> res.send(req.method() + " " + req.target());
                    }
                },
                HttpServerOptions.builder().port(0).loops(1).gzip(true).build());
    }

    @AfterAll
    static void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Test
    void gzipFromTheServerIsDecoded() {
        Spindle.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                ClientResponse r = client.get(url("/text"));
                assertEquals("gzip", r.headers().get("Content-Encoding"));
                assertEquals("spindle ".repeat(10_000), r.text());
            }
        });
    }

    @Test
    void aStreamedResponseArrivesInOrder() {
        Spindle.run(() -> {
            try (HttpClient client = HttpClient.builder().decompress(false).build();
                    ClientResponse r =
                            client.stream(ClientRequest.get(url("/stream")).build())) {
                StringBuilder all = new StringBuilder();
                for (byte[] chunk : r.chunks()) {
                    all.append(new String(chunk, StandardCharsets.US_ASCII));
                }
                assertTrue(all.toString().startsWith("line 0\nline 1\n"));
                assertTrue(all.toString().endsWith("line 99\n"));
            }
        });
    }

    @Test
    void anUploadFromAGeneratorThatSuspends() throws Exception {
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) i;
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 160; i++) {
            md.update(block);
        }
        String expected = (160L * block.length) + " " + HexFormat.of().formatHex(md.digest());
        Spindle.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                // 10 MiB produced lazily, one block at a time, pausing now and then: drained as the server reads
                AsyncGenerator<byte[]> blocks = AsyncGenerator.of(out -> {
                    for (int i = 0; i < 160; i++) {
                        if (i % 40 == 0) {
                            Spindle.sleep(Duration.ofMillis(1));
                        }
                        out.yield(block);
                    }
                });
                assertEquals(
                        expected,
                        client.post(url("/sha"), Content.stream(blocks)).text());
                // and with a known length, and waiting for 100 Continue
                ClientResponse r = client.send(ClientRequest.post(url("/sha"))
                        .content(Content.stream(java.util.Collections.nCopies(160, block), 160L * block.length, null))
                        .expectContinue(true)
                        .build());
                assertEquals(expected, r.text());
            }
        });
    }

    @Test
    void manyConcurrentRequestsOverAFewConnections() {
        Spindle.run(() -> {
            try (HttpClient client = HttpClient.builder()
                    .limits(PoolLimits.builder().maxConnectionsPerOrigin(4).build())
                    .build()) {
                var tasks = new java.util.ArrayList<dev.spindle.task.Task<String>>();
                for (int i = 0; i < 500; i++) {
                    String path = "/n/" + i;
                    tasks.add(Spindle.spawn(() -> client.get(url(path)).text()));
                }
                for (int i = 0; i < 500; i++) {
                    assertEquals("GET /n/" + i, tasks.get(i).await());
                }
                assertTrue(server.connections() <= 4, "at most four connections: " + server.connections());
            }
        });
    }
}
