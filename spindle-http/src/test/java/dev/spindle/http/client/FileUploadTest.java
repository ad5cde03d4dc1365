package dev.spindle.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Content#ofFile} (sent with the connection's sendFile) and {@link Content#multipart} (files streamed from
 * disk), against Spindle's server (which hashes what it receives; both backends) and Python's http.server (which
 * parses the multipart body with the email package).
 */
@Timeout(120)
class FileUploadTest {
    @TempDir
    static Path dir;

    static HttpServer server;
    static PythonPeer peer;
    static Path big;
    static byte[] bigBytes;

    @BeforeAll
    static void start() throws Exception {
        bigBytes = new byte[5_000_123]; // several 1 MiB sendFile slices
        new Random(31).nextBytes(bigBytes);
        big = Files.write(dir.resolve("big.bin"), bigBytes);
        server = HttpServer.start(
                (req, res) -> {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    long n = 0;
                    for (byte[] chunk : req.body()) {
                        md.update(chunk);
                        n += chunk.length;
                    }
                    res.send(n + " " + HexFormat.of().formatHex(md.digest()) + " " + req.header("Content-Type") + " "
                            + req.header("Content-Length"));
                },
                HttpServerOptions.builder()
                        .port(0)
                        .loops(1)
                        .limits(dev.spindle.http.HttpLimits.builder()
                                .maxBodySize(64 << 20)
                                .build())
                        .build());
        peer = new PythonPeer();
    }

    @AfterAll
    static void stop() {
        server.shutdown(Duration.ofSeconds(2));
        peer.close();
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void aFileIsUploadedWithItsLengthAndTheSameContentAgain() throws Exception {
        String expected = bigBytes.length + " " + sha(bigBytes) + " application/octet-stream " + bigBytes.length;
        Spindle.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                String url = "http://127.0.0.1:" + server.port() + "/up";
                assertEquals(expected, client.put(url, Content.ofFile(big)).text());
                Content c = Content.ofFile(big, "video/mp4");
                assertTrue(c.isReplayable());
                assertEquals(bigBytes.length, c.length());
                assertEquals(
                        bigBytes.length + " " + sha(bigBytes) + " video/mp4 " + bigBytes.length,
                        client.post(url, c).text());
                assertEquals( // the same Content twice: the file is read again
                        bigBytes.length + " " + sha(bigBytes) + " video/mp4 " + bigBytes.length,
                        client.post(url, c).text());
                Path empty = Files.write(dir.resolve("empty"), new byte[0]);
                assertEquals(
                        "0 " + sha(new byte[0]) + " application/octet-stream 0",
                        client.post(url, Content.ofFile(empty)).text());
            }
            try (HttpClient client = HttpClient.builder().baseUrl(peer.url("")).build()) {
                String r = client.post("/sha", Content.ofFile(big)).text();
                assertTrue(r.contains(sha(bigBytes)) && r.contains("\"chunked\": false"), r);
            }
            return null;
        });
        assertThrows(UncheckedIOException.class, () -> Content.ofFile(dir.resolve("missing")));
        assertThrows(UncheckedIOException.class, () -> Content.ofFile(dir));
    }

    @Test
    void multipartFormDataWithFieldsAndFilesIsParsedByPython() throws Exception {
        byte[] small = "hello, \"world\"\n".getBytes(StandardCharsets.UTF_8);
        Path smallFile = Files.write(dir.resolve("notes.txt"), small);
        Content body = Content.multipart(
                Content.Part.field("title", "Holidays ☀"),
                Content.Part.file("photo", big, "image/jpeg"),
                Content.Part.file("notes", smallFile),
                Content.Part.bytes("raw", "raw.bin", new byte[] {0, 1, 2, (byte) 255}, "application/x-raw"));
        assertTrue(body.contentType().startsWith("multipart/form-data; boundary="), body.contentType());
        assertTrue(body.isReplayable());
        Spindle.run(() -> {
            try (HttpClient client = HttpClient.builder().baseUrl(peer.url("")).build()) {
                for (int i = 0; i < 2; i++) { // the same body twice: files are read again
                    String r = client.post("/multipart", body).text();
                    assertTrue(r.contains("\"multipart\": true"), r);
                    assertTrue(r.contains("\"length\": \"" + body.length() + "\""), "Content-Length sent: " + r);
                    assertTrue(
                            r.contains("{\"name\": \"title\", \"filename\": null, \"type\": null, \"len\": "
                                    + "Holidays ☀".getBytes(StandardCharsets.UTF_8).length),
                            r);
                    assertTrue(
                            r.contains("{\"name\": \"photo\", \"filename\": \"big.bin\", \"type\": \"image/jpeg\", "
                                    + "\"len\": " + bigBytes.length + ", \"sha\": \"" + sha(bigBytes) + "\"}"),
                            r);
                    assertTrue(
                            r.contains("{\"name\": \"notes\", \"filename\": \"notes.txt\", \"type\": "
                                    + "\"application/octet-stream\", \"len\": " + small.length + ", \"sha\": \""
                                    + sha(small) + "\"}"),
                            r);
                    assertTrue(
                            r.contains("{\"name\": \"raw\", \"filename\": \"raw.bin\", \"type\": \"application/x-raw\","
                                    + " \"len\": 4"),
                            r);
                }
            }
            try (HttpClient client = HttpClient.create()) { // and Spindle's server sees the declared length
                String r = client.post("http://127.0.0.1:" + server.port() + "/m", body)
                        .text();
                assertTrue(r.startsWith(body.length() + " "), r);
                assertTrue(r.endsWith(" " + body.length()), r);
            }
            return null;
        });
    }
}
