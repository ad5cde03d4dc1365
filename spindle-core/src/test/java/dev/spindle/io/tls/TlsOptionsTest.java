package dev.spindle.io.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.io.TlsOptions;
import dev.spindle.io.internal.TlsTransport;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** What TlsOptions puts on the engines it makes, and how it refuses what makes no sense. */
class TlsOptionsTest {
    static List<String> sni(SSLParameters p) {
        return p.getServerNames() == null
                ? List.of()
                : p.getServerNames().stream()
                        .map(n -> ((SNIHostName) n).getAsciiName())
                        .toList();
    }

    @Test
    void clientDefaultsVerifyTheHostAndSendItAsSni() {
        TlsOptions o = TlsOptions.client();
        assertTrue(o.isClient());
        assertTrue(o.verifiesHostname());
        assertEquals(List.of(), o.alpn());
        assertEquals(Optional.empty(), o.serverName());
        assertEquals(TlsOptions.DEFAULT_HANDSHAKE_TIMEOUT, o.handshakeTimeout());
        SSLEngine e = o.newEngine("localhost", 443);
        assertTrue(e.getUseClientMode());
        assertEquals("localhost", e.getPeerHost());
        assertEquals(443, e.getPeerPort());
        SSLParameters p = e.getSSLParameters();
        assertEquals("HTTPS", p.getEndpointIdentificationAlgorithm());
        assertEquals(List.of("localhost"), sni(p), "set even for a name without a dot, which the JDK skips");
        assertEquals(
                List.of("example.com"), sni(o.newEngine("example.com.", 443).getSSLParameters()));
    }

    @Test
    void anIpLiteralIsVerifiedButNotSentAsSni() {
        TlsOptions o = TlsOptions.client();
        for (String ip : List.of("127.0.0.1", "::1", "[::1]", "2001:db8::7")) {
            SSLEngine e = o.newEngine(ip, 443);
            assertEquals(List.of(), sni(e.getSSLParameters()), ip);
            assertEquals("HTTPS", e.getSSLParameters().getEndpointIdentificationAlgorithm());
            assertFalse(e.getPeerHost().startsWith("["), "brackets are not part of the address");
        }
    }

    @Test
    void aServerNameReplacesTheHostForSniAndVerification() {
        TlsOptions o = TlsOptions.client().withServerName("api.example.com");
        assertEquals(Optional.of("api.example.com"), o.serverName());
        SSLEngine e = o.newEngine("10.0.0.5", 8443);
        assertEquals("api.example.com", e.getPeerHost());
        assertEquals(List.of("api.example.com"), sni(e.getSSLParameters()));
        assertThrows(IllegalArgumentException.class, () -> TlsOptions.client().withServerName("not a name!"));
    }

    @Test
    void hostNameVerificationCanBeTurnedOffExplicitly() {
        TlsOptions o = TlsOptions.client().withoutHostnameVerification();
        assertFalse(o.verifiesHostname());
        assertNull(o.newEngine("localhost", 443).getSSLParameters().getEndpointIdentificationAlgorithm());
        assertTrue(o.toString().contains("HOSTNAME NOT VERIFIED"), o.toString());
    }

    @Test
    void alpnProtocolsAndVersionsGoOnTheEngineInOrder() {
        TlsOptions o = TlsOptions.client().withAlpn("h2", "http/1.1").withProtocols("TLSv1.3");
        SSLEngine e = o.newEngine("localhost", 443);
        assertEquals(
                List.of("h2", "http/1.1"), Arrays.asList(e.getSSLParameters().getApplicationProtocols()));
        assertEquals(List.of("TLSv1.3"), Arrays.asList(e.getEnabledProtocols()));
        assertThrows(IllegalArgumentException.class, () -> TlsOptions.client().withAlpn("h2", ""));
    }

    @Test
    void serverOptionsAskForClientCertificatesAsToldAndSetNoClientThings() {
        KeyStore keys = TestCerts.get().localhost;
        TlsOptions o = TlsOptions.server(keys, TestCerts.PASSWORD).withAlpn("h2");
        assertFalse(o.isClient());
        assertFalse(o.verifiesHostname());
        SSLEngine none = o.newEngine(null, -1);
        assertFalse(none.getUseClientMode());
        assertFalse(none.getNeedClientAuth());
        assertFalse(none.getWantClientAuth());
        assertEquals(List.of("h2"), Arrays.asList(none.getSSLParameters().getApplicationProtocols()));
        assertTrue(
                o.withClientAuth(TlsOptions.ClientAuth.NEED).newEngine(null, -1).getNeedClientAuth());
        assertTrue(
                o.withClientAuth(TlsOptions.ClientAuth.WANT).newEngine(null, -1).getWantClientAuth());
        assertThrows(IllegalStateException.class, () -> o.withServerName("x.example"));
        assertThrows(IllegalStateException.class, o::withoutHostnameVerification);
        assertThrows(IllegalStateException.class, () -> TlsOptions.client().withClientAuth(TlsOptions.ClientAuth.NEED));
    }

    @Test
    void optionsAreImmutableCopies() {
        TlsOptions base = TlsOptions.client();
        TlsOptions alpn = base.withAlpn("h2");
        TlsOptions quick = alpn.withHandshakeTimeout(Duration.ofSeconds(5));
        assertNotSame(base, alpn);
        assertEquals(List.of(), base.alpn());
        assertEquals(List.of("h2"), quick.alpn());
        assertEquals(TlsOptions.DEFAULT_HANDSHAKE_TIMEOUT, alpn.handshakeTimeout());
        assertEquals(Duration.ofSeconds(5), quick.handshakeTimeout());
        assertThrows(UnsupportedOperationException.class, () -> quick.alpn().add("x"));
        assertThrows(IllegalArgumentException.class, () -> base.withHandshakeTimeout(Duration.ZERO));
    }

    @Test
    void badStoresAndMismatchedRolesAreRefusedClearly() {
        IllegalArgumentException wrongPassword = assertThrows(
                IllegalArgumentException.class,
                () -> TlsOptions.server(TestCerts.get().localhost, "wrong".toCharArray()));
        assertTrue(wrongPassword.getMessage().startsWith("cannot make a TLS context"), wrongPassword.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsOptions.client().newEngine(null, 443));
        Spindle.run(() -> {
            MemoryTransport[] raw = MemoryTransport.pair();
            assertThrows(IllegalArgumentException.class, () -> TlsTransport.client(raw[0], TestCerts.server(), "h", 1));
            assertThrows(IllegalArgumentException.class, () -> TlsTransport.server(raw[1], TestCerts.client()));
        });
    }
}
