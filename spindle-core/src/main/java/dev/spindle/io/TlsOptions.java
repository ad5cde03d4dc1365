package dev.spindle.io;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * How one side of a TLS connection is set up: the JDK {@link SSLContext} that holds the keys and trusted
 * certificates, and what is negotiated on top (host-name verification, SNI, ALPN, client certificates, protocol
 * versions, the handshake's time limit). Immutable: each {@code with...} method returns a changed copy, so one
 * instance may be shared by every connection and every loop.
 *
 * {@snippet :
 * // a client that trusts the JDK's default CAs, verifies the host name, and offers HTTP/2 then HTTP/1.1
 * TlsOptions client = TlsOptions.client().withAlpn("h2", "http/1.1");
 *
 * // a server with its key and certificate chain in a PKCS#12 file
 * KeyStore keys = KeyStore.getInstance(Path.of("server.p12").toFile(), password);
 * TlsOptions server = TlsOptions.server(keys, password).withAlpn("h2", "http/1.1");
 * }
 *
 * <h2>Client side</h2>
 * <ul>
 *   <li><b>Trust.</b> {@link #client()} trusts what the JDK trusts ({@link SSLContext#getDefault()}, the
 *       {@code cacerts} file); {@link #client(KeyStore)} trusts only the certificates of a trust store, and
 *       {@link #client(SSLContext)} takes a context made any other way (with a client certificate, for instance: see
 *       {@link #newContext}).
 *   <li><b>Host-name verification is on</b>: the server's certificate must name the host connected to (a DNS name,
 *       or an IP address for an IP literal), as an HTTPS client checks it. {@link #withoutHostnameVerification()}
 *       turns that off and should not be used against servers you do not control.
 *   <li><b>SNI.</b> The client sends the host it connects to as the TLS server name, unless that host is an IP
 *       literal (RFC 6066 forbids those). {@link #withServerName} sends another name instead, and then that name is
 *       also the one the certificate is verified against (as Python's {@code server_hostname}).
 *   <li><b>ALPN.</b> {@link #withAlpn} lists the application protocols offered, most wanted first.
 * </ul>
 *
 * <h2>Server side</h2>
 * <ul>
 *   <li>{@link #server(KeyStore, char[])} uses the key entries of a key store (PKCS#12 or JKS) with the JDK's
 *       default key and trust managers; {@link #server(SSLContext)} takes a ready context.
 *   <li>{@link #withAlpn} is the server's preference order: the first of these that the client also offers wins; a
 *       client that offers ALPN but none of these is refused with the {@code no_application_protocol} alert.
 *   <li>{@link #withClientAuth} asks for client certificates ({@link ClientAuth#WANT}) or requires them
 *       ({@link ClientAuth#NEED}); they are checked against the context's trust managers.
 * </ul>
 *
 * <p>Both sides: {@link #withProtocols} restricts the protocol versions (the context's defaults otherwise: TLS 1.3
 * and 1.2 on current JDKs), and {@link #withHandshakeTimeout} bounds the handshake (60 seconds by default, as
 * asyncio's {@code ssl_handshake_timeout}), so that a peer that connects and says nothing does not hold a task
 * forever. {@link #newEngine} makes the configured {@link SSLEngine} for one connection; Spindle's streams call it,
 * and so may code that drives an engine itself.
 */
public final class TlsOptions {
    /** Whether a server asks the client for a certificate. */
    public enum ClientAuth {
        /** No client certificate is asked for (the default). */
        NONE,
        /** A certificate is asked for; a client without one is still accepted. */
        WANT,
        /** A certificate is required; a client without a trusted one fails the handshake. */
        NEED
    }

    /** The handshake's time limit unless {@link #withHandshakeTimeout} says otherwise: asyncio's. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

    private final boolean client;
    private final SSLContext context;
    private final List<String> alpn;
    private final String serverName; // client only; null: the host connected to
    private final boolean verifyHostname; // client only
    private final ClientAuth clientAuth; // server only
    private final List<String> protocols; // empty: the context's defaults
    private final Duration handshakeTimeout;

    private TlsOptions(
            boolean client,
            SSLContext context,
            List<String> alpn,
            String serverName,
            boolean verifyHostname,
            ClientAuth clientAuth,
            List<String> protocols,
            Duration handshakeTimeout) {
        this.client = client;
        this.context = context;
        this.alpn = alpn;
        this.serverName = serverName;
        this.verifyHostname = verifyHostname;
        this.clientAuth = clientAuth;
        this.protocols = protocols;
        this.handshakeTimeout = handshakeTimeout;
    }

    private static TlsOptions of(boolean client, SSLContext context) {
        return new TlsOptions(
                client,
                Objects.requireNonNull(context, "context"),
                List.of(),
                null,
                client,
                ClientAuth.NONE,
                List.of(),
                DEFAULT_HANDSHAKE_TIMEOUT);
    }

    // ---- making options ---------------------------------------------------------------------------------

    /**
     * Client options that trust the JDK's default certificate authorities ({@link SSLContext#getDefault()}), with
     * host-name verification on.
     *
     * @throws IllegalStateException if the JDK has no default TLS context (a broken installation)
     */
    public static TlsOptions client() {
        try {
            return of(true, SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /** Client options on {@code context} (its trust managers check the server; its key managers, if any, answer a
     * server that asks for a client certificate), with host-name verification on. */
    public static TlsOptions client(SSLContext context) {
        return of(true, context);
    }

    /**
     * Client options that trust exactly the certificates in {@code trustStore} (a CA's, or a server's own), with
     * host-name verification on.
     *
     * @throws IllegalArgumentException if the trust store cannot be used (it holds no certificate, for instance)
     */
    public static TlsOptions client(KeyStore trustStore) {
        return of(true, newContext(null, null, Objects.requireNonNull(trustStore, "trustStore")));
    }

    /**
     * Server options with the key entry (private key and certificate chain) of {@code keyStore}; client
     * certificates, when asked for, are checked against the JDK's default trust store.
     *
     * @param keyPassword the password of the key entries (for PKCS#12, the store's password); only read here
     * @throws IllegalArgumentException if the keys cannot be read with that password
     */
    public static TlsOptions server(KeyStore keyStore, char[] keyPassword) {
        return of(false, newContext(Objects.requireNonNull(keyStore, "keyStore"), keyPassword, null));
    }

    /** Server options on {@code context}, which must hold a key manager with the server's key. */
    public static TlsOptions server(SSLContext context) {
        return of(false, context);
    }

    /**
     * A TLS context from a key store (this side's key and certificate chain; {@code null}: none) and a trust store
     * (the certificates this side trusts; {@code null}: the JDK's defaults), with the JDK's default key and trust
     * manager algorithms. For a client certificate, or a server that checks clients against its own CA:
     *
     * {@snippet :
     * SSLContext ctx = TlsOptions.newContext(clientKeys, password, companyCa);
     * TlsOptions options = TlsOptions.client(ctx);
     * }
     *
     * @throws IllegalArgumentException if a store cannot be used (a wrong password, for instance)
     */
    public static SSLContext newContext(KeyStore keyStore, char[] keyPassword, KeyStore trustStore) {
        try {
            KeyManagerFactory kmf = null;
            if (keyStore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore, keyPassword);
            }
            TrustManagerFactory tmf = null;
            if (trustStore != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trustStore);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot make a TLS context from these stores: " + e.getMessage(), e);
        }
    }

    // ---- changed copies ---------------------------------------------------------------------------------

    /**
     * The ALPN protocols ({@code "h2"}, {@code "http/1.1"}...): a client offers them in this order; a server picks
     * the first of them that the client offers. None (the default) leaves ALPN out.
     *
     * @throws IllegalArgumentException if a protocol is empty
     */
    public TlsOptions withAlpn(String... protocols) {
        return withAlpn(List.of(protocols));
    }

    /** {@link #withAlpn(String...)} from a list. */
    public TlsOptions withAlpn(List<String> names) {
        List<String> copy = List.copyOf(names);
        for (String p : copy) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("an ALPN protocol name cannot be empty");
            }
        }
        return new TlsOptions(
                client, context, copy, serverName, verifyHostname, clientAuth, protocols, handshakeTimeout);
    }

    /**
     * Client only: sends {@code name} as the TLS server name (SNI) and verifies the certificate against it,
     * whatever host the connection goes to (connecting to an IP address while asking for a named site, for
     * instance).
     *
     * @throws IllegalStateException on server options
     * @throws IllegalArgumentException if {@code name} is not a valid host name
     */
    public TlsOptions withServerName(String name) {
        requireClient("withServerName");
        String n = stripTrailingDot(Objects.requireNonNull(name, "name"));
        new SNIHostName(n); // validates now rather than at the first connection
        return new TlsOptions(client, context, alpn, n, verifyHostname, clientAuth, protocols, handshakeTimeout);
    }

    /**
     * Client only: accepts a trusted certificate whatever name it carries. The chain is still checked against the
     * trust store, but any server holding any certificate from those authorities can then pose as the host: use it
     * for tests and for peers you reach by a name their certificate does not carry, not against the open internet.
     *
     * @throws IllegalStateException on server options
     */
    public TlsOptions withoutHostnameVerification() {
        requireClient("withoutHostnameVerification");
        return new TlsOptions(client, context, alpn, serverName, false, clientAuth, protocols, handshakeTimeout);
    }

    /**
     * Server only: whether to ask the client for a certificate.
     *
     * @throws IllegalStateException on client options
     */
    public TlsOptions withClientAuth(ClientAuth mode) {
        if (client) {
            throw new IllegalStateException("withClientAuth is a server option; these are client options");
        }
        return new TlsOptions(
                client,
                context,
                alpn,
                serverName,
                verifyHostname,
                Objects.requireNonNull(mode, "mode"),
                protocols,
                handshakeTimeout);
    }

    /**
     * The protocol versions to enable, as the JDK names them ({@code "TLSv1.3"}, {@code "TLSv1.2"}); none (the
     * default) keeps the context's defaults.
     */
    public TlsOptions withProtocols(String... versions) {
        return new TlsOptions(
                client, context, alpn, serverName, verifyHostname, clientAuth, List.of(versions), handshakeTimeout);
    }

    /**
     * The longest the handshake may take before the connection is abandoned with an
     * {@link javax.net.ssl.SSLHandshakeException}; {@link #DEFAULT_HANDSHAKE_TIMEOUT} unless set.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public TlsOptions withHandshakeTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the handshake timeout must be positive: " + timeout);
        }
        return new TlsOptions(client, context, alpn, serverName, verifyHostname, clientAuth, protocols, timeout);
    }

    // ---- reading ----------------------------------------------------------------------------------------

    /** Whether these are client options (else server options). */
    /**
     * {@code tls} itself if it is for the given side (or {@code null}); used by the connect and server options.
     *
     * @throws IllegalArgumentException if it is for the other side
     */
    static TlsOptions requireSide(TlsOptions tls, boolean client) {
        if (tls != null && tls.isClient() != client) {
            String want = client ? "client" : "server";
            throw new IllegalArgumentException("these TLS options are for a " + (client ? "server" : "client")
                    + ", not a " + want + ": use TlsOptions." + want + "(...)");
        }
        return tls;
    }

    public boolean isClient() {
        return client;
    }

    public SSLContext context() {
        return context;
    }

    /** The ALPN protocols, in order; empty when ALPN is not used. */
    public List<String> alpn() {
        return alpn;
    }

    /** The server name set by {@link #withServerName}; empty when it is the host connected to. */
    public Optional<String> serverName() {
        return Optional.ofNullable(serverName);
    }

    /** Whether a client checks that the server's certificate names the host; always {@code false} for a server. */
    public boolean verifiesHostname() {
        return verifyHostname;
    }

    /** Whether a server asks for client certificates; {@link ClientAuth#NONE} for a client. */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** The protocol versions to enable; empty for the context's defaults. */
    public List<String> protocols() {
        return protocols;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    // ---- engines ----------------------------------------------------------------------------------------

    /**
     * A new engine for one connection, in client or server mode as these options are, with everything above
     * applied. {@code peerHost} is, for a client, the host connected to (a name or an IP literal, as the user gave
     * it): the name verified and sent as SNI unless {@link #withServerName} says otherwise. The host and port also
     * key the context's session cache, so a reconnection may resume a session. A server may pass {@code null} and
     * {@code -1}.
     *
     * @throws IllegalArgumentException for a client without a host
     */
    public SSLEngine newEngine(String peerHost, int peerPort) {
        if (!client) {
            SSLEngine engine =
                    peerHost == null ? context.createSSLEngine() : context.createSSLEngine(peerHost, peerPort);
            engine.setUseClientMode(false);
            SSLParameters p = engine.getSSLParameters();
            switch (clientAuth) {
                case NEED -> p.setNeedClientAuth(true);
                case WANT -> p.setWantClientAuth(true);
                case NONE -> p.setWantClientAuth(false);
            }
            applyCommon(p);
            engine.setSSLParameters(p);
            return engine;
        }
        if (peerHost == null || peerHost.isEmpty()) {
            throw new IllegalArgumentException("a TLS client needs the host it connects to");
        }
        String host = stripTrailingDot(stripBrackets(peerHost));
        // The name verified is the one the engine is told it talks to: the server name when one is set.
        String verified = serverName != null ? serverName : host;
        SSLEngine engine = context.createSSLEngine(verified, peerPort);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        if (verifyHostname) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        // The JDK sends SNI on its own only for names with a dot, so "localhost" would go without: set it always.
        if (!isIpLiteral(verified)) {
            p.setServerNames(List.of(new SNIHostName(verified)));
        }
        applyCommon(p);
        engine.setSSLParameters(p);
        return engine;
    }

    private void applyCommon(SSLParameters p) {
        if (!alpn.isEmpty()) {
            p.setApplicationProtocols(alpn.toArray(String[]::new));
        }
        if (!protocols.isEmpty()) {
            p.setProtocols(protocols.toArray(String[]::new));
        }
    }

    /**
     * Whether {@code host} is an IPv4 or IPv6 literal rather than a name; decided from its characters alone, with no
     * name look-up (a DNS name's last label is never all digits).
     */
    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return !host.isEmpty();
    }

    private static String stripBrackets(String host) {
        return host.length() > 2 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']'
                ? host.substring(1, host.length() - 1)
                : host;
    }

    private static String stripTrailingDot(String host) {
        return host.length() > 1 && host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private void requireClient(String what) {
        if (!client) {
            throw new IllegalStateException(what + " is a client option; these are server options");
        }
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(client ? "client" : "server");
        if (client) {
            parts.add(verifyHostname ? "hostname verified" : "HOSTNAME NOT VERIFIED");
            if (serverName != null) {
                parts.add("serverName=" + serverName);
            }
        } else if (clientAuth != ClientAuth.NONE) {
            parts.add("clientAuth=" + clientAuth);
        }
        if (!alpn.isEmpty()) {
            parts.add("alpn=" + alpn);
        }
        if (!protocols.isEmpty()) {
            parts.add("protocols=" + protocols);
        }
        parts.add("handshakeTimeout=" + handshakeTimeout);
        return "TlsOptions" + parts;
    }
}
