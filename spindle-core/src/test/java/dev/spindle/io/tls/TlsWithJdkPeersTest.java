package dev.spindle.io.tls;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.io.tls.TlsIo.acceptOne;
import static dev.spindle.io.tls.TlsIo.onThread;
import static dev.spindle.io.tls.TlsIo.readLine;
import static dev.spindle.io.tls.TlsIo.send;
import static dev.spindle.io.tls.TlsIo.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.io.TlsOptions;
import dev.spindle.io.internal.TlsTransport;
import dev.spindle.task.Task;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spindle's TLS against the JDK's own TLS sockets on platform threads: real peers, in both roles. */
@Timeout(60)
class TlsWithJdkPeersTest {
    private static final int MIB = 1024 * 1024;

    /** A JDK TLS server on 127.0.0.1 with {@code keys} (trusting the test CA), optionally limited to protocols. */
    static SSLServerSocket jdkServer(KeyStore keys, String... protocols) throws Exception {
        SSLServerSocket s = (SSLServerSocket) TestCerts.jdkContext(keys)
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        if (protocols.length > 0) {
            s.setEnabledProtocols(protocols);
        }
        return s;
    }

    /** A JDK TLS client to 127.0.0.1:port that verifies the name {@code host} and sends it as SNI. */
    static SSLSocket jdkClient(SSLContext ctx, String host, int port, String... alpn) throws Exception {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setServerNames(List.of(new SNIHostName(host)));
        if (alpn.length > 0) {
            p.setApplicationProtocols(alpn);
        }
        s.setSSLParameters(p);
        s.setSoTimeout(20_000);
        return s;
    }

    static List<String> sniNames(SSLSession session) {
        List<String> names = new ArrayList<>();
        for (SNIServerName n : ((ExtendedSSLSession) session).getRequestedServerNames()) {
            names.add(((SNIHostName) n).getAsciiName());
        }
        return names;
    }

    // ---- both roles -------------------------------------------------------------------------------------

    @Test
    void aSpindleClientTalksToAJdkServerVerifiesItAndSendsSni() throws Exception {
        SSLServerSocket server = jdkServer(TestCerts.get().localhost);
        int port = server.getLocalPort();
        CompletableFuture<List<String>> peer = acceptOne(server, s -> {
            send(s, "echo " + readLine(s.getInputStream()));
            return sniNames(((SSLSocket) s).getSession());
        });
        String reply = run(() -> {
            TlsTransport tls =
                    TlsTransport.client(ChannelTransport.connect(port), TestCerts.client(), "localhost", port);
            assertEquals("TLSv1.3", tls.session().getProtocol());
            assertEquals("CN=localhost", tls.session().getPeerPrincipal().getName());
            assertEquals(Optional.empty(), tls.applicationProtocol());
            write(tls, "hello\n");
            String r = readLine(tls);
            tls.close();
            return r;
        });
        assertEquals("echo hello\n", reply);
        assertEquals(List.of("localhost"), peer.join(), "the server saw the host as SNI");
    }

    @Test
    void aSpindleServerServesAJdkClientThatVerifiesItAndSeesTheSniName() throws Exception {
        List<String> sni = run(() -> {
            try (ChannelTransport.Listener listener = new ChannelTransport.Listener()) {
                int port = listener.port();
                CompletableFuture<String> client = onThread(() -> {
                    try (SSLSocket s = jdkClient(TestCerts.jdkContext(null), "localhost", port)) {
                        send(s, "ping\n");
                        return readLine(s.getInputStream());
                    }
                });
                TlsTransport tls = TlsTransport.server(listener.accept(), TestCerts.server());
                assertEquals("ping\n", readLine(tls));
                write(tls, "pong\n");
                // close_notify before waiting for the JDK client: its close() waits for ours
                tls.shutdownOutput();
                assertEquals("pong\n", Spindle.await(client));
                tls.close();
                return sniNames(tls.session());
            }
        });
        assertEquals(List.of("localhost"), sni);
    }

