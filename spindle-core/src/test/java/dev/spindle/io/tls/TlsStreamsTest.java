package dev.spindle.io.tls;

import static dev.spindle.Spindle.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.ConnectOptions;
import dev.spindle.io.Connection;
import dev.spindle.io.Server;
import dev.spindle.io.ServerOptions;
import dev.spindle.io.Streams;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TLS through the public streams API: a TLS server and client made with options, not with transports. */
@Timeout(60)
class TlsStreamsTest {
    @Test
    void aTlsServerAndClientExchangeLinesAndExposeTheSession() {
        List<String> got = run(() -> {
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        for (String line : reader.lines()) {
                            writer.write(("echo " + line + " over "
                                            + writer.tlsSession().orElseThrow().getProtocol() + "\n")
                                    .getBytes(StandardCharsets.UTF_8));
                            writer.drain();
                        }
                    },
                    "127.0.0.1",
                    0,
                    ServerOptions.builder()
                            .tls(TestCerts.server().withAlpn("h2", "http/1.1"))
                            .build());
            int port = ((InetSocketAddress) server.addresses().getFirst()).getPort();
            List<String> lines = new ArrayList<>();
            Connection c = Streams.openConnection(
                    "localhost",
                    port,
                    ConnectOptions.builder()
                            .tls(TestCerts.client().withAlpn("http/1.1"))
                            .build());
            assertTrue(c.writer().tlsSession().isPresent(), "the client sees its TLS session");
            assertEquals(java.util.Optional.of("http/1.1"), c.writer().alpnProtocol(), "ALPN settled on http/1.1");
            c.writer().write("hello\n".getBytes(StandardCharsets.UTF_8));
            lines.add(new String(c.reader().readLine(), StandardCharsets.UTF_8).trim());
            c.close();
            server.close();
            return lines;
        });
        assertEquals(1, got.size());
        assertTrue(got.getFirst().startsWith("echo hello over TLS"), got.getFirst());
    }

    @Test
    void aPlainClientAgainstATlsServerFailsOnlyThatConnection() {
        run(() -> {
            Server server = Streams.startServer(
                    (reader, writer) -> writer.write(reader.readLine()),
                    "127.0.0.1",
                    0,
                    ServerOptions.builder().tls(TestCerts.server()).build());
            int port = ((InetSocketAddress) server.addresses().getFirst()).getPort();
            Connection plain = Streams.openConnection("127.0.0.1", port);
            plain.writer().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            plain.reader().read(100); // the server drops it after a failed handshake
            plain.close();
            Connection good = Streams.openConnection(
                    "localhost",
                    port,
                    ConnectOptions.builder().tls(TestCerts.client()).build());
            good.writer().write("still serving\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("still serving\n", new String(good.reader().readLine(), StandardCharsets.UTF_8));
            good.close();
            server.close();
        });
    }

    @Test
    void optionsForTheWrongSideAreRejected() {
        assertThrows(
                IllegalArgumentException.class, () -> ConnectOptions.builder().tls(TestCerts.server()));
        assertThrows(
                IllegalArgumentException.class, () -> ServerOptions.builder().tls(TestCerts.client()));
    }
}
