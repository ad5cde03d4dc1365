package dev.spindle.mysql.internal.protocol;

import dev.spindle.io.StreamError;
import dev.spindle.mysql.ConnectionLostError;
import dev.spindle.mysql.MySqlException;
import dev.spindle.mysql.MySqlOptions;
import dev.spindle.mysql.ProtocolError;
import dev.spindle.mysql.SslMode;
import dev.spindle.mysql.internal.auth.Ed25519;
import dev.spindle.mysql.internal.auth.Scrambles;
import dev.spindle.mysql.internal.codec.Capabilities;
import dev.spindle.mysql.internal.codec.ErrPacket;
import dev.spindle.mysql.internal.codec.Handshake;
import dev.spindle.mysql.internal.codec.OkPacket;
import dev.spindle.mysql.internal.codec.PacketWriter;
import dev.spindle.mysql.internal.codec.Payload;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connection phase: greeting, TLS upgrade (SSLRequest then the TLS handshake), HandshakeResponse41, and the
 * authentication exchange (AuthSwitchRequest 0xFE, AuthMoreData 0x01) until OK or ERR.
 *
 * <p>Plugins: {@code mysql_native_password}, {@code caching_sha2_password} (fast path; full authentication sends the
 * password in clear over TLS or a unix socket, else RSA-encrypted with the configured or, if allowed, fetched server
 * key), {@code sha256_password} (same rules), {@code client_ed25519} (MariaDB), {@code mysql_clear_password} (only
 * over TLS or a unix socket).
 */
final class Login {
    private Login() {}

    /** utf8mb4 collations that fit in the handshake's one byte; others are set with SET NAMES after login. */
    private static final Map<String, Integer> COLLATIONS = Map.of(
            "utf8mb4_general_ci", 45,
            "utf8mb4_bin", 46,
            "utf8mb4_unicode_ci", 224,
            "utf8mb4_unicode_520_ci", 246,
            "utf8mb4_0900_ai_ci", 255);

    static boolean collationInHandshake(String name) {
        return COLLATIONS.containsKey(name);
    }

    static void perform(Session s) {
        MySqlOptions o = s.options();
        s.decoder().expectSequence(0);
        Handshake h = Handshake.parse(s.readPacket());
        s.handshake(h);
        if ((h.capabilities() & Capabilities.REQUIRED) != Capabilities.REQUIRED) {
            throw new MySqlException(
                    "server " + h.serverVersion() + " lacks protocol 4.1 authentication (plugin auth)");
        }
        long caps = Capabilities.CLIENT_DEFAULT & h.capabilities();
        if (o.database() != null) {
            caps |= Capabilities.CONNECT_WITH_DB & h.capabilities();
        }
        if (o.multiStatements()) {
            caps |= Capabilities.MULTI_STATEMENTS & h.capabilities();
        }
        int collation = COLLATIONS.getOrDefault(o.collation(), 45);
        boolean wantTls = s.unixSocket() ? false : o.sslMode() != SslMode.DISABLED;
        if (wantTls && (h.capabilities() & Capabilities.SSL) == 0) {
            if (o.sslMode().requiresTls()) {
                throw new MySqlException("server " + Session.where(o) + " does not offer TLS, and sslMode="
                        + o.sslMode() + " requires it (sslMode=DISABLED for a plain connection)");
            }
            wantTls = false;
        }
        if (wantTls) {
            caps |= Capabilities.SSL;
            PacketWriter w = s.out().start();
            w.int4((int) caps).int4(1 << 24).int1(collation).zeros(19).int4((int) (caps >>> 32));
            sendInExchange(s, w);
            try {
                s.io().startTls(TlsSetup.cached(o), o.host());
            } catch (StreamError e) {
                throw new ConnectionLostError("TLS with " + Session.where(o) + " failed: " + e.getMessage(), e);
            }
            s.tlsOn();
        }
        s.capabilities(caps);

        String plugin = h.authPlugin();
        byte[] password = Scrambles.utf8(o.password());
        byte[] nonce = h.scramble();
        byte[] authResponse = firstResponse(s, plugin, password, nonce);

        PacketWriter w = s.out().start();
        // the filler's last four bytes: MariaDB's extended capabilities (zero for MySQL, which offers none)
        w.int4((int) caps).int4(1 << 24).int1(collation).zeros(19).int4((int) (caps >>> 32));
        w.nulString(o.user());
        if ((caps & Capabilities.PLUGIN_AUTH_LENENC_DATA) != 0) {
            w.lenencBytes(authResponse);
        } else {
            w.int1(authResponse.length).bytes(authResponse);
        }
        if ((caps & Capabilities.CONNECT_WITH_DB) != 0) {
            w.nulString(o.database());
        }
        w.nulString(plugin);
        if ((caps & Capabilities.CONNECT_ATTRS) != 0) {
            PacketWriter attrs = new PacketWriter(128);
            for (Map.Entry<String, String> e : attributes(o).entrySet()) {
                attrs.lenencString(e.getKey()).lenencString(e.getValue());
            }
            w.lenencBytes(attrs.payload());
        }
        sendInExchange(s, w);
        authenticate(s, plugin, password, nonce);
    }