    @Test
    void alpnOffersGoInOrderAndTheServersPreferenceWinsVisibleOnBothSides() throws Exception {
        // Spindle client offering h2 then http/1.1 to a JDK server that prefers h2
        SSLServerSocket server = jdkServer(TestCerts.get().localhost);
        SSLParameters p = server.getSSLParameters();
        p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        server.setSSLParameters(p);
        int port = server.getLocalPort();
        CompletableFuture<String> peer = acceptOne(server, s -> {
            ((SSLSocket) s).startHandshake();
            String chosen = ((SSLSocket) s).getApplicationProtocol();
            readLine(s.getInputStream());
            return chosen;
        });
        Optional<String> clientSaw = run(() -> {
            TlsOptions options = TestCerts.client().withAlpn("h2", "http/1.1");
            TlsTransport tls = TlsTransport.client(ChannelTransport.connect(port), options, "localhost", port);
            write(tls, "done\n");
            tls.close();
            return tls.applicationProtocol();
        });
        assertEquals(Optional.of("h2"), clientSaw);
        assertEquals("h2", peer.join());

        // a Spindle server preferring http/1.1 to a JDK client offering h2 first: the server's order wins
        List<String> seen = run(() -> {
            try (ChannelTransport.Listener listener = new ChannelTransport.Listener()) {
                int lport = listener.port();
                CompletableFuture<String> client = onThread(() -> {
                    try (SSLSocket s = jdkClient(TestCerts.jdkContext(null), "localhost", lport, "h2", "http/1.1")) {
                        s.startHandshake();
                        String chosen = s.getApplicationProtocol();
                        send(s, "x\n");
                        readLine(s.getInputStream());
                        return chosen;
                    }
                });
                TlsTransport tls = TlsTransport.server(
                        listener.accept(), TestCerts.server().withAlpn("http/1.1", "h2"));
                readLine(tls);
                write(tls, "y\n");
                tls.shutdownOutput();
                String jdkChose = Spindle.await(client);
                tls.close();
                return List.of(tls.applicationProtocol().orElse("none"), jdkChose);
            }
        });
        assertEquals(List.of("http/1.1", "http/1.1"), seen);
    }

    // ---- verification failures --------------------------------------------------------------------------

    /** Runs a JDK server with {@code keys} and a Spindle client to it for {@code host}; returns the client's error. */
    static Throwable clientFailure(KeyStore keys, TlsOptions options, String host) throws Exception {
        SSLServerSocket server = jdkServer(keys);
        int port = server.getLocalPort();
        CompletableFuture<Object> peer = acceptOne(server, s -> {
            ((SSLSocket) s).startHandshake();
            return null;
        });
        Throwable failure = run(() -> {
            ChannelTransport plain = ChannelTransport.connect(port);
            Throwable e = assertThrows(Exception.class, () -> TlsTransport.client(plain, options, host, port));
            assertFalse(plain.isOpen(), "a failed handshake closes the connection");
            return e;
        });
        // The JDK server fails too, with the alert the client sent. The alert is best effort: if more of the
        // server's flight arrives after the client gave up, closing with it unread resets the connection, and the
        // reset may overtake the alert. A missing alert would read "Remote host terminated the handshake".
        Throwable serverSide = assertThrows(Exception.class, peer::join).getCause();
        if (serverSide instanceof SSLHandshakeException) {
            assertTrue(serverSide.getMessage().contains("Received fatal alert"), serverSide.getMessage());
        } else {
            assertInstanceOf(java.net.SocketException.class, serverSide);
        }
        return failure;
    }

    @Test
    void aCertificateForAnotherNameFailsHostNameVerificationNamingTheHost() throws Exception {
        Throwable byIp = clientFailure(TestCerts.get().otherName, TestCerts.client(), "127.0.0.1");
        assertInstanceOf(SSLHandshakeException.class, byIp);
        assertTrue(byIp.getMessage().startsWith("TLS handshake with 127.0.0.1:"), byIp.getMessage());
        assertTrue(
                byIp.getMessage().contains("No subject alternative names matching IP address 127.0.0.1"),
                byIp.getMessage());

        Throwable byName = clientFailure(TestCerts.get().otherName, TestCerts.client(), "localhost");
        assertTrue(byName.getMessage().startsWith("TLS handshake with localhost:"), byName.getMessage());
        assertTrue(
                byName.getMessage().contains("No subject alternative DNS name matching localhost"),
                byName.getMessage());
    }

