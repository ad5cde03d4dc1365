package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File responses: validators, preconditions (RFC 9110 §13) and ranges (§14), over raw sockets. */
class FilesTest {
    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    static final Instant MTIME = Instant.parse("2024-03-01T12:00:00Z");

    @TempDir
    static Path dir;

    static TestServer server;
    static byte[] content;

    @BeforeAll
    static void start() throws Exception {
        content = new byte[200_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('a' + i % 26);
        }
        Path f = dir.resolve("big.bin");
        Files.write(f, content);
        Files.setLastModifiedTime(f, FileTime.from(MTIME));
        server =
                new TestServer((req, res) -> res.sendFile(dir.resolve(req.path().substring(1))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    TestServer.Reply get(String extra) throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /big.bin HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n");
            return c.read();
        }
    }

    String etag() throws Exception {
        return get("").header("ETag");
    }

    @Test
    void wholeFileWithValidators() throws Exception {
        TestServer.Reply r = get("");
        assertEquals(200, r.status);
        assertEquals("application/octet-stream", r.header("Content-Type"));
        assertEquals(String.valueOf(content.length), r.header("Content-Length"));
        assertEquals(HTTP_DATE.format(MTIME), r.header("Last-Modified"));
        assertEquals("bytes", r.header("Accept-Ranges"));
        assertNotNull(r.header("ETag"));
        assertTrue(java.util.Arrays.equals(content, r.body));
    }

    @Test
    void headOfAFile() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("HEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /missing HTTP/1.1\r\nHost: x\r\n\r\n");
            TestServer.Reply r = c.read(true);
            assertEquals(String.valueOf(content.length), r.header("Content-Length"));
            assertEquals(404, c.read().status); // nothing of the file came between
        }
    }

    @Test
    void conditionalRequests() throws Exception {
        String etag = etag();
        String lastMod = HTTP_DATE.format(MTIME);
        String before = HTTP_DATE.format(MTIME.minusSeconds(60));
        TestServer.Reply r = get("If-None-Match: \"other\", " + etag + "\r\n");
        assertEquals(304, r.status);
        assertEquals(etag, r.header("ETag"));
        assertNull(r.header("Content-Length"));
        assertEquals(304, get("If-None-Match: W/" + etag + "\r\n").status); // weak comparison
        assertEquals(304, get("If-None-Match: *\r\n").status);
        assertEquals(304, get("If-Modified-Since: " + lastMod + "\r\n").status);
        assertEquals(200, get("If-Modified-Since: " + before + "\r\n").status);
        assertEquals(200, get("If-Modified-Since: garbage\r\n").status);
        // If-None-Match wins over If-Modified-Since
        assertEquals(200, get("If-None-Match: \"other\"\r\nIf-Modified-Since: " + lastMod + "\r\n").status);
        assertEquals(412, get("If-Match: \"other\"\r\n").status);
        assertEquals(412, get("If-Match: W/" + etag + "\r\n").status); // strong comparison
        assertEquals(200, get("If-Match: " + etag + "\r\n").status);
        assertEquals(412, get("If-Unmodified-Since: " + before + "\r\n").status);
        assertEquals(200, get("If-Unmodified-Since: " + lastMod + "\r\n").status);
    }

    @Test
    void ranges() throws Exception {
        TestServer.Reply r = get("Range: bytes=100-199\r\n");
        assertEquals(206, r.status);
        assertEquals("bytes 100-199/" + content.length, r.header("Content-Range"));
        assertEquals("100", r.header("Content-Length"));
        assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(content, 100, 200), r.body));
        r = get("Range: bytes=-10\r\n");
        assertEquals(
                "bytes " + (content.length - 10) + "-" + (content.length - 1) + "/" + content.length,
                r.header("Content-Range"));
        r = get("Range: bytes=199990-\r\n");
        assertEquals(10, r.body.length);
        r = get("Range: bytes=0-9999999\r\n"); // clipped to the end
        assertEquals(206, r.status);
        assertEquals(content.length, r.body.length);
        r = get("Range: bytes=300000-\r\n");
        assertEquals(416, r.status);
        assertEquals("bytes */" + content.length, r.header("Content-Range"));
        assertEquals(200, get("Range: bytes=0-1,5-6\r\n").status); // several ranges: the whole file
        assertEquals(200, get("Range: bytes=5-1\r\n").status); // invalid: ignored
        assertEquals(200, get("Range: items=1-2\r\n").status); // another unit: ignored
        String etag = etag();
        assertEquals(206, get("Range: bytes=0-0\r\nIf-Range: " + etag + "\r\n").status);
        assertEquals(200, get("Range: bytes=0-0\r\nIf-Range: \"stale\"\r\n").status);
        assertEquals(206, get("Range: bytes=0-0\r\nIf-Range: " + HTTP_DATE.format(MTIME) + "\r\n").status);
        assertEquals(
                200, get("Range: bytes=0-0\r\nIf-Range: " + HTTP_DATE.format(MTIME.minusSeconds(1)) + "\r\n").status);
    }

    @Test
    void missingFilesAre404AndTheConnectionGoesOn() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(404, c.read().status);
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"); // a directory
            assertEquals(404, c.read().status);
            c.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-3\r\n\r\n");
            assertEquals("abcd", c.read().text());
        }
    }
}
