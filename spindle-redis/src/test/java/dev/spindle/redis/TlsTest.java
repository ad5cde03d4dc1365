package dev.spindle.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.TlsOptions;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import dev.spindle.testservers.Binaries;
import dev.spindle.testservers.FreePorts;
import dev.spindle.testservers.RedisServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * rediss:// against a redis-server with TLS on, its certificate signed by a throw-away CA and naming 127.0.0.1.
 * TLS handshakes do their crypto on the loop's thread (core's engine runs there); the first ones, with the JIT cold
 * and the machine shared, may hold the loop past the default 1 s slow-step report, hence the wider bound here.
 */
@SpindleTest(time = TimeMode.REAL, timeoutMillis = 60_000, slowStepMillis = 10_000)
class TlsTest {
    private static Path dir;
    private static RedisServer server;
    private static int tlsPort;
    private static KeyStore trust;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("spindle-redis-tls");
        String openssl = Binaries.require("openssl", "openssl").toString();
        run(
                dir,
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-days",
                "2",
                "-subj",
                "/CN=Spindle Test CA");
        run(
                dir,
                openssl,
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=redis-test");
        Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
        run(
                dir,
                openssl,
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "2",
                "-extfile",
                "ext.cnf");
        tlsPort = FreePorts.find();
        server = RedisServer.start(
                "--tls-port", String.valueOf(tlsPort),
                "--tls-cert-file", dir.resolve("server.crt").toString(),
                "--tls-key-file", dir.resolve("server.key").toString(),
                "--tls-ca-cert-file", dir.resolve("ca.crt").toString(),
                "--tls-auth-clients", "no");
        TlsOptions.client(); // loads the JDK's CA file once, here rather than on the loop
        trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(List.of(cmd) + " failed: " + out);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void verifiedTlsWorksWithTheRightTrustAndFailsWithout() {
        RedisConfig trusted = RedisConfig.fromUrl("rediss://127.0.0.1:" + tlsPort).toBuilder()
                .tls(TlsOptions.client(trust))
                .build();
        try (RedisClient redis = RedisClient.create(trusted)) {
            redis.set("tls", "yes");
            assertEquals("yes", redis.get("tls"));
        }
        // verification is on by default: the JDK's CAs do not know this server
        try (RedisClient redis = RedisClient.create("rediss://127.0.0.1:" + tlsPort)) {
            RedisConnectionError e = assertThrows(RedisConnectionError.class, redis::ping);
            assertTrue(e.getMessage().contains("127.0.0.1:" + tlsPort), e.getMessage());
        }
        // the right CA but the wrong name: the certificate names 127.0.0.1, not localhost
        try (RedisClient redis =
                RedisClient.create(trusted.toBuilder().host("localhost").build())) {
            assertThrows(RedisConnectionError.class, redis::ping);
        }
        // explicitly unverified, for test servers
        try (RedisClient redis = RedisClient.create("rediss://localhost:" + tlsPort + "?ssl_cert_reqs=none")) {
            assertEquals("yes", redis.get("tls"));
        }
    }
}