    @Test
    void verificationCanBeTurnedOffOrAimedAtAnotherServerName() throws Exception {
        KeyStore other = TestCerts.get().otherName;
        // without host-name verification the same certificate is accepted (the chain is still checked)
        SSLServerSocket server = jdkServer(other);
        int port = server.getLocalPort();
        CompletableFuture<List<String>> peer = acceptOne(server, s -> {
            readLine(s.getInputStream());
            return sniNames(((SSLSocket) s).getSession());
        });
        run(() -> {
            TlsTransport tls = TlsTransport.client(
                    ChannelTransport.connect(port),
                    TestCerts.client().withoutHostnameVerification(),
                    "127.0.0.1",
                    port);
            write(tls, "ok\n");
            tls.close();
        });
        assertEquals(List.of(), peer.join(), "no SNI for an IP literal");

        // connecting to 127.0.0.1 but asking for other.example: SNI carries it and the certificate must match it
        SSLServerSocket server2 = jdkServer(other);
        int port2 = server2.getLocalPort();
        CompletableFuture<List<String>> peer2 = acceptOne(server2, s -> {
            readLine(s.getInputStream());
            return sniNames(((SSLSocket) s).getSession());
        });
        run(() -> {
            TlsTransport tls = TlsTransport.client(
                    ChannelTransport.connect(port2),
                    TestCerts.client().withServerName("other.example"),
                    "127.0.0.1",
                    port2);
            write(tls, "ok\n");
            tls.close();
        });
        assertEquals(List.of("other.example"), peer2.join());
    }

    @Test
    void aServerCertificateFromAnUntrustedAuthorityFailsClearly() throws Exception {
        // TlsOptions.client() trusts the JDK's cacerts, which do not hold the test CA
        Throwable e = clientFailure(TestCerts.get().localhost, TlsOptions.client(), "localhost");
        assertInstanceOf(SSLHandshakeException.class, e);
        assertTrue(e.getMessage().startsWith("TLS handshake with localhost:"), e.getMessage());
        assertTrue(e.getMessage().contains("not signed by an authority this side trusts"), e.getMessage());
    }

    @Test
    void aServerThatNeedsClientCertificatesRefusesClientsWithoutOne() throws Exception {
        TlsOptions needy = TlsOptions.server(TestCerts.jdkContext(TestCerts.get().localhost))
                .withClientAuth(TlsOptions.ClientAuth.NEED);
        String principal = run(() -> {
            try (ChannelTransport.Listener listener = new ChannelTransport.Listener()) {
                int port = listener.port();
                // a JDK client without a certificate
                CompletableFuture<Object> anonymous = onThread(() -> {
                    try (SSLSocket s = jdkClient(TestCerts.jdkContext(null), "localhost", port)) {
                        s.startHandshake();
                        return s.getInputStream().read();
                    }
                });
                Throwable refused =
                        assertThrows(SSLHandshakeException.class, () -> TlsTransport.server(listener.accept(), needy));
                assertTrue(refused.getMessage().startsWith("TLS handshake with /127.0.0.1:"), refused.getMessage());
                assertThrows(Exception.class, () -> Spindle.await(anonymous));

                // a Spindle client with the client certificate
                Task<Void> client = spawn(() -> {
                    TlsOptions withCert = TlsOptions.client(TestCerts.jdkContext(TestCerts.get().client));
                    TlsTransport tls = TlsTransport.client(ChannelTransport.connect(port), withCert, "localhost", port);
                    write(tls, "hi\n");
                    tls.close();
                });
                TlsTransport tls = TlsTransport.server(listener.accept(), needy);
                assertEquals("hi\n", readLine(tls));
                client.await();
                tls.close();
                return tls.session().getPeerPrincipal().getName();
            }
        });
        assertEquals("CN=spindle-client", principal);
    }

    // ---- startTls -----------------------------------------------------------------------------------------

    @Test
    void startTlsUpgradesAPlainConnectionAfterAStarttlsExchange() throws Exception {
        SSLContext serverCtx = TestCerts.jdkContext(TestCerts.get().localhost);
        ServerSocket plainServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = plainServer.getLocalPort();
        CompletableFuture<String> peer = acceptOne(plainServer, s -> {
            InputStream in = s.getInputStream();
            String cmd = readLine(in);
            if (!cmd.equals("STARTTLS\n")) {
                return "bad command " + cmd;
            }
            send(s, "GO\n");
            try (SSLSocket tls = (SSLSocket) serverCtx.getSocketFactory().createSocket(s, null, false)) {
                String secret = readLine(tls.getInputStream());
                send(tls, "got " + secret);
                return secret;
            }
        });
        String reply = run(() -> {
            ChannelTransport plain = ChannelTransport.connect(port);
            write(plain, "STARTTLS\n");
            assertEquals("GO\n", readLine(plain));
            TlsTransport tls = TlsTransport.client(plain, TestCerts.client(), "localhost", port);
            write(tls, "secret\n");
            String r = readLine(tls);
            tls.close();
            return r;
        });
        assertEquals("got secret\n", reply);
        assertEquals("secret\n", peer.join());
    }

