package dev.spindle.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.io.StreamError;
import dev.spindle.io.TlsOptions;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS against Spindle's server with a self-signed certificate for {@code localhost} made by the JDK's keytool:
 * verification is on by default (an unknown issuer and a wrong host name both fail), ALPN settles on http/1.1.
 */
class TlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    static KeyStore keys;
    static KeyStore trust;
    static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        Path p12 = dir.resolve("localhost.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        "localhost",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost",
                        "-validity",
                        "2",
                        "-keystore",
                        p12.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit"))
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(p12.toFile())) {
            keys.load(in, PASSWORD);
        }
        trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("localhost", keys.getCertificate("localhost"));
        server = HttpServer.start(
                (req, res) -> res.send("secure " + req.scheme() + " "
                        + req.tlsSession().map(s -> s.getProtocol()).orElse("none")),
                HttpServerOptions.builder()
                        .port(0)
                        .loops(1)
                        .tls(TlsOptions.server(keys, PASSWORD))
                        .build());
        assertTrue(Files.exists(p12));
    }

    @AfterAll
    static void stop() {
        server.shutdown(java.time.Duration.ofSeconds(2));
    }

    @Test
    void verifiedConnectionWithATrustedCertificate() {
        Spindle.run(() -> {
            try (HttpClient client =
                    HttpClient.builder().tls(TlsOptions.client(trust)).build()) {
                ClientResponse r = client.get("https://localhost:" + server.port() + "/");
                assertTrue(r.text().startsWith("secure https TLS"), r.text());
                assertTrue(client.get("https://localhost:" + server.port() + "/again")
                        .isSuccess());
            }
        });
    }

    @Test
    void unknownIssuerIsRefusedByDefault() {
        Spindle.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                StreamError e =
                        assertThrows(StreamError.class, () -> client.get("https://localhost:" + server.port() + "/"));
                assertTrue(e.getMessage().contains("TLS handshake"), e.getMessage());
            }
        });
    }

    @Test
    void wrongHostNameIsRefusedUnlessVerificationIsTurnedOff() {
        Spindle.run(() -> {
            try (HttpClient client =
                    HttpClient.builder().tls(TlsOptions.client(trust)).build()) {
                // the certificate names localhost, not 127.0.0.1
                StreamError e =
                        assertThrows(StreamError.class, () -> client.get("https://127.0.0.1:" + server.port() + "/"));
                assertTrue(e.getMessage().contains("TLS handshake"), e.getMessage());
            }
            try (HttpClient lax = HttpClient.builder()
                    .tls(TlsOptions.client(trust).withoutHostnameVerification())
                    .build()) {
                assertTrue(lax.get("https://127.0.0.1:" + server.port() + "/").isSuccess());
            }
        });
    }
}
