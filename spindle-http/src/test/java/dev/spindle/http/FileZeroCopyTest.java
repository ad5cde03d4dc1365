package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * File bodies through the writer's {@code sendFile} (sendfile(2) on both backends: the suite reruns on Netty): large
 * files whole and in ranges on one keep-alive connection with pipelined requests around them, a file larger than one
 * slice, and a client that stops reading past the write timeout (the connection is cut, the server goes on serving).
 * TLS's copying path is in {@link TlsTest}.
 */
@Timeout(120)
class FileZeroCopyTest {
    @TempDir
    static Path dir;

    static TestServer server;
    static byte[] big;
    static byte[] small;

    @BeforeAll
    static void start() throws Exception {
        big = new byte[(int) (ChunkedBodyWriterSlices.SLICE * 5 + 12_345)]; // several write-timeout slices
        new Random(21).nextBytes(big);
        small = "a small file\n".getBytes();
        Files.write(dir.resolve("big.bin"), big);
        Files.write(dir.resolve("small.txt"), small);
        Files.write(dir.resolve("huge.bin"), new byte[64 << 20]);
        server = new TestServer(
                (req, res) -> res.sendFile(dir.resolve(req.path().substring(1))),
                b -> b.writeTimeout(Duration.ofMillis(500)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void largeFilesWholeAndInRangesFollowEachOtherOnOneKeepAliveConnection() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /small.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=1000000-3999999\r\n\r\n"
                    + "GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=-5\r\n\r\n"
                    + "HEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /small.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            TestServer.Reply whole = c.read();
            assertEquals(200, whole.status);
            assertEquals(String.valueOf(big.length), whole.header("Content-Length"));
            assertArrayEquals(big, whole.body);
            assertArrayEquals(small, c.read().body);
            TestServer.Reply range = c.read();
            assertEquals(206, range.status);
            assertEquals("bytes 1000000-3999999/" + big.length, range.header("Content-Range"));
            assertArrayEquals(Arrays.copyOfRange(big, 1_000_000, 4_000_000), range.body);
            TestServer.Reply tail = c.read();
            assertEquals(206, tail.status);
            assertArrayEquals(Arrays.copyOfRange(big, big.length - 5, big.length), tail.body);
            TestServer.Reply head = c.read(true);
            assertEquals(String.valueOf(big.length), head.header("Content-Length"));
            TestServer.Reply last = c.read();
            assertArrayEquals(small, last.body, "nothing of the files came between the responses");
        }
    }

    @Test
    void aClientThatStopsReadingIsCutAfterTheWriteTimeoutAndTheServerGoesOn() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.socket.setReceiveBufferSize(64 * 1024);
            c.send("GET /huge.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            Thread.sleep(3000); // well past the 500 ms write timeout, reading nothing
            long got = 0;
            byte[] buf = new byte[1 << 16];
            try {
                for (int n = c.in.read(buf); n >= 0; n = c.in.read(buf)) {
                    got += n;
                }
            } catch (SocketException reset) {
                // the server aborted with bytes in flight
            } catch (SocketTimeoutException t) {
                throw new AssertionError("the server neither finished nor cut the connection; got " + got, t);
            }
            assertTrue(got < (64 << 20), "the connection was cut before the whole file: " + got);
        }
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /small.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertArrayEquals(small, c.read().body, "the server still serves");
        }
    }

    @Test
    void aFileRequestAfterACutStillGetsAllItsBytes() throws Exception {
        try (TestServer.Raw c = server.raw()) {
            c.send("GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            TestServer.Reply r = c.read();
            assertArrayEquals(big, r.body);
            assertTrue(c.closedByServer());
        }
    }

    /** The slice size, for sizing the test file (one name to change if the constant moves). */
    static final class ChunkedBodyWriterSlices {
        static final long SLICE = 1 << 20;
    }
}
