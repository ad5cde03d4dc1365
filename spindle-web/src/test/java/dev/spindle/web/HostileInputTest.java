package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.Headers;
import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A seeded stream of malformed requests against the tutorial app: bad percent-encodings, invalid UTF-8, huge and
 * deeply nested JSON, wrong content types, broken multipart. Every one gets a 4xx naming the problem, never a 500,
 * and the app still serves afterwards.
 */
class HostileInputTest {
    static final List<String> TARGETS = List.of(
            "/path/items/",
            "/path/users/",
            "/path/models/",
            "/query/items/",
            "/query/items/x?needy=",
            "/validation/items/?q=",
            "/depends/items/?skip=",
            "/errors/items/",
            "/path/files/");
    static final List<String> JUNK = List.of(
            "%FF%FE",
            "%",
            "%zz",
            "%00",
            "..%2F..%2F",
            "%C0%AF",
            "9".repeat(400),
            "-1",
            "1e400",
            "NaN",
            "%E2%82",
            "+",
            "%20",
            "a%2Fb",
            "\u00e9t\u00e9".replace("\u00e9", "%C3%A9"));
    static final List<String> BODIES = List.of(
            "{",
            "{\"name\":",
            "[]",
            "null",
            "\"x\"",
            "{\"name\":\"a\",\"price\":1e400}",
            "{\"name\":\"a\",\"price\":\"NaN\"}",
            "{\"name\":\"\\u0000\",\"price\":1}",
            "[".repeat(5000),
            "{\"a\":".repeat(3000),
            "\u00ff\u00fe",
            "{\"name\":\"a\",\"price\":1,\"tax\":{}}",
            "{\"name\":[1],\"price\":{}}");

    /** A GET over a raw socket (the JDK client refuses malformed targets); returns the status. */
    static int rawGet(int port, String target) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream()
                    .write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            String head = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (head.contains(" 500 ") && head.indexOf(" 500 ") < 16) {
                throw new AssertionError(target + " -> " + head);
            }
            return Integer.parseInt(head.substring(9, 12));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(target, e);
        }
    }

    @Test
    void malformedRequestsGetClientErrors() {
        Random random = new Random(20261207);
        Set<Integer> allowed = Set.of(200, 307, 400, 401, 404, 405, 413, 422);
        try (TestClient client = TestClient.serve(TutorialApp.app())) {
            for (int i = 0; i < 400; i++) {
                TestResponse r = null;
                if (random.nextBoolean()) {
                    String target = TARGETS.get(random.nextInt(TARGETS.size())) + JUNK.get(random.nextInt(JUNK.size()));
                    int status = rawGet(client.port(), target);
                    assertTrue(allowed.contains(status), target + " -> " + status);
                    continue;
                } else {
                    String body = BODIES.get(random.nextInt(BODIES.size()));
                    String type = List.of(
                                    "application/json",
                                    "text/plain",
                                    "application/x-www-form-urlencoded",
                                    "multipart/form-data; boundary=zz",
                                    "application/vnd.api+json")
                            .get(random.nextInt(5));
                    String target = random.nextBoolean() ? "/body/items/" : "/response/user/";
                    r = client.request(
                            "POST",
                            target,
                            Headers.of("Content-Type", type),
                            body.getBytes(StandardCharsets.ISO_8859_1));
                    assertTrue(
                            allowed.contains(r.status()),
                            type + " " + body.substring(0, Math.min(40, body.length())) + " -> " + r);
                }
                if (r != null && r.status() == 422) {
                    assertTrue(r.json().get("detail").isArray(), r.toString());
                }
            }
            assertEquals("{\"message\":\"Hello World\"}", client.get("/").text());
        }
    }
}
