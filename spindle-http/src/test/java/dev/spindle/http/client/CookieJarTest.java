package dev.spindle.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link CookieJar}: RFC 6265's domain, path, Secure and expiry rules, then a client keeping cookies over sockets. */
@Timeout(60)
class CookieJarTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = T0;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static URI u(String s) {
        return URI.create(s);
    }

    @Test
    void domainRules() {
        CookieJar jar = new CookieJar();
        assertTrue(jar.store(u("http://www.example.com/"), "host=1"));
        assertTrue(jar.store(u("http://www.example.com/"), "dom=2; Domain=example.com"));
        assertTrue(jar.store(u("http://www.example.com/"), "dot=3; Domain=.EXAMPLE.com"));
        assertFalse(jar.store(u("http://www.example.com/"), "other=4; Domain=example.org"), "another domain");
        assertFalse(jar.store(u("http://www.example.com/"), "sub=5; Domain=a.www.example.com"), "a subdomain");
        assertFalse(jar.store(u("http://www.example.com/"), "tld=6; Domain=com"), "a public suffix");
        assertFalse(jar.store(u("http://www.example.com/"), "novalue"), "no '='");
        assertFalse(jar.store(u("http://www.example.com/"), "=x"), "no name");
        assertEquals("host=1; dom=2; dot=3", jar.header(u("http://www.example.com/")));
        assertEquals("dom=2; dot=3", jar.header(u("http://example.com/")), "host-only stays on its host");
        assertEquals("dom=2; dot=3", jar.header(u("http://deep.sub.example.com/")));
        assertNull(jar.header(u("http://badexample.com/")), "a suffix without a dot boundary");
        // IP addresses: only exact, never as a domain suffix
        assertTrue(jar.store(u("http://127.0.0.1/"), "ip=1"));
        assertFalse(jar.store(u("http://127.0.0.1/"), "ipd=1; Domain=0.0.1"));
        assertEquals("ip=1", jar.header(u("http://127.0.0.1:8080/")), "ports do not matter (§8.5)");
        assertNull(jar.header(u("http://localhost/")));
    }

    @Test
    void pathRules() {
        CookieJar jar = new CookieJar();
        jar.store(u("http://h/docs/api/index.html"), "dflt=1"); // default path: /docs/api
        jar.store(u("http://h/"), "root=2; Path=/");
        jar.store(u("http://h/"), "docs=3; Path=/docs");
        jar.store(u("http://h/"), "slash=4; Path=/docs/");
        jar.store(u("http://h/"), "rel=5; Path=relative"); // not starting with '/': the default, "/"
        assertEquals("/docs/api", jar.cookies().getFirst().path());
        assertEquals("dflt=1; slash=4; docs=3; root=2; rel=5", jar.header(u("http://h/docs/api/x")), "longest first");
        assertEquals("docs=3; root=2; rel=5", jar.header(u("http://h/docs")));
        assertEquals("root=2; rel=5", jar.header(u("http://h/docsx")), "a prefix but not at a '/'");
        assertEquals("dflt=1; slash=4; docs=3; root=2; rel=5", jar.header(u("http://h/docs/api")));
    }

    @Test
    void secureCookiesGoOnlyOverHttps() {
        CookieJar jar = new CookieJar();
        jar.store(u("https://h/"), "s=1; Secure; HttpOnly");
        jar.store(u("https://h/"), "p=2");
        assertEquals("s=1; p=2", jar.header(u("https://h/")));
        assertEquals("p=2", jar.header(u("http://h/")));
        assertTrue(jar.cookies().getFirst().httpOnly());
    }

    @Test
    void expiryReplacingAndDeleting() {
        MovingClock clock = new MovingClock();
        CookieJar jar = new CookieJar(clock);
        jar.store(u("http://h/"), "a=1; Max-Age=60");
        jar.store(u("http://h/"), "b=2; Expires=Thu, 01 Jan 2026 00:02:00 GMT");
        jar.store(u("http://h/"), "c=3; Expires=Thu, 01 Jan 2026 00:02:00 GMT; Max-Age=10"); // Max-Age wins
        jar.store(u("http://h/"), "d=4; Expires=not a date"); // ignored attribute: a session cookie
        jar.store(u("http://h/"), "old=5; Expires=Wed, 01 Jan 2025 00:00:00 GMT"); // already expired: not stored
        assertEquals("a=1; b=2; c=3; d=4", jar.header(u("http://h/")));
        clock.now = T0.plusSeconds(30);
        assertEquals("a=1; b=2; d=4", jar.header(u("http://h/")));
        clock.now = T0.plusSeconds(90);
        assertEquals("b=2; d=4", jar.header(u("http://h/")));
        jar.store(u("http://h/"), "d=new"); // same name, domain and path: replaced, keeps its place
        jar.store(u("http://h/"), "e=5");
        assertEquals("b=2; d=new; e=5", jar.header(u("http://h/")));
        jar.store(u("http://h/"), "b=gone; Max-Age=0");
        assertEquals("d=new; e=5", jar.header(u("http://h/")));
        clock.now = T0.plusSeconds(10_000);
        assertEquals("d=new; e=5", jar.header(u("http://h/")), "session cookies last as long as the jar");
        assertEquals(Optional.of("new"), jar.get(u("http://h/"), "d"));
        jar.clear();
        assertTrue(jar.cookies().isEmpty());
    }

    @Test
    void aClientKeepsCookiesAcrossRequestsAndRedirectsAndOnlyWithAJar() {
        HttpServer server = HttpServer.start(
                (req, res) -> {
                    switch (req.path()) {
                        case "/login" -> {
                            res.headers().add("Set-Cookie", "session=abc; Path=/; HttpOnly");
                            res.headers().add("Set-Cookie", "pref=dark; Path=/app");
                            res.status(302).header("Location", "/app/home").send();
                        }
                        case "/logout" ->
                            res.header("Set-Cookie", "session=; Max-Age=0; Path=/")
                                    .send("bye");
                        default -> res.send(req.path() + " cookie=" + req.header("Cookie"));
                    }
                },
                HttpServerOptions.builder().port(0).loops(1).build());
        try {
            String base = "http://127.0.0.1:" + server.port();
            Spindle.run(() -> {
                CookieJar jar = new CookieJar();
                try (HttpClient client = HttpClient.builder()
                        .baseUrl(base)
                        .cookies(jar)
                        .followRedirects(true)
                        .build()) {
                    // the redirect's Set-Cookie is stored and sent to the redirect's target
                    assertEquals(
                            "/app/home cookie=pref=dark; session=abc",
                            client.get("/login").text());
                    assertEquals(
                            "/other cookie=session=abc", client.get("/other").text(), "pref is for /app");
                    assertEquals(
                            "/app cookie=mine=1",
                            client.send(ClientRequest.get("/app")
                                            .header("Cookie", "mine=1")
                                            .build())
                                    .text(),
                            "a request's own Cookie header wins");
                    client.get("/logout");
                    assertEquals("/app/x cookie=pref=dark", client.get("/app/x").text());
                    assertEquals(1, jar.cookies().size());
                    // the same server under another host name: host-only cookies do not go there
                    assertEquals(
                            "/app/x cookie=null",
                            client.get("http://localhost:" + server.port() + "/app/x")
                                    .text());
                }
                try (HttpClient plain =
                        HttpClient.builder().baseUrl(base).followRedirects(true).build()) {
                    assertEquals("/app/home cookie=null", plain.get("/login").text(), "no jar, no cookies");
                }
                return null;
            });
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
    }

    @Test
    void cookiesSetByPythonsServerWithDomainAndPathAttributes() {
        try (PythonPeer peer = new PythonPeer()) {
            Spindle.run(() -> {
                CookieJar jar = new CookieJar();
                try (HttpClient client = HttpClient.builder().cookies(jar).build()) {
                    String set = "/cookies/set?c=" + enc("a=1; Path=/") + "&c=" + enc("b=2; Path=/echo") + "&c="
                            + enc("c=3; Domain=example.com; Path=/") + "&c=" + enc("d=4; Secure; Path=/");
                    assertEquals(
                            "set",
                            client.get("http://localhost:" + peer.port() + set).text());
                    assertEquals(3, jar.cookies().size(), "the foreign Domain was refused: " + jar.cookies());
                    String echo = client.get("http://localhost:" + peer.port() + "/echo")
                            .text();
                    assertTrue(echo.contains("[\"Cookie\", \"b=2; a=1\"]"), "Secure not over http: " + echo);
                    String other = client.get("http://127.0.0.1:" + peer.port() + "/echo")
                            .text();
                    assertFalse(other.contains("\"Cookie\""), "localhost's cookies stay on localhost: " + other);
                }
                return null;
            });
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
