package dev.spindle.http.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.task.Task;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client against a real peer: Python's http.server, with keep-alive, chunked, gzip, redirects, slow replies. */
class PythonPeerTest {
    static PythonPeer peer;

    @BeforeAll
    static void start() {
        peer = new PythonPeer();
    }

    @AfterAll
    static void stop() {
        peer.close();
    }

    private static HttpClient client() {
        return HttpClient.builder().baseUrl(peer.url("")).build();
    }

    @Test
    void keepAliveReusesOneConnection() {
        Spindle.run(() -> {
            try (HttpClient client = client()) {
                Set<String> ports = new HashSet<>();
                for (int i = 1; i <= 5; i++) {
                    String[] reply = client.get("/conn").text().split(" ");
                    ports.add(reply[0]);
                    assertEquals(String.valueOf(i), reply[1], "the request count on the connection");
                }
                assertEquals(1, ports.size(), "every request went over one connection");
            }
        });
    }

    @Test
    void sendsJsonAndTheDefaultHeaders() {
        Spindle.run(() -> {
            try (HttpClient client = client()) {
                ClientResponse r = client.send(ClientRequest.post("/echo")
                        .param("q", "a b&c")
                        .param("é", "ü")
                        .header("X-Custom", "yes")
                        .json("{\"name\":\"Ada\"}")
                        .build());
                assertEquals(200, r.status());
                assertTrue(r.isSuccess());
                String echo = r.text();
                assertTrue(echo.contains("\"method\": \"POST\""), echo);
                assertTrue(echo.contains("/echo?q=a%20b%26c&%C3%A9=%C3%BC"), echo);
                assertTrue(echo.contains("{\\\"name\\\":\\\"Ada\\\"}"), echo);
                assertTrue(echo.contains("[\"Content-Type\", \"application/json\"]"), echo);
                assertTrue(echo.contains("[\"Content-Length\", \"14\"]"), echo);
                assertTrue(echo.contains("[\"Host\", \"127.0.0.1:" + peer.port() + "\"]"), echo);
                assertTrue(echo.contains("[\"Accept-Encoding\", \"gzip, deflate\"]"), echo);
                assertTrue(echo.contains("[\"User-Agent\", \"spindle-http/0.1\"]"), echo);
                assertTrue(echo.contains("[\"X-Custom\", \"yes\"]"), echo);
            }
        });
    }

    @Test
    void formsAndTextBodies() {
        Spindle.run(() -> {
            try (HttpClient client = client()) {
                Map<String, String> form = new LinkedHashMap<>();
                form.put("a", "1 2");
                form.put("b", "x&y");
                String echo = client.post("/echo", Content.form(form)).text();
                assertTrue(echo.contains("\"body\": \"a=1+2&b=x%26y\""), echo);
                assertTrue(echo.contains("application/x-www-form-urlencoded"), echo);
                echo = client.put("/echo", Content.text("h\u00e9")).text();
                assertTrue(echo.contains("\"method\": \"PUT\""), echo);
                assertTrue(echo.contains("[\"Content-Length\", \"3\"]"), echo);
            }
        });
    }

    @Test
    void chunkedResponseStreamsWithTrailers() {
        Spindle.run(() -> {
            try (HttpClient client = client();
                    ClientResponse r =
                            client.stream(ClientRequest.get("/chunked?n=50").build())) {
                assertEquals("chunked", r.headers().get("transfer-encoding"));
                List<String> pieces = new ArrayList<>();
                for (byte[] chunk : r.chunks()) {
                    pieces.add(new String(chunk, StandardCharsets.US_ASCII));
                }
                String all = String.join("", pieces);
                assertEquals(
                        IntStream.range(0, 50)
                                .mapToObj(i -> "piece " + i + "\n")
                                .reduce("", String::concat),
                        all);
                assertEquals("50", r.trailers().get("X-Count"));
            }
        });
    }

