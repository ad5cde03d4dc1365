package dev.spindle.http.websocket.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code Sec-WebSocket-Extensions} (RFC 6455 §9.1): a comma-separated list of extensions, each a token with
 * {@code ;}-separated parameters, a parameter a token with an optional value, a token or a quoted string holding a
 * token. Several header fields form one list.
 */
public final class ExtensionHeader {
    private ExtensionHeader() {}

    /**
     * One extension as offered or accepted, its parameters in order; a parameter without a value maps to
     * {@code null}. A parameter named twice is recorded in {@link #duplicates} (which makes the offer invalid for
     * permessage-deflate).
     */
    public record Extension(String name, Map<String, String> params, boolean duplicates) {}

    /**
     * Parses every value of the header, in order.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static List<Extension> parse(List<String> values) {
        List<Extension> out = new ArrayList<>();
        for (String v : values) {
            parseOne(v, out);
        }
        return out;
    }

    private static void parseOne(String s, List<Extension> out) {
        int[] pos = {0};
        int n = s.length();
        while (true) {
            skipWs(s, pos);
            if (pos[0] >= n) {
                return; // empty elements are allowed in a list (RFC 9110 §5.6.1)
            }
            if (s.charAt(pos[0]) == ',') {
                pos[0]++;
                continue;
            }
            String name = token(s, pos, "extension name");
            Map<String, String> params = new LinkedHashMap<>();
            boolean dup = false;
            skipWs(s, pos);
            while (pos[0] < n && s.charAt(pos[0]) == ';') {
                pos[0]++;
                skipWs(s, pos);
                String p = token(s, pos, "parameter name of " + name);
                skipWs(s, pos);
                String value = null;
                if (pos[0] < n && s.charAt(pos[0]) == '=') {
                    pos[0]++;
                    skipWs(s, pos);
                    if (pos[0] < n && s.charAt(pos[0]) == '"') {
                        value = quoted(s, pos);
                        if (!isToken(value)) {
                            throw new IllegalArgumentException(
                                    "quoted value of " + p + " is not a token: \"" + value + "\"");
                        }
                    } else {
                        value = token(s, pos, "value of " + p);
                    }
                    skipWs(s, pos);
                }
                dup |= params.containsKey(p);
                params.put(p, value);
            }
            out.add(new Extension(name, params, dup));
            if (pos[0] < n) {
                if (s.charAt(pos[0]) != ',') {
                    throw new IllegalArgumentException(
                            "unexpected '" + s.charAt(pos[0]) + "' at index " + pos[0] + " of \"" + s + "\"");
                }
                pos[0]++;
            }
        }
    }

    private static String token(String s, int[] pos, String what) {
        int start = pos[0];
        while (pos[0] < s.length() && isTokenChar(s.charAt(pos[0]))) {
            pos[0]++;
        }
        if (start == pos[0]) {
            throw new IllegalArgumentException(
                    "expected a token (" + what + ") at index " + start + " of \"" + s + "\"");
        }
        return s.substring(start, pos[0]);
    }

    private static String quoted(String s, int[] pos) {
        StringBuilder b = new StringBuilder();
        int i = pos[0] + 1;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') {
                pos[0] = i;
                return b.toString();
            }
            if (c == '\\' && i < s.length()) {
                c = s.charAt(i++);
            }
            b.append(c);
        }
        throw new IllegalArgumentException("unterminated quoted string in \"" + s + "\"");
    }

    private static void skipWs(String s, int[] pos) {
        while (pos[0] < s.length() && (s.charAt(pos[0]) == ' ' || s.charAt(pos[0]) == '\t')) {
            pos[0]++;
        }
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
}
