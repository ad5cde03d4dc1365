package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.TlsOptions;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS through core's TLS streams, ALPN advertising http/1.1, against curl and the JDK's client. */
class TlsTest {
    static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    static TestServer server;
    static byte[] file;
    static KeyStore keys;

    @BeforeAll
    static void start() throws Exception {
        Path ks = dir.resolve("server.p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Proc.run(List.of(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        "server",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-keystore",
                        ks.toString(),
                        "-storepass",
                        "changeit",
                        "-storetype",
                        "PKCS12"))
                .ok();
        Proc.run(List.of(
                        keytool,
                        "-exportcert",
                        "-rfc",
                        "-alias",
                        "server",
                        "-keystore",
                        ks.toString(),
                        "-storepass",
                        "changeit",
                        "-file",
                        dir.resolve("cert.pem").toString()))
                .ok();
        keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            keys.load(in, PASSWORD);
        }
        file = new byte[3_000_000];
        new java.util.Random(5).nextBytes(file);
        Files.write(dir.resolve("file.bin"), file);
        server = new TestServer(
                (req, res) -> {
                    if (req.path().equals("/file.bin")) {
                        res.sendFile(dir.resolve("file.bin")); // through TLS: the writer's buffered path
                        return;
                    }
                    res.send(req.scheme() + " " + req.tlsSession().orElseThrow().getProtocol() + " "
                            + req.body().readAll().length);
                },
                b -> b.tls(TlsOptions.server(keys, PASSWORD)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void curlNegotiatesHttp11ByAlpn() throws Exception {
        String url = "https://127.0.0.1:" + server.port() + "/";
        Proc p = Proc.curl("-v", "--cacert", dir.resolve("cert.pem").toString(), "--data-binary", "hello", url)
                .ok();
        assertTrue(p.out.startsWith("https TLSv1.3 5"), p.out);
        assertTrue(
                p.err.contains("ALPN: server accepted http/1.1")
                        || p.err.contains("ALPN, server accepted to use http/1.1"),
                p.err);
    }

    @Test
    void jdkClientOverTls() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (HttpClient client = HttpClient.newBuilder().sslContext(ctx).build()) { // offers h2 and http/1.1
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/x"))
                                .POST(HttpRequest.BodyPublishers.ofString("a".repeat(i)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(HttpClient.Version.HTTP_1_1, r.version()); // ALPN chose http/1.1
                assertEquals("https TLSv1.3 " + i, r.body());
            }
        }
    }

    @Test
    void fileResponsesOverTlsAreWholeAndRanged() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (HttpClient client = HttpClient.newBuilder().sslContext(ctx).build()) {
            URI uri = URI.create("https://localhost:" + server.port() + "/file.bin");
            HttpResponse<byte[]> whole =
                    client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, whole.statusCode());
            assertTrue(java.util.Arrays.equals(file, whole.body()), "the whole file, decrypted intact");
            HttpResponse<byte[]> range = client.send(
                    HttpRequest.newBuilder(uri)
                            .header("Range", "bytes=100000-1299999")
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(206, range.statusCode());
            assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(file, 100_000, 1_300_000), range.body()));
        }
    }
}
