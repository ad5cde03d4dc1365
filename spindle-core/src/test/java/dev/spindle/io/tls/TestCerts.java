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
 * Certificates made for the tests by the JDK's own {@code keytool}, once per JVM, in a temporary directory: a CA, a
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

    private static TestCerts make() {
        try {
            Path dir = Files.createTempDirectory("spindle-tls-test");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
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
            return new TestCerts(
                    load(dir.resolve("localhost.p12")),
                    load(dir.resolve("other.p12")),
                    load(dir.resolve("client.p12")),
                    load(dir.resolve("trust.p12")));
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