    private static Map<String, String> attributes(MySqlOptions o) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("_client_name", "spindle-mysql");
        a.put("_client_version", "0.1.0");
        a.put("_runtime_version", Runtime.version().toString());
        a.put("_pid", Long.toString(ProcessHandle.current().pid()));
        a.put("_os", System.getProperty("os.name", "?"));
        a.putAll(o.attributes());
        return a;
    }

    private static void sendInExchange(Session s, PacketWriter w) {
        int next = w.finish(s.decoder().nextSequence());
        s.write(w.framed(), w.framedLength());
        s.decoder().expectSequence(next);
    }

    private static void send(Session s, byte[] data) {
        PacketWriter w = s.out().start();
        w.bytes(data);
        sendInExchange(s, w);
    }

    private static boolean secure(Session s) {
        return s.isTls() || s.unixSocket();
    }

    /** What the first packet carries for {@code plugin}. */
    private static byte[] firstResponse(Session s, String plugin, byte[] password, byte[] nonce) {
        return switch (plugin) {
            case "mysql_native_password" -> Scrambles.nativePassword(password, nonce);
            case "caching_sha2_password" -> Scrambles.cachingSha2(password, nonce);
            case "client_ed25519" -> Ed25519.sign(password, Arrays.copyOf(nonce, Math.min(32, nonce.length)));
            case "sha256_password" -> sha256First(s, password, nonce);
            case "mysql_clear_password" -> {
                if (!secure(s)) {
                    throw new MySqlException("the server asks for mysql_clear_password, which would send the password"
                            + " unencrypted: use TLS (sslMode) or a unix socket");
                }
                yield Scrambles.cleartext(password);
            }
            default -> new byte[0]; // answered after the server switches to a plugin we know
        };
    }

    private static byte[] sha256First(Session s, byte[] password, byte[] nonce) {
        if (password.length == 0) {
            return new byte[] {0};
        }
        if (secure(s)) {
            return Scrambles.cleartext(password);
        }
        String key = s.options().serverRsaPublicKey();
        if (key != null) {
            return Scrambles.rsaEncryptedPassword(password, nonce, key);
        }
        if (s.options().allowPublicKeyRetrieval()) {
            return new byte[] {1}; // "send me your public key"
        }
        throw noKey();
    }

    private static MySqlException noKey() {
        return new MySqlException("the server wants the password RSA-encrypted (sha256 authentication without TLS):"
                + " set serverRsaPublicKey, or allowPublicKeyRetrieval=true, or use TLS");
    }

    private static void authenticate(Session s, String plugin, byte[] password, byte[] nonce) {
        for (int rounds = 0; rounds < 8; rounds++) {
            Payload p = s.readPacket();
            int h = p.peek();
            switch (h) {
                case 0x00 -> {
                    s.loggedIn(OkPacket.parse(p));
                    return;
                }
                case 0xFF -> throw ErrPacket.parse(p).toException();
                case 0xFE -> { // AuthSwitchRequest
                    p.int1();
                    if (!p.hasRemaining()) {
                        throw new MySqlException(
                                "the server asks for the old (pre-4.1) password scheme, which is insecure"
                                        + " and not supported");
                    }
                    plugin = p.nulString();
                    byte[] data = p.restBytes();
                    nonce = data.length > 0 && data[data.length - 1] == 0 ? Arrays.copyOf(data, data.length - 1) : data;
                    byte[] response = firstResponse(s, plugin, password, nonce);
                    if (response.length == 0 && !known(plugin)) {
                        throw new MySqlException(
                                "the server asks for auth plugin " + plugin + ", which this client does not speak");
                    }
                    send(s, response);
                }
                case 0x01 -> { // AuthMoreData
                    p.int1();
                    moreData(s, plugin, p, password, nonce);
                }
                default ->
                    throw new ProtocolError("unexpected packet 0x" + Integer.toHexString(h) + " during authentication");
            }
        }
        throw new ProtocolError("authentication did not end after 8 exchanges");
    }

    private static boolean known(String plugin) {
        return switch (plugin) {
            case "mysql_native_password",
                    "caching_sha2_password",
                    "client_ed25519",
                    "sha256_password",
                    "mysql_clear_password" -> true;
            default -> false;
        };
    }

    private static void moreData(Session s, String plugin, Payload p, byte[] password, byte[] nonce) {
        switch (plugin) {
            case "caching_sha2_password" -> {
                int what = p.hasRemaining() ? p.int1() : -1;
                if (what == 3) {
                    return; // fast authentication succeeded: the OK follows
                }
                if (what == 4) { // full authentication
                    if (secure(s)) {
                        send(s, Scrambles.cleartext(password));
                    } else if (s.options().serverRsaPublicKey() != null) {
                        send(
                                s,
                                Scrambles.rsaEncryptedPassword(
                                        password, nonce, s.options().serverRsaPublicKey()));
                    } else if (s.options().allowPublicKeyRetrieval()) {
                        send(s, new byte[] {2}); // request the public key
                    } else {
                        throw noKey();
                    }
                    return;
                }
                p.position(p.position() - (what < 0 ? 0 : 1));
                sendEncrypted(s, p, password, nonce);
            }
            case "sha256_password" -> sendEncrypted(s, p, password, nonce);
            default -> throw new ProtocolError("unexpected AuthMoreData for plugin " + plugin);
        }
    }

    /** The AuthMoreData carries the server's PEM public key: answer with the encrypted password. */
    private static void sendEncrypted(Session s, Payload p, byte[] password, byte[] nonce) {
        String pem = new String(p.restBytes(), StandardCharsets.US_ASCII);
        if (!pem.contains("BEGIN PUBLIC KEY")) {
            throw new ProtocolError(
                    "expected the server's public key, got " + pem.length() + " bytes of something else");
        }
        send(s, Scrambles.rsaEncryptedPassword(password, nonce, pem));
    }
}
