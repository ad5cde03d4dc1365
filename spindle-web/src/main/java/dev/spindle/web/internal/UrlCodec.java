package dev.spindle.web.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Percent-decoding of path segments and {@code application/x-www-form-urlencoded} text (query strings and form
 * bodies), as browsers and Python's {@code urllib.parse} do: {@code +} is a space in forms, a broken escape is kept as
 * it is, bytes are UTF-8 (malformed sequences become U+FFFD).
 */
public final class UrlCodec {
    private UrlCodec() {}

    /** Decodes {@code %XX} escapes ({@code plusIsSpace} for forms and queries). */
    public static String decode(String s, boolean plusIsSpace) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '%' || (plusIsSpace && c == '+')) {
                break;
            }
            i++;
        }
        if (i == n) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        byte[] head = s.substring(0, i).getBytes(StandardCharsets.UTF_8);
        out.write(head, 0, head.length);
        while (i < n) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < n && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
                i += 3;
            } else if (plusIsSpace && c == '+') {
                out.write(' ');
                i++;
            } else {
                int j = i + 1;
                while (j < n && s.charAt(j) != '%' && !(plusIsSpace && s.charAt(j) == '+')) {
                    j++;
                }
                byte[] b = s.substring(i, j).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i = j;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /** Parses {@code a=1&b=2&a=3} into keys with their values in order (blank values kept, as FastAPI does). */
    public static Map<String, List<String>> parseForm(String s) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) {
            return out;
        }
        int n = s.length();
        int from = 0;
        while (from <= n) {
            int amp = s.indexOf('&', from);
            int end = amp < 0 ? n : amp;
            if (end > from) {
                int eq = s.indexOf('=', from);
                String k;
                String v;
                if (eq < 0 || eq > end) {
                    k = decode(s.substring(from, end), true);
                    v = "";
                } else {
                    k = decode(s.substring(from, eq), true);
                    v = decode(s.substring(eq + 1, end), true);
                }
                out.computeIfAbsent(k, x -> new ArrayList<>(1)).add(v);
            }
            if (amp < 0) {
                break;
            }
            from = amp + 1;
        }
        return out;
    }

    /** Parses a {@code Cookie} header ({@code a=1; b=2}), as Starlette does: lenient, last value of a name wins. */
    public static Map<String, String> parseCookies(List<String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String h : headers) {
            for (String part : h.split(";")) {
                int eq = part.indexOf('=');
                String k = (eq < 0 ? "" : part.substring(0, eq)).strip();
                String v = (eq < 0 ? part : part.substring(eq + 1)).strip();
                if (k.isEmpty() && v.isEmpty()) {
                    continue;
                }
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = unquote(v.substring(1, v.length() - 1));
                }
                out.put(k, v);
            }
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.indexOf('\\') < 0) {
            return v;
        }
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && isOctal(v, i + 1)) {
                b.append((char) Integer.parseInt(v.substring(i + 1, i + 4), 8));
                i += 3;
            } else if (c == '\\' && i + 1 < v.length()) {
                b.append(v.charAt(++i));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String v, int i) {
        if (i + 3 > v.length()) {
            return false;
        }
        for (int k = i; k < i + 3; k++) {
            if (v.charAt(k) < '0' || v.charAt(k) > '7') {
                return false;
            }
        }
        return true;
    }
}
