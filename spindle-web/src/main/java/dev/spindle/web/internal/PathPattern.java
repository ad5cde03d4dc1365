package dev.spindle.web.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A route's path compiled once: literal segments and parameters ({@code {name}} for one non-empty segment,
 * {@code {name:int}}, {@code :float}, {@code :uuid}, {@code :str}, or {@code {name:path}} for the rest of the path,
 * slashes included). Matching compares segments already percent-decoded, without regular expressions on the plain
 * segments, and fills the parameters' values by index.
 *
 * <p>A typed converter ({@code :int}) makes a segment that does not fit not match (Starlette's convertors: 404); a
 * plain {@code {name}} whose handler parameter is typed matches anything and answers 422 (FastAPI's behaviour).
 */
public final class PathPattern {
    // The shapes are checked by hand, not with java.util.regex: compiling a pattern per parameter name at startup
    // and matching one per request cost more than these loops.

    private final String path;
    private final String[] literals; // null for a parameter
    private final String[] convertors;
    private final List<String> names;
    private final boolean rest;

    public PathPattern(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a route's path must start with '/': \"" + path + "\"");
        }
        this.path = path;
        String[] segs = split(path);
        literals = new String[segs.length];
        convertors = new String[segs.length];
        List<String> ns = new ArrayList<>();
        boolean r = false;
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            if (s.startsWith("{") && s.endsWith("}")) {
                String inner = s.substring(1, s.length() - 1);
                int colon = inner.indexOf(':');
                String name = colon < 0 ? inner : inner.substring(0, colon);
                String conv = colon < 0 ? "str" : inner.substring(colon + 1);
                if (!isName(name)) {
                    throw new IllegalArgumentException("bad path parameter name \"" + name + "\" in " + path);
                }
                if (!List.of("str", "int", "float", "uuid", "path").contains(conv)) {
                    throw new IllegalArgumentException(
                            "unknown path convertor \"" + conv + "\" in " + path + " (str, int, float, uuid, path)");
                }
                if (ns.contains(name)) {
                    throw new IllegalArgumentException("path parameter \"" + name + "\" appears twice in " + path);
                }
                if (conv.equals("path")) {
                    if (i != segs.length - 1) {
                        throw new IllegalArgumentException("a {name:path} parameter must be last: " + path);
                    }
                    r = true;
                }
                ns.add(name);
                convertors[i] = conv;
            } else if (s.contains("{") || s.contains("}")) {
                throw new IllegalArgumentException("a path parameter must fill its whole segment: " + path);
            } else {
                literals[i] = s;
            }
        }
        names = List.copyOf(ns);
        rest = r;
    }

    public String path() {
        return path;
    }

    /** The parameters' names, in order. */
    public List<String> names() {
        return names;
    }

    public String convertor(String name) {
        for (int i = 0; i < convertors.length; i++) {
            if (convertors[i] != null && names.get(paramIndex(i)).equals(name)) {
                return convertors[i];
            }
        }
        return null;
    }

    private int paramIndex(int segment) {
        int k = 0;
        for (int i = 0; i < segment; i++) {
            if (literals[i] == null) {
                k++;
            }
        }
        return k;
    }

    /** Whether the pattern has no parameters. */
    public boolean isStatic() {
        return names.isEmpty();
    }

    /**
     * Matches decoded segments; fills {@code values} (one per parameter) on success.
     *
     * @return whether the path matches
     */
    public boolean match(String[] segs, String[] values) {
        int n = literals.length;
        if (rest ? segs.length < n : segs.length != n) {
            return false;
        }
        int k = 0;
        for (int i = 0; i < n; i++) {
            String lit = literals[i];
            if (lit != null) {
                if (!lit.equals(segs[i])) {
                    return false;
                }
                continue;
            }
            String conv = convertors[i];
            if (conv.equals("path")) {
                StringBuilder b = new StringBuilder(segs[i]);
                for (int j = i + 1; j < segs.length; j++) {
                    b.append('/').append(segs[j]);
                }
                values[k++] = b.toString();
                return true;
            }
            String s = segs[i];
            boolean ok =
                    switch (conv) {
                        case "int" -> digits(s, 0, s.length());
                        case "float" -> isFloat(s);
                        case "uuid" -> isUuid(s);
                        default -> !s.isEmpty();
                    };
            if (!ok) {
                return false;
            }
            values[k++] = s;
        }
        return true;
    }

    /** {@code [A-Za-z_][A-Za-z0-9_]*} */
    static boolean isName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
            if (!letter && (i == 0 || c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /** {@code [0-9]+} over {@code s[from, to)}. */
    static boolean digits(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code [0-9]+(\\.[0-9]+)?} */
    static boolean isFloat(String s) {
        int dot = s.indexOf('.');
        return dot < 0 ? digits(s, 0, s.length()) : digits(s, 0, dot) && digits(s, dot + 1, s.length());
    }

    /** {@code [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}} */
    static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code segs} starts with this (literal) pattern: a mount's prefix. */
    public boolean matchPrefix(String[] segs) {
        if (segs.length < literals.length) {
            return false;
        }
        for (int i = 0; i < literals.length; i++) {
            if (literals[i] == null || !literals[i].equals(segs[i])) {
                return false;
            }
        }
        return true;
    }

    public int segmentCount() {
        return literals.length;
    }

    /** A path's segments, not decoded: {@code "/a/b/"} is {@code ["a", "b", ""]}, {@code "/"} is {@code [""]}. */
    public static String[] split(String path) {
        int start = path.startsWith("/") ? 1 : 0;
        int count = 1;
        for (int i = start; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                count++;
            }
        }
        String[] out = new String[count];
        int k = 0;
        int from = start;
        for (int i = start; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                out[k++] = path.substring(from, i);
                from = i + 1;
            }
        }
        out[k] = path.substring(from);
        return out;
    }

    @Override
    public String toString() {
        return path;
    }
}
