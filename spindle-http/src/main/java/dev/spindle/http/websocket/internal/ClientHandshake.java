package dev.spindle.http.websocket.internal;

import dev.spindle.http.Headers;
import dev.spindle.http.websocket.HandshakeFailed;
import dev.spindle.http.websocket.WebSocket;
import dev.spindle.http.websocket.WebSocketOptions;
import dev.spindle.io.ConnectOptions;
import dev.spindle.io.Connection;
import dev.spindle.io.IncompleteRead;
import dev.spindle.io.LimitOverrun;
import dev.spindle.io.Streams;
import dev.spindle.io.TlsOptions;
import dev.spindle.time.TimeoutScope;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** The client's side of the opening handshake (RFC 6455 §4.1). */
public final class ClientHandshake {
    private static final SecureRandom KEYS = new SecureRandom();
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    private ClientHandshake() {}

    /** What a ws:// or wss:// URI says: where to connect, and the handshake's Host and target. */
    private record Target(boolean secure, String connectHost, int port, String hostHeader, String target) {
        static Target of(URI uri) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean secure;
            switch (scheme) {
                case "ws" -> secure = false;
                case "wss" -> secure = true;
                default -> throw new IllegalArgumentException("a WebSocket URI is ws:// or wss://, not " + uri);
            }
            String host = uri.getHost();
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException("a WebSocket URI needs a host: " + uri);
            }
            if (uri.getRawFragment() != null) {
                throw new IllegalArgumentException("a WebSocket URI has no fragment (RFC 6455 §3): " + uri);
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
            String connectHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            String hostHeader = uri.getPort() >= 0 ? host + ":" + port : host;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
            return new Target(secure, connectHost, port, hostHeader, target);
        }
    }

    /** See {@link dev.spindle.http.websocket.WebSocketClient#connect(URI, WebSocketOptions)}. */
    public static WebSocket connect(URI uri, WebSocketOptions options) {
        Target t = Target.of(uri);
        return TimeoutScope.after(options.openTimeout()).run(() -> {
            ConnectOptions.Builder co = ConnectOptions.builder();
            if (t.secure()) {
                TlsOptions tls = options.tls().orElseGet(TlsOptions::client);
                co.tls(tls.alpn().isEmpty() ? tls.withAlpn("http/1.1") : tls);
            }
            return handshakeOrAbort(Streams.openConnection(t.connectHost(), t.port(), co.build()), t, options);
        });
    }

    /** See {@link dev.spindle.http.websocket.WebSocketClient#connect(URI, Connection, WebSocketOptions)}. */
    public static WebSocket connect(URI uri, Connection connection, WebSocketOptions options) {
        Target t = Target.of(uri);
        return TimeoutScope.after(options.openTimeout()).run(() -> handshakeOrAbort(connection, t, options));
    }

    private static WebSocket handshakeOrAbort(Connection c, Target t, WebSocketOptions options) {
        try {
            return handshake(c, t.hostHeader(), t.target(), options);
        } catch (Throwable e) {
            c.writer().abort();
            throw e;
        }
    }

    private static WebSocket handshake(Connection c, String hostHeader, String target, WebSocketOptions options) {
        byte[] nonce = new byte[16];
        KEYS.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        StringBuilder req = new StringBuilder(256)
                .append("GET ")
                .append(target)
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(hostHeader)
                .append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ")
                .append(key)
                .append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        if (!options.subprotocols().isEmpty()) {
            req.append("Sec-WebSocket-Protocol: ")
                    .append(String.join(", ", options.subprotocols()))
                    .append("\r\n");
        }
        if (options.compression()) {
            // no client_max_window_bits: it would let the server ask for a window the JDK's Deflater cannot use
            req.append("Sec-WebSocket-Extensions: permessage-deflate")
                    .append(options.serverNoContextTakeover() ? "; server_no_context_takeover" : "")
                    .append(options.clientNoContextTakeover() ? "; client_no_context_takeover" : "")
                    .append("\r\n");
        }
        options.origin().ifPresent(o -> req.append("Origin: ").append(o).append("\r\n"));
        boolean[] hasAgent = {false};
        options.headers().forEach((n, v) -> {
            hasAgent[0] |= n.equalsIgnoreCase("User-Agent");
            req.append(n).append(": ").append(v).append("\r\n");
        });
        if (!hasAgent[0]) {
            req.append("User-Agent: spindle\r\n");
        }
        req.append("\r\n");
        c.writer().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        c.writer().drain();

        byte[] head;
        try {
            head = c.reader().readUntil(HEAD_END);
        } catch (IncompleteRead e) {
            throw new HandshakeFailed("the server closed the connection before answering the handshake", 0, null);
        } catch (LimitOverrun e) {
            throw new HandshakeFailed(
                    "the server's answer has a head over " + c.reader().limit() + " bytes", 0, null);
        }
        String[] lines = new String(head, 0, head.length - 4, StandardCharsets.ISO_8859_1).split("\r\n", -1);
        String status = lines[0];
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12 || !allDigits(status, 9, 12)) {
            throw new HandshakeFailed("not an HTTP/1.1 status line: \"" + printable(status) + "\"", 0, null);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        Headers h = new Headers();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new HandshakeFailed("malformed header line \"" + printable(line) + "\"", code, h);
            }
            try {
                h.add(line.substring(0, colon), line.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new HandshakeFailed("malformed header line \"" + printable(line) + "\"", code, h);
            }
        }
        if (code != 101) {
            throw new HandshakeFailed(
                    "the server answered " + status.substring(9).trim() + " instead of 101", code, h);
        }
        if (!h.containsToken("Upgrade", "websocket")) {
            throw new HandshakeFailed("the 101 lacks Upgrade: websocket", code, h);
        }
        if (!h.containsToken("Connection", "upgrade")) {
            throw new HandshakeFailed("the 101 lacks Connection: Upgrade", code, h);
        }
        List<String> accept = h.getAll("Sec-WebSocket-Accept");
        if (accept.size() != 1 || !accept.getFirst().equals(Handshake.acceptValue(key))) {
            throw new HandshakeFailed("wrong Sec-WebSocket-Accept " + accept + " for key " + key, code, h);
        }
        String subprotocol = null;
        List<String> protocols = h.getAll("Sec-WebSocket-Protocol");
        if (!protocols.isEmpty()) {
            if (protocols.size() != 1 || !options.subprotocols().contains(protocols.getFirst())) {
                throw new HandshakeFailed(
                        "the server chose subprotocol " + protocols + ", not one of " + options.subprotocols(),
                        code,
                        h);
            }
            subprotocol = protocols.getFirst();
        }
        DeflateParams deflate = null;
        List<String> extensions = h.getAll("Sec-WebSocket-Extensions");
        if (!extensions.isEmpty()) {
            try {
                if (!options.compression()) {
                    throw new IllegalArgumentException("the server accepted extensions none of which were offered");
                }
                deflate = DeflateParams.accept(ExtensionHeader.parse(extensions));
            } catch (IllegalArgumentException e) {
                throw new HandshakeFailed(
                        "bad Sec-WebSocket-Extensions " + extensions + ": " + e.getMessage(), code, h);
            }
        }
        // bytes after the head stay in the reader's buffer: the session's first read takes them
        return Session.open(true, c.reader(), c.writer(), new byte[0], options, deflate, subprotocol);
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 120; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return b.toString();
    }
}