    // ---- bulk, close_notify -------------------------------------------------------------------------------

    @Test
    void eightMebibytesEachWayAtOnceArriveIntact() throws Exception {
        SSLServerSocket server = jdkServer(TestCerts.get().localhost);
        int port = server.getLocalPort();
        long size = 8L * MIB;
        CompletableFuture<long[]> peer = acceptOne(server, s -> {
            CompletableFuture<Long> sent = onThread(() -> TlsIo.writeRandom(s.getOutputStream(), size, 2));
            long got = TlsIo.readCrc(s.getInputStream(), size);
            return new long[] {got, sent.join()};
        });
        long[] spindle = run(() -> {
            TlsTransport tls =
                    TlsTransport.client(ChannelTransport.connect(port), TestCerts.client(), "localhost", port);
            Task<Long> writer = spawn(() -> TlsIo.writeRandom(tls, size, 1));
            long got = TlsIo.readCrc(tls, size);
            long sent = writer.await();
            tls.close();
            return new long[] {got, sent};
        });
        long[] jdk = peer.join();
        assertEquals(spindle[1], jdk[0], "what Spindle sent is what the JDK read");
        assertEquals(jdk[1], spindle[0], "what the JDK sent is what Spindle read");
    }

    @Test
    void thePeersCloseNotifyReadsAsTheEndOfTheStream() throws Exception {
        SSLServerSocket server = jdkServer(TestCerts.get().localhost);
        int port = server.getLocalPort();
        CompletableFuture<Object> peer = acceptOne(server, s -> {
            send(s, "bye\n");
            return null; // acceptOne closes the SSLSocket: close_notify
        });
        run(() -> {
            TlsTransport tls =
                    TlsTransport.client(ChannelTransport.connect(port), TestCerts.client(), "localhost", port);
            assertEquals("bye\n", readLine(tls));
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(100);
            assertEquals(-1, tls.read(buf));
            assertEquals(-1, tls.read(buf), "the end stays the end");
            assertTrue(tls.closeNotifyReceived());
            tls.close();
        });
        peer.join();
    }

    @Test
    void shutdownOutputSendsCloseNotifyAndTheOtherDirectionGoesOn() throws Exception {
        SSLServerSocket server = jdkServer(TestCerts.get().localhost);
        int port = server.getLocalPort();
        CompletableFuture<String> peer = acceptOne(server, s -> {
            String all = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            send(s, "after your end\n"); // TLS 1.3 half-close: the server may still write
            return all;
        });
        run(() -> {
            TlsTransport tls =
                    TlsTransport.client(ChannelTransport.connect(port), TestCerts.client(), "localhost", port);
            write(tls, "last words\n");
            tls.shutdownOutput();
            assertThrows(java.nio.channels.ClosedChannelException.class, () -> write(tls, "more\n"));
            assertEquals("after your end\n", readLine(tls));
            assertEquals("", readLine(tls));
            tls.close();
        });
        assertEquals("last words\n", peer.join(), "the server read up to our close_notify, as its end of stream");
    }

    @Test
    void aPeerThatClosesWithoutCloseNotifyAlsoEndsTheStreamButIsToldApart() throws Exception {
        SSLContext serverCtx = TestCerts.jdkContext(TestCerts.get().localhost);
        ServerSocket plainServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = plainServer.getLocalPort();
        CompletableFuture<Object> peer = acceptOne(plainServer, s -> {
            SSLSocket tls = (SSLSocket) serverCtx.getSocketFactory().createSocket(s, null, false);
            send(tls, "truncated\n");
            s.close(); // TCP FIN with no close_notify
            return null;
        });
        run(() -> {
            TlsTransport tls =
                    TlsTransport.client(ChannelTransport.connect(port), TestCerts.client(), "localhost", port);
            assertEquals("truncated\n", readLine(tls));
            assertEquals(-1, tls.read(java.nio.ByteBuffer.allocate(10)));
            assertFalse(tls.closeNotifyReceived());
            tls.close();
        });
        peer.join();
    }

    // ---- post-handshake messages --------------------------------------------------------------------------

