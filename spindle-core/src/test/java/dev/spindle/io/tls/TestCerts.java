package dev.spindle.io.tls;

import dev.spindle.io.TlsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * Certificates made for the tests by the JDK's own {@code keytool}, kept for a day in the temporary directory: a CA, a
 * server certificate for {@code localhost} (SAN dns:localhost, ip:127.0.0.1), one for {@code other.example} (for
 * host-name mismatches) and a client certificate, all signed by the CA, and a trust store holding only the CA.
 */
final class TestCerts {
    static final char[] PASSWORD = "changeit".toCharArray();

    /** Made on first use. */
    private static final class Made {
        static final TestCerts CERTS = make();
    }

    final KeyStore localhost;
    final KeyStore otherName;
    final KeyStore client;
    final KeyStore trust;

    private TestCerts(KeyStore localhost, KeyStore otherName, KeyStore client, KeyStore trust) {
        this.localhost = localhost;
        this.otherName = otherName;
        this.client = client;
        this.trust = trust;
    }

    static TestCerts get() {
        return Made.CERTS;
    }

    /** Server options with the localhost certificate. */
    static TlsOptions server() {
        return TlsOptions.server(get().localhost, PASSWORD);
    }

    /** Client options trusting only the test CA. */
    static TlsOptions client() {
        return TlsOptions.client(get().trust);
    }

    /** A JDK context with {@code keys} (may be null) that trusts only the test CA. */
    static SSLContext jdkContext(KeyStore keys) {
        return TlsOptions.newContext(keys, PASSWORD, get().trust);
    }

    /**
     * Where the certificates are kept between test JVMs of a build (core's suite, then the same suite on Netty):
     * making them takes a dozen keytool runs, seconds each on a busy machine.
     */
    private static final Path SHARED = Path.of(System.getProperty("java.io.tmpdir"), "spindle-test-certs-v1");

    private static TestCerts make() {
        TestCerts reused = reuse();
        if (reused != null) {
            return reused;
        }
        Path dir = generate();
        try {
            Files.move(dir, SHARED, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            dir = SHARED;
        } catch (IOException e) {
            // another JVM published first, or the move is not possible here: use this JVM's own copy
            Path own = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(own)));
        }
        return loadAll(dir);
    }

    /** The shared certificates if they are there, whole, and less than a day old (they are valid for three). */
    private static TestCerts reuse() {
        try {
            if (!Files.isDirectory(SHARED)) {
                return null;
            }
            java.time.Instant made = Files.getLastModifiedTime(SHARED).toInstant();
            if (made.isBefore(java.time.Instant.now().minus(java.time.Duration.ofDays(1)))) {
                deleteTree(SHARED);
                return null;
            }
            return loadAll(SHARED);
        } catch (IOException | RuntimeException e) {
            deleteTree(SHARED);
            return null;
        }
    }

    private static TestCerts loadAll(Path dir) {
        return new TestCerts(
                load(dir.resolve("localhost.p12")),
                load(dir.resolve("other.p12")),
                load(dir.resolve("client.p12")),
                load(dir.resolve("trust.p12")));
    }

    private static Path generate() {
        try {
            Path dir = Files.createTempDirectory("spindle-tls-test");
            keytool(
                    dir,
                    "-genkeypair",
                    "-alias",
                    "ca",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=Spindle Test CA",
                    "-ext",
                    "bc:c",
                    "-validity",
                    "3",
                    "-keystore",
                    "ca.p12");
            keytool(dir, "-exportcert", "-alias", "ca", "-rfc", "-file", "ca.pem", "-keystore", "ca.p12");
            CompletableFuture<Void> trust = CompletableFuture.runAsync(() -> keytool(
                    dir, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12"));
            CompletableFuture<Void> localhost = CompletableFuture.runAsync(
                    () -> leaf(dir, "localhost", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1", "serverAuth"));
            CompletableFuture<Void> other = CompletableFuture.runAsync(
                    () -> leaf(dir, "other", "CN=other.example", "SAN=dns:other.example", "serverAuth"));
            CompletableFuture<Void> client =
                    CompletableFuture.runAsync(() -> leaf(dir, "client", "CN=spindle-client", null, "clientAuth"));
            CompletableFuture.allOf(trust, localhost, other, client).join();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A key pair, a request, the CA's signature on it, and the chain (CA, then reply) imported back. */
    private static void leaf(Path dir, String name, String dname, String san, String eku) {
        String store = name + ".p12";
        keytool(
                dir,
                "-genkeypair",
                "-alias",
                "leaf",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                dname,
                "-validity",
                "3",
                "-keystore",
                store);
        keytool(dir, "-certreq", "-alias", "leaf", "-file", name + ".csr", "-keystore", store);
        List<String> gencert = new ArrayList<>(List.of(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-infile",
                name + ".csr",
                "-outfile",
                name + ".pem",
                "-rfc",
                "-validity",
                "3",
                "-ext",
                "EKU=" + eku));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(dir, gencert.toArray(String[]::new));
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", store);
        keytool(dir, "-importcert", "-alias", "leaf", "-file", name + ".pem", "-keystore", store);
    }

    private static void keytool(Path dir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // A short-lived tool: C1 alone and the serial collector start it in about half the time.
        cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-XX:-UsePerfData"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD)));
        if (List.of(args).contains("-genkeypair")) {
            cmd.addAll(List.of("-keypass", new String(PASSWORD)));
        }
        try {
            Process p = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path file) {
        try {
            return KeyStore.getInstance(file.toFile(), PASSWORD);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load " + file, e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }
}
