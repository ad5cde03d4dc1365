package dev.spindle.http.websocket.internal;

import dev.spindle.http.HttpVersion;
import dev.spindle.http.Request;
import dev.spindle.http.Response;
import dev.spindle.http.Upgraded;
import dev.spindle.http.websocket.CloseCode;
import dev.spindle.http.websocket.WebSocket;
import dev.spindle.http.websocket.WebSocketClosed;
import dev.spindle.http.websocket.WebSocketHandler;
import dev.spindle.http.websocket.WebSocketOptions;
import dev.spindle.http.websocket.WebSocketRejected;
import dev.spindle.task.Cancelled;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2): checks, then negotiation, then the 101. Also the key
 * arithmetic both sides share.
 */
public final class Handshake {
    /** RFC 6455 §1.3: appended to the client's key before hashing. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static final System.Logger LOG = System.getLogger("dev.spindle.http.websocket");

    private Handshake() {}

    /** {@code Sec-WebSocket-Accept} for {@code key}: base64 of the SHA-1 of the key and the GUID. */
    public static String acceptValue(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] d = sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-1", e);
        }
    }

    /** Whether {@code key} is the base64 of 16 bytes (§4.1: 24 characters ending in "=="). */
    public static boolean isValidKey(String key) {
        if (key == null || key.length() != 24 || !key.endsWith("==")) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code s} is an RFC 9110 token (subprotocol names must be). */
    public static boolean isToken(String s) {
        return s != null && ExtensionHeader.isToken(s);
    }

    /** See {@link WebSocket#accept(Request, Response, WebSocketOptions)}. */
    public static WebSocket accept(Request req, Response res, WebSocketOptions options) {
        if (res.isCommitted()) {
            throw new IllegalStateException("the response was committed: too late to accept a WebSocket");
        }
        if (!req.method().equals("GET")) {
            throw new WebSocketRejected(405, "a WebSocket opening handshake is a GET, not " + req.method())
                    .withHeader("Allow", "GET"); // RFC 9110 §15.5.6
        }
        if (req.version() != HttpVersion.HTTP_1_1) {
            throw new WebSocketRejected(400, "a WebSocket opening handshake needs HTTP/1.1");
        }
        var h = req.headers();
        if (!h.containsToken("Upgrade", "websocket") || !h.containsToken("Connection", "upgrade")) {
            throw upgradeRequired("this resource is a WebSocket: send Upgrade: websocket and Connection: Upgrade");
        }
        List<String> versions = h.getAll("Sec-WebSocket-Version");
        if (versions.size() != 1 || !versions.getFirst().trim().equals("13")) {
            throw upgradeRequired("unsupported Sec-WebSocket-Version " + versions + ": this server speaks 13");
        }
        List<String> keys = h.getAll("Sec-WebSocket-Key");
        if (keys.size() != 1 || !isValidKey(keys.getFirst().trim())) {
            throw new WebSocketRejected(400, "Sec-WebSocket-Key must be one base64-encoded 16-byte value");
        }
        if (req.body().isPresent() && !req.body().isFullyRead()) {
            throw new WebSocketRejected(400, "a WebSocket opening handshake has no body");
        }
        String origin = h.get("Origin");
        if (!options.originCheck().test(origin)) {
            throw new WebSocketRejected(403, "origin not allowed: " + origin);
        }
        String subprotocol = chooseSubprotocol(h.getAll("Sec-WebSocket-Protocol"), options.subprotocols());
        if (subprotocol == SUBPROTOCOL_MALFORMED) {
            throw new WebSocketRejected(400, "Sec-WebSocket-Protocol must be a list of tokens");
        }
        DeflateParams deflate = null;
        if (options.compression()) {
            List<ExtensionHeader.Extension> offers;
            try {
                offers = ExtensionHeader.parse(h.getAll("Sec-WebSocket-Extensions"));
            } catch (IllegalArgumentException e) {
                throw new WebSocketRejected(400, "malformed Sec-WebSocket-Extensions: " + e.getMessage());
            }
            deflate = DeflateParams.negotiate(
                    offers, options.serverNoContextTakeover(), options.clientNoContextTakeover());
        }
        res.header("Sec-WebSocket-Accept", acceptValue(keys.getFirst().trim()));
        if (subprotocol != null) {
            res.header("Sec-WebSocket-Protocol", subprotocol);
        }
        if (deflate != null) {
            res.header("Sec-WebSocket-Extensions", deflate.header());
        }
        Upgraded up = res.upgrade("websocket");
        Session s = Session.open(false, up.reader(), up.writer(), new byte[0], options, deflate, subprotocol);
        req.onShutdown(s::goingAway);
        return s;
    }

    /** See {@link WebSocket#handler(WebSocketOptions, WebSocketHandler)}. */
    public static void serve(Request req, Response res, WebSocketOptions options, WebSocketHandler handler)
            throws Exception {
        WebSocket ws;
        try {
            ws = accept(req, res, options);
        } catch (WebSocketRejected e) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "WebSocket handshake from {0} refused: {1} {2}",
                    req.remoteAddress(),
                    e.status(),
                    e.getMessage());
            throw e; // the server answers it, with its headers
        }
        try {
            handler.handle(req, ws);
            ws.close(CloseCode.NORMAL_CLOSURE, "");
        } catch (WebSocketClosed e) {
            // the peer went away or broke the protocol: that ends this WebSocket, not the server's business
            LOG.log(System.Logger.Level.DEBUG, "WebSocket with {0} ended: {1}", req.remoteAddress(), e.getMessage());
        } catch (Cancelled e) {
            throw e;
        } catch (Exception | Error e) {
            try {
                ws.close(CloseCode.INTERNAL_ERROR, "");
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static final String SUBPROTOCOL_MALFORMED = new String("malformed");

    /** The first of the server's subprotocols the client offers, or null; the sentinel for a malformed header. */
    private static String chooseSubprotocol(List<String> offeredValues, List<String> ours) {
        if (offeredValues.isEmpty()) {
            return null;
        }
        java.util.Set<String> offered = new java.util.HashSet<>();
        for (String v : offeredValues) {
            for (String p : v.split(",", -1)) {
                String t = p.trim();
                if (t.isEmpty()) {
                    continue;
                }
                if (!isToken(t)) {
                    return SUBPROTOCOL_MALFORMED;
                }
                offered.add(t);
            }
        }
        for (String s : ours) {
            if (offered.contains(s)) {
                return s;
            }
        }
        return null;
    }

    /**
     * A 426: RFC 6455 §4.2.2 names the version the server speaks ({@code Sec-WebSocket-Version}), RFC 9110 §15.5.22
     * requires {@code Upgrade} on a 426, and §7.8 its connection option.
     */
    private static WebSocketRejected upgradeRequired(String message) {
        return new WebSocketRejected(426, message)
                .withHeader("Sec-WebSocket-Version", "13")
                .withHeader("Upgrade", "websocket")
                .withHeader("Connection", "Upgrade");
    }
}