    @Test
    void decodesGzipAndDeflate() {
        Spindle.run(() -> {
            try (HttpClient client = client()) {
                String expected = "compressible text ".repeat(5000);
                ClientResponse gz = client.get("/gzip?n=5000");
                assertEquals("gzip", gz.headers().get("Content-Encoding"));
                assertEquals(expected, gz.text());
                assertEquals(expected, client.get("/deflate?n=5000").text());
            }
            try (HttpClient raw = HttpClient.builder().decompress(false).build()) {
                byte[] packed = raw.get(peer.url("/gzip?n=5000")).bytes();
                assertEquals(0x1f, packed[0] & 0xff, "not decoded when decompress(false)");
                assertTrue(packed.length < 5000);
            }
        });
    }

    @Test
    void redirectsAreNotFollowedUnlessAsked() {
        Spindle.run(() -> {
            try (HttpClient client = client()) {
                ClientResponse r = client.get("/redirect/302?to=/echo");
                assertEquals(302, r.status());
                assertTrue(r.isRedirect());
                assertEquals("/echo", r.headers().get("Location"));

                ClientResponse followed = client.send(ClientRequest.get("/redirect/301?to=/echo")
                        .followRedirects(true)
                        .build());
                assertEquals(200, followed.status());
                assertEquals(1, followed.history().size());
                assertEquals(301, followed.history().getFirst().status());
                assertEquals(peer.url("/echo"), followed.url().toString());
            }
        });
    }

    @Test
    void redirectMethodRules() {
        Spindle.run(() -> {
            try (HttpClient client = HttpClient.builder()
                    .baseUrl(peer.url(""))
                    .followRedirects(true)
                    .build()) {
                for (int code : new int[] {301, 302, 303}) {
                    String echo = client.post("/redirect/" + code + "?to=/echo", Content.text("payload"))
                            .text();
                    assertTrue(echo.contains("\"method\": \"GET\""), code + ": " + echo);
                    assertTrue(echo.contains("\"body\": \"\""), code + ": " + echo);
                    assertFalse(echo.contains("Content-Type"), code + ": " + echo);
                }
                for (int code : new int[] {307, 308}) {
                    String echo = client.post("/redirect/" + code + "?to=/echo", Content.text("payload"))
                            .text();
                    assertTrue(echo.contains("\"method\": \"POST\""), code + ": " + echo);
                    assertTrue(echo.contains("\"body\": \"payload\""), code + ": " + echo);
                }
                // a streamed body cannot be sent twice: the 307 itself comes back
                ClientResponse r = client.post("/redirect/307?to=/echo", Content.stream(List.of("once".getBytes())));
                assertEquals(307, r.status());
            }
        });
    }

    @Test
    void redirectsDropCredentialsAcrossOrigins() {
        Spindle.run(() -> {
            try (HttpClient client = HttpClient.builder().followRedirects(true).build()) {
                String sameOrigin = client.send(ClientRequest.get(peer.url("/redirect/302?to=/echo"))
                                .header("Authorization", "Bearer secret")
                                .build())
                        .text();
                assertTrue(sameOrigin.contains("Bearer secret"), sameOrigin);
                String other = "http://localhost:" + peer.port() + "/echo"; // another host: another origin
                String crossOrigin = client.send(ClientRequest.get(peer.url("/redirect/302?to=" + other))
                                .header("Authorization", "Bearer secret")
                                .header("Cookie", "session=1")
                                .build())
                        .text();
                assertFalse(crossOrigin.contains("secret"), crossOrigin);
                assertFalse(crossOrigin.contains("session=1"), crossOrigin);
            }
        });
    }

    @Test
    void tooManyRedirects() {
        Spindle.run(() -> {
            try (HttpClient client = HttpClient.builder()
                    .baseUrl(peer.url(""))
                    .followRedirects(true)
                    .maxRedirects(5)
                    .build()) {
                TooManyRedirects e = assertThrows(TooManyRedirects.class, () -> client.get("/loop"));
                assertTrue(e.getMessage().contains("more than 5 redirects"), e.getMessage());
                assertEquals(
                        "/echo",
                        client.get("/redirect/302?to=/echo").request().url().getPath());
            }
        });
    }

