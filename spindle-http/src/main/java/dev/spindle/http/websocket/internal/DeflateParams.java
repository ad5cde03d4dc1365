package dev.spindle.http.websocket.internal;

import dev.spindle.http.websocket.internal.ExtensionHeader.Extension;
import java.util.List;
import java.util.Map;

/**
 * The outcome of negotiating permessage-deflate (RFC 7692 §7.1): whether each side drops its compression context
 * after every message. Window sizes are always 15 bits here, because the JDK's {@link java.util.zip.Deflater} cannot
 * use a smaller window: a server declines offers that require one ({@code server_max_window_bits} below 15), and a
 * client offers nothing that would let the server require one.
 *
 * @param serverNoContextTakeover the server resets its compressor after each message
 * @param clientNoContextTakeover the client resets its compressor after each message
 */
public record DeflateParams(boolean serverNoContextTakeover, boolean clientNoContextTakeover) {
    public static final String NAME = "permessage-deflate";

    /** The response's {@code Sec-WebSocket-Extensions} value for these parameters. */
    public String header() {
        return NAME
                + (serverNoContextTakeover ? "; server_no_context_takeover" : "")
                + (clientNoContextTakeover ? "; client_no_context_takeover" : "");
    }

    /**
     * A server's choice among the client's offers: the first permessage-deflate offer it can honour, or {@code null}
     * (then the response names no extension and frames carry no RSV1). An offer is declined for an unknown or
     * repeated parameter, a malformed value, or {@code server_max_window_bits} below 15 (§7.1.2.1).
     *
     * @param wantServerNoContextTakeover reset our compressor per message even if the client did not ask
     * @param wantClientNoContextTakeover ask the client to reset its compressor per message
     */
    public static DeflateParams negotiate(
            List<Extension> offers, boolean wantServerNoContextTakeover, boolean wantClientNoContextTakeover) {
        for (Extension e : offers) {
            if (!e.name().equalsIgnoreCase(NAME) || e.duplicates()) {
                continue;
            }
            boolean serverNoCtx = wantServerNoContextTakeover;
            boolean clientNoCtx = wantClientNoContextTakeover;
            boolean ok = true;
            for (Map.Entry<String, String> p : e.params().entrySet()) {
                String v = p.getValue();
                switch (p.getKey().toLowerCase(java.util.Locale.ROOT)) {
                    case "server_no_context_takeover" -> {
                        ok &= v == null;
                        serverNoCtx = true;
                    }
                    case "client_no_context_takeover" -> {
                        ok &= v == null;
                        clientNoCtx = true; // the client will reset anyway; saying so costs nothing
                    }
                    // we cannot shrink our window: only 15 can be honoured
                    case "server_max_window_bits" -> ok &= v != null && windowBits(v) == 15;
                    // the client may use a smaller window: our 15-bit inflater reads it; we answer without the
                    // parameter, which leaves the client free (§7.1.2.2)
                    case "client_max_window_bits" -> ok &= v == null || windowBits(v) > 0;
                    default -> ok = false;
                }
            }
            if (ok) {
                return new DeflateParams(serverNoCtx, clientNoCtx);
            }
        }
        return null;
    }

    /**
     * A client's reading of the server's answer to its offer ({@code permessage-deflate} with no parameters).
     *
     * @throws IllegalArgumentException if the answer is not one the offer allows
     */
    public static DeflateParams accept(List<Extension> response) {
        DeflateParams result = null;
        for (Extension e : response) {
            if (!e.name().equalsIgnoreCase(NAME)) {
                throw new IllegalArgumentException("the server accepted extension " + e.name() + ", never offered");
            }
            if (result != null) {
                throw new IllegalArgumentException("the server accepted permessage-deflate twice");
            }
            if (e.duplicates()) {
                throw new IllegalArgumentException("the server's permessage-deflate repeats a parameter");
            }
            boolean serverNoCtx = false;
            boolean clientNoCtx = false;
            for (Map.Entry<String, String> p : e.params().entrySet()) {
                String v = p.getValue();
                switch (p.getKey().toLowerCase(java.util.Locale.ROOT)) {
                    case "server_no_context_takeover" -> {
                        requireNoValue(p.getKey(), v);
                        serverNoCtx = true;
                    }
                    case "client_no_context_takeover" -> {
                        requireNoValue(p.getKey(), v);
                        clientNoCtx = true;
                    }
                    case "server_max_window_bits" -> {
                        if (v == null || windowBits(v) < 0) {
                            throw new IllegalArgumentException("server_max_window_bits needs a value 8..15: " + v);
                        }
                        // the server compresses with a smaller window: our inflater reads any
                    }
                    case "client_max_window_bits" ->
                        throw new IllegalArgumentException(
                                "the server set client_max_window_bits, which the offer did not include");
                    default -> throw new IllegalArgumentException("unknown permessage-deflate parameter " + p.getKey());
                }
            }
            result = new DeflateParams(serverNoCtx, clientNoCtx);
        }
        return result;
    }

    private static void requireNoValue(String name, String v) {
        if (v != null) {
            throw new IllegalArgumentException(name + " takes no value: " + v);
        }
    }

    /** 8..15, or -1 if {@code v} is not one of those written plainly (no sign, no leading zero). */
    private static int windowBits(String v) {
        if (v.length() == 1 && v.charAt(0) >= '8' && v.charAt(0) <= '9') {
            return v.charAt(0) - '0';
        }
        if (v.length() == 2 && v.charAt(0) == '1' && v.charAt(1) >= '0' && v.charAt(1) <= '5') {
            return 10 + v.charAt(1) - '0';
        }
        return -1;
    }
}
