package dev.spindle.http.internal;

import dev.spindle.http.Headers;
import dev.spindle.http.HttpServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** When to gzip a response (RFC 9110 §12.5.3 q-values) and doing it. */
final class Gzip {
    static final byte[] EMPTY = new byte[0];

    private Gzip() {}

    /**
     * Whether a body of {@code size} bytes (MAX_VALUE for a stream) should be gzipped: enabled, a status with a body,
     * not yet encoded, a compressible type, at least the minimum size, and a client that accepts gzip.
     */
    static boolean applies(HttpServerOptions o, RequestHead req, int status, Headers headers, long size) {
        if (!o.gzip() || size < o.gzipMinSize() || ResponseHead.bodyless(status) || status == 206) {
            return false;
        }
        if (headers.contains("Content-Encoding") || headers.contains("Content-Range")) {
            return false;
        }
        String type = headers.get("Content-Type");
        if (type == null || !compressible(o, type)) {
            return false;
        }
        return accepts(req.headers.getAll("Accept-Encoding"), "gzip");
    }

    static boolean compressible(HttpServerOptions o, String contentType) {
        int semi = contentType.indexOf(';');
        String t = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        if (t.regionMatches(true, 0, "text/event-stream", 0, 17)) {
            return false;
        }
        for (String p : o.gzipTypes()) {
            if (p.endsWith("/") ? t.regionMatches(true, 0, p, 0, p.length()) : t.equalsIgnoreCase(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether Accept-Encoding values accept {@code coding} with a q above 0, directly or through {@code *} (an
     * explicit entry for the coding wins over {@code *}).
     */
    static boolean accepts(java.util.List<String> values, String coding) {
        double named = -1;
        double star = -1;
        for (String v : values) {
            for (String item : v.split(",")) {
                String s = item.trim();
                if (s.isEmpty()) {
                    continue;
                }
                int semi = s.indexOf(';');
                String name = (semi < 0 ? s : s.substring(0, semi)).trim();
                double q = semi < 0 ? 1 : qValue(s.substring(semi + 1));
                if (name.equalsIgnoreCase(coding) || (coding.equals("gzip") && name.equalsIgnoreCase("x-gzip"))) {
                    named = Math.max(named, q);
                } else if (name.equals("*")) {
                    star = Math.max(star, q);
                }
            }
        }
        return named >= 0 ? named > 0 : star > 0;
    }

    private static double qValue(String params) {
        for (String p : params.split(";")) {
            String s = p.trim();
            if (s.length() > 2 && (s.charAt(0) == 'q' || s.charAt(0) == 'Q') && s.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(s.substring(2).trim());
                    return q < 0 || q > 1 || Double.isNaN(q) ? 0 : q;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    /** Sets Content-Encoding and adds Accept-Encoding to Vary. */
    static void markEncoded(Headers headers) {
        headers.set("Content-Encoding", "gzip");
        String vary = headers.get("Vary");
        if (vary == null) {
            headers.set("Vary", "Accept-Encoding");
        } else if (!Tokens.listContains(vary, "Accept-Encoding") && !vary.trim().equals("*")) {
            headers.set("Vary", vary + ", Accept-Encoding");
        }
    }

    static byte[] compress(byte[] b, int off, int len, int level) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(64, len / 3));
        try (GZIPOutputStream gz = new LeveledGzip(bytes, level, 512)) {
            gz.write(b, off, len);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    /** A GZIPOutputStream at a chosen level, syncing on flush. */
    static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(java.io.OutputStream out, int level, int size) throws IOException {
            super(out, size, true);
            def.setLevel(level);
        }

        void end() {
            def.end();
        }
    }
}