    @Test
    void readTimeoutThenThePoolStillWorks() {
        Spindle.run(() -> {
            try (HttpClient client = HttpClient.builder()
                    .baseUrl(peer.url(""))
                    .timeouts(Timeouts.defaults().withRead(Duration.ofMillis(300)))
                    .build()) {
                HttpTimeout e = assertThrows(HttpTimeout.class, () -> client.get("/slow?delay=1.5"));
                assertEquals(HttpTimeout.Phase.READ, e.phase());
                assertTrue(e.getMessage().contains("read timeout (300 ms)"), e.getMessage());
                assertTrue(e.getMessage().contains("the response head"), e.getMessage());
                assertEquals("slow", client.get("/slow?delay=0.01").text());
            }
        });
    }

    @Test
    void deadlineCoversTheWholeRequest() {
        Spindle.run(() -> {
            try (HttpClient client = HttpClient.builder()
                    .baseUrl(peer.url(""))
                    .timeouts(Timeouts.defaults().withDeadline(Duration.ofMillis(1500)))
                    .build()) {
                client.send(ClientRequest.get("/echo")
                        .timeouts(Timeouts.defaults())
                        .build()); // warm: the Netty backend's first connect of a JVM loads its native transport
                HttpTimeout e = assertThrows(HttpTimeout.class, () -> client.get("/slowbody?delay=4"));
                assertEquals(HttpTimeout.Phase.DEADLINE, e.phase());
                assertTrue(e.getMessage().contains("the response body"), e.getMessage());
                // streamed: the deadline stops at the head, the body is read at the caller's pace
                try (ClientResponse r =
                        client.stream(ClientRequest.get("/slowbody?delay=2").build())) {
                    assertEquals("1234567890", new String(r.bytes(), StandardCharsets.US_ASCII));
                }
            }
        });
    }

    @Test
    void streamsRequestBodies() {
        Spindle.run(() -> {
            try (HttpClient client = client()) {
                List<byte[]> chunks = new ArrayList<>();
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                for (int i = 0; i < 200; i++) {
                    byte[] c = ("chunk " + i + ";").getBytes(StandardCharsets.US_ASCII);
                    chunks.add(c);
                    expected.writeBytes(c);
                }
                String echo = client.post("/echo", Content.stream(chunks)).text();
                assertTrue(echo.contains("\"chunked\": true"), echo);
                assertTrue(echo.contains(expected.toString(StandardCharsets.US_ASCII)), echo);

                String known = client.post("/echo", Content.stream(chunks, expected.size(), "text/plain"))
                        .text();
                assertTrue(known.contains("\"chunked\": false"), known);
                assertTrue(known.contains("[\"Content-Length\", \"" + expected.size() + "\"]"), known);

                IllegalStateException wrong = assertThrows(
                        IllegalStateException.class, () -> client.post("/echo", Content.stream(chunks, 5, null)));
                assertTrue(wrong.getMessage().contains("declared length of 5"), wrong.getMessage());
                assertEquals(200, client.get("/echo").status(), "the pool survives a bad body");
            }
        });
    }

    @Test
    void headStatusesAndRaiseForStatus() {
        Spindle.run(() -> {
            try (HttpClient client = client()) {
                ClientResponse head = client.head("/big?n=12345");
                assertEquals("12345", head.headers().get("Content-Length"));
                assertEquals(0, head.bytes().length);
                ClientResponse missing = client.get("/status/404");
                assertEquals(404, missing.status());
                assertEquals("status body", missing.text());
                HttpStatusError e = assertThrows(HttpStatusError.class, missing::raiseForStatus);
                assertEquals(404, e.status());
                assertTrue(e.getMessage().contains("client error 404"), e.getMessage());
                assertEquals(
                        503,
                        assertThrows(HttpStatusError.class, () -> client.get("/status/503")
                                        .raiseForStatus())
                                .status());
                String[] conn = client.get("/conn").text().split(" ");
                assertEquals("4", conn[1], "the connection was kept through HEAD, 404, 503");
                // http.server sends a body with its 204 (RFC 9110 forbids it): that connection must not be reused
                ClientResponse noContent = client.get("/status/204");
                assertEquals(204, noContent.status());
                assertEquals(0, noContent.bytes().length);
                assertEquals("1", client.get("/conn").text().split(" ")[1], "a fresh connection after the 204");
            }
        });
    }

