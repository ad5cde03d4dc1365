package dev.spindle.io.tls;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.io.tls.TlsIo.onThread;
import static dev.spindle.io.tls.TlsIo.readLine;
import static dev.spindle.io.tls.TlsIo.send;
import static dev.spindle.io.tls.TlsIo.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.io.TlsOptions;
import dev.spindle.io.internal.TlsTransport;
import dev.spindle.loop.Loop;
import dev.spindle.task.Task;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Spindle TLS server facing bad peers, each on its own connection while a good client is served: random bytes,
 * plain HTTP, a peer that connects and says nothing, a reset mid-handshake. Each gives a clear error on its own
 * connection; the server goes on serving and leaves no task behind.
 */
@Timeout(60)
class TlsBadPeersTest {
    /** Serves one connection: handshake, echo one line; returns "ok" or the failure. */
    static Object serve(ChannelTransport plain, TlsOptions options) {
        try {
            TlsTransport tls = TlsTransport.server(plain, options);
            try {
                write(tls, "echo " + readLine(tls));
                tls.shutdownOutput();
                return "ok";
            } finally {
                tls.close();
            }
        } catch (Exception e) {
            return e;
        }
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(20_000);
        return s;
    }

    @Test
    void badPeersGetClearErrorsOnTheirOwnConnectionsWhileTheServerGoesOnServing() {
        TlsOptions options = TestCerts.server().withHandshakeTimeout(Duration.ofMillis(300));
        run(() -> {
            Map<Integer, Task<Object>> byClientPort = new HashMap<>();
            try (ChannelTransport.Listener listener = new ChannelTransport.Listener()) {
                int port = listener.port();
                Task<Void> acceptor = spawn(() -> {
                    while (true) {
                        ChannelTransport plain = listener.accept();
                        int clientPort = ((InetSocketAddress) plain.remoteAddress()).getPort();
                        byClientPort.put(clientPort, spawn(() -> serve(plain, options)));
                    }
                });

                // connects and says nothing: only the handshake timeout ends it
                Socket silent = connect(port);
                CompletableFuture<Integer> silentSaw =
                        onThread(() -> silent.getInputStream().read());

                // random bytes, then the end of its output
                CompletableFuture<Integer> garbage = onThread(() -> {
                    try (Socket s = connect(port)) {
                        byte[] junk = new byte[1000];
                        new Random(42).nextBytes(junk);
                        s.getOutputStream().write(junk);
                        s.shutdownOutput();
                        s.getInputStream().readAllBytes(); // until the server closes
                        return s.getLocalPort();
                    }
                });

                // plain HTTP to the TLS port
                CompletableFuture<Integer> http = onThread(() -> {
                    try (Socket s = connect(port)) {
                        send(s, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                        s.getInputStream().readAllBytes();
                        return s.getLocalPort();
                    }
                });

                // a TLS record header promising more, then a reset
                CompletableFuture<Integer> reset = onThread(() -> {
                    Socket s = connect(port);
                    s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
                    s.setSoLinger(true, 0);
                    s.close();
                    return s.getLocalPort();
                });

                // a good client, served while the others fail
                CompletableFuture<String> good = onThread(() -> {
                    try (SSLSocket s = TlsWithJdkPeersTest.jdkClient(TestCerts.jdkContext(null), "localhost", port)) {
                        send(s, "hello\n");
                        return readLine(s.getInputStream()) + "@" + s.getLocalPort();
                    }
                });

                String[] echoed = Spindle.await(good).split("@");
                assertEquals("echo hello\n", echoed[0]);
                int garbagePort = Spindle.await(garbage);
                int httpPort = Spindle.await(http);
                int resetPort = Spindle.await(reset);
                assertEquals(-1, Spindle.await(silentSaw), "the silent peer's connection was closed");
                int silentPort = silent.getLocalPort();
                silent.close();
                while (byClientPort.size() < 5) {
                    sleep(Duration.ofMillis(1));
                }

                assertEquals("ok", byClientPort.get(Integer.parseInt(echoed[1])).await());

                Throwable junk = (Throwable) byClientPort.get(garbagePort).await();
                assertInstanceOf(SSLHandshakeException.class, junk);
                assertTrue(
                        junk.getMessage().startsWith("TLS handshake with /127.0.0.1:" + garbagePort + " failed: "),
                        junk.getMessage());

                Throwable plainText = (Throwable) byClientPort.get(httpPort).await();
                assertInstanceOf(SSLHandshakeException.class, plainText);
                assertTrue(
                        plainText.getMessage().contains("the peer sent plain text, not TLS: \"GET / HTTP/1.1\\r\\n"),
                        plainText.getMessage());

                Throwable quiet = (Throwable) byClientPort.get(silentPort).await();
                assertInstanceOf(SSLHandshakeException.class, quiet);
                assertEquals(
                        "TLS handshake with /127.0.0.1:" + silentPort + " did not finish within 300 ms",
                        quiet.getMessage());

                Throwable broken = (Throwable) byClientPort.get(resetPort).await();
                assertInstanceOf(IOException.class, broken);

                acceptor.cancel();
            }
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            assertEquals(
                    1,
                    Loop.current().allTasks().size(),
                    () -> "tasks left: " + Loop.current().allTasks());
        });
    }

    @Test
    void aPlainHttpServerAnsweringATlsClientIsRecognised() throws Exception {
        java.net.ServerSocket server = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = server.getLocalPort();
        CompletableFuture<Object> peer = TlsIo.acceptOne(server, s -> {
            s.getInputStream().read(new byte[1000]); // the ClientHello, as an HTTP server would take a request
            s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return null;
        });
        Throwable e = run(() -> {
            try {
                TlsTransport.client(ChannelTransport.connect(port), TestCerts.client(), "localhost", port);
                return null;
            } catch (SSLHandshakeException x) {
                return x;
            }
        });
        peer.join();
        assertTrue(e.getMessage().startsWith("TLS handshake with localhost:" + port + " failed: "), e.getMessage());
        assertTrue(e.getMessage().contains("plain text, not TLS: \"HTTP/1.1 400 Bad Reque"), e.getMessage());
    }
}
