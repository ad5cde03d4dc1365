package dev.spindle.http.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.io.TlsOptions;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wss:// through the server's TLS: a trusted certificate works, an untrusted one is refused by default. */
class WssTest {
    @TempDir
    Path dir;

    @Test
    void wssEchoWithVerificationAndRefusalOfAnUnknownCertificate() throws Exception {
        char[] password = "changeit".toCharArray();
        Path store = dir.resolve("ws.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "ws",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-keystore",
                        store.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String log = new String(keytool.getInputStream().readAllBytes());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, log);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password);
        }
        HttpServer server = HttpServer.start(
                WebSocket.handler((req, ws) -> {
                    ws.send(req.scheme());
                    for (Message m : ws) {
                        ws.send(m);
                    }
                }),
                HttpServerOptions.builder()
                        .port(0)
                        .loops(1)
                        .tls(TlsOptions.server(keys, password))
                        .build());
        try {
            URI uri = URI.create("wss://127.0.0.1:" + server.port() + "/");
            Spindle.run(() -> {
                try (WebSocket ws = WebSocketClient.connect(
                        uri,
                        WebSocketOptions.builder().tls(TlsOptions.client(keys)).build())) {
                    assertEquals("https", ws.receive().text());
                    String big = "tls ".repeat(100_000);
                    ws.send(big);
                    assertEquals(big, ws.receive().text());
                }
                // verification is on by default: the JDK's trust store does not know this certificate
                Exception e = assertThrows(Exception.class, () -> WebSocketClient.connect(uri));
                assertTrue(!(e instanceof HandshakeFailed), "refused by TLS, not by HTTP: " + e);
            });
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
    }
}