    /**
     * The JDK server calls {@code startHandshake()} on an established connection while data streams both ways:
     * under TLS 1.3 that sends a KeyUpdate asking for ours, under TLS 1.2 a HelloRequest, and the client
     * renegotiates. Spindle's reader and writer run at once and must get through it without losing a byte. (The
     * writer may be done before the reader meets the HelloRequest in the echo, so the exchange at the end is what
     * lets a renegotiation finish.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void keyUpdatesAndRenegotiationsMidStreamAreHandledTransparently(String protocol) throws Exception {
        SSLServerSocket server = jdkServer(TestCerts.get().localhost, protocol);
        int port = server.getLocalPort();
        long size = 3L * MIB;
        CountDownLatch handshakes = new CountDownLatch(2); // the first and a renegotiation (TLS 1.2)
        CompletableFuture<Long> peer = acceptOne(server, s -> {
            SSLSocket tls = (SSLSocket) s;
            tls.addHandshakeCompletedListener(e -> handshakes.countDown());
            InputStream in = s.getInputStream();
            byte[] buf = new byte[20_000];
            long echoed = 0;
            int kicks = 0;
            while (echoed < size) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size - echoed));
                if (n < 0) {
                    break;
                }
                s.getOutputStream().write(buf, 0, n);
                echoed += n;
                if (kicks < 2 && echoed > (kicks + 1) * size / 3) {
                    kicks++;
                    tls.startHandshake(); // in TLS 1.2, a no-op while a renegotiation is under way
                }
            }
            if (!readLine(in).equals("end\n")) {
                throw new IllegalStateException("no end line");
            }
            send(s, "bye\n");
            // the client's Finished of a renegotiation comes before this line: reading it completes the handshake
            if (!readLine(in).equals("ack\n")) {
                throw new IllegalStateException("no ack line");
            }
            return echoed;
        });
        long[] crcs = run(() -> {
            TlsTransport tls =
                    TlsTransport.client(ChannelTransport.connect(port), TestCerts.client(), "localhost", port);
            assertEquals(protocol, tls.session().getProtocol());
            Task<Long> writer = spawn(() -> TlsIo.writeRandom(tls, size, 7));
            long got = TlsIo.readCrc(tls, size);
            long sent = writer.await();
            write(tls, "end\n");
            assertEquals("bye\n", readLine(tls));
            write(tls, "ack\n");
            tls.close();
            return new long[] {sent, got};
        });
        assertEquals(size, peer.join());
        assertEquals(crcs[0], crcs[1], "the echo came back intact");
        if (protocol.equals("TLSv1.2")) {
            // listeners are told on a thread of their own: wait (boundedly) for the renegotiation's
            assertTrue(handshakes.await(10, TimeUnit.SECONDS), "the server saw a renegotiation complete");
        }
    }

    /**
     * A renegotiation met by a writer while nobody reads: the reader took the server's HelloRequest (and answered
     * with a ClientHello) along with a line, then stopped reading; the engine then refuses application data until
     * the server's answer is in, so the writer reads it itself, keeping the server's data that comes with it for
     * the next read.
     */
    @Test
    void aWriterThatMeetsARenegotiationReadsTheHandshakeItselfWhenNobodyReads() throws Exception {
        SSLServerSocket server = jdkServer(TestCerts.get().localhost, "TLSv1.2");
        int port = server.getLocalPort();
        int size = 300_000;
        CountDownLatch handshakes = new CountDownLatch(2);
        CompletableFuture<Long> peer = acceptOne(server, s -> {
            SSLSocket tls = (SSLSocket) s;
            tls.addHandshakeCompletedListener(e -> handshakes.countDown());
            InputStream in = s.getInputStream();
            if (!readLine(in).equals("start\n")) {
                throw new IllegalStateException("no start line");
            }
            tls.startHandshake(); // a HelloRequest...
            send(s, "x\n"); // ...and a line behind it
            long crc = TlsIo.readCrc(in, size); // the renegotiation happens while this reads
            send(s, "y\n");
            return crc;
        });
        long[] crcs = run(() -> {
            StrictEngine engine = new StrictEngine(TestCerts.client().newEngine("localhost", port));
            TlsTransport tls = TlsTransport.handshake(ChannelTransport.connect(port), engine, null);
            write(tls, "start\n");
            assertEquals("x\n", readLine(tls)); // the HelloRequest was met and answered on the way
            engine.strict = true;
            long sent = TlsIo.writeRandom(tls, size, 9); // nobody reads: the writer must
            assertTrue(engine.refused > 0, "the engine refused data until the renegotiation was through");
            assertEquals("y\n", readLine(tls));
            tls.close();
            return new long[] {sent};
        });
        assertEquals(crcs[0], peer.join());
        assertTrue(handshakes.await(10, TimeUnit.SECONDS), "the renegotiation completed");
    }
}