    @Test
    void bigBodiesStreamAndTheCapHolds() {
        Spindle.run(() -> {
            try (HttpClient client = HttpClient.builder()
                    .baseUrl(peer.url(""))
                    .maxBodySize(1 << 20)
                    .build()) {
                try (ClientResponse r =
                        client.stream(ClientRequest.get("/big?n=3000000").build())) {
                    long n = 0;
                    int chunks = 0;
                    for (byte[] c : r.chunks()) {
                        for (int i = 0; i < c.length; i++) {
                            if ((c[i] & 0xff) != (n + i) % 251) {
                                throw new AssertionError("byte " + (n + i) + " is wrong");
                            }
                        }
                        n += c.length;
                        chunks++;
                    }
                    assertEquals(3_000_000, n);
                    assertTrue(chunks > 10, "streamed in pieces, not whole: " + chunks);
                }
                BodyTooLarge e = assertThrows(BodyTooLarge.class, () -> client.get("/big?n=3000000"));
                assertEquals(1 << 20, e.limit());
                byte[] fits = client.get("/big?n=1000000").bytes();
                assertEquals(1_000_000, fits.length);
                assertEquals(999_999 % 251, fits[999_999] & 0xff);
            }
        });
    }

    @Test
    void connectionCloseIsHonoured() {
        Spindle.run(() -> {
            try (HttpClient client = client()) {
                String first = client.get("/conn").text().split(" ")[0];
                assertEquals("bye", client.get("/close").text());
                String after = client.get("/conn").text();
                assertEquals("1", after.split(" ")[1], "a new connection after Connection: close: " + after);
                assertFalse(after.startsWith(first + " "));
            }
        });
    }

    @Test
    void expectContinue() {
        Spindle.run(() -> {
            try (HttpClient client = client()) {
                byte[] big = new byte[200_000];
                ClientResponse ok = client.send(ClientRequest.post("/echo")
                        .content(Content.of(big))
                        .expectContinue(true)
                        .build());
                assertEquals(200, ok.status());
                assertTrue(ok.text().contains("[\"Expect\", \"100-continue\"]"));
                ClientResponse rejected = client.send(ClientRequest.post("/reject-upload")
                        .content(Content.of(big))
                        .expectContinue(true)
                        .build());
                assertEquals(413, rejected.status());
                assertEquals("too big, not sent", rejected.text());
                assertEquals(200, client.get("/echo").status());
            }
        });
    }

    @Test
    void charsetsAndConcurrency() {
        Spindle.run(() -> {
            try (HttpClient client = client()) {
                assertEquals("caf\u00e9", client.get("/latin1").text());
                List<Task<String>> tasks = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    int n = i;
                    tasks.add(Spindle.spawn(() -> client.get("/echo?n=" + n).text()));
                }
                for (int i = 0; i < 40; i++) {
                    assertTrue(tasks.get(i).await().contains("/echo?n=" + i + "\""));
                }
            }
        });
    }

    @Test
    void requestsOutsideACoroutineAreRefused() {
        try (HttpClient client = client()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.get("/echo"));
            assertTrue(e.getMessage().contains("coroutines"), e.getMessage());
        }
        HttpClient closed = client();
        closed.close();
        Spindle.run(() -> assertThrows(IllegalStateException.class, () -> closed.get("/echo")));
        assertNull(null);
        assertArrayEquals(new byte[0], new byte[0]);
    }
}
