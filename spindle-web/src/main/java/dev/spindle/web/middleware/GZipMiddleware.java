package dev.spindle.web.middleware;

import dev.spindle.web.Request;
import dev.spindle.web.responses.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses responses with gzip for clients that accept it (Starlette's {@code GZipMiddleware}): fixed bodies of at
 * least {@code minimumSize} bytes, and streamed bodies (flushed as the handler flushes); not event streams, files
 * (the server compresses those when its own gzip option is on), or bodies already encoded. Adds
 * {@code Vary: Accept-Encoding}.
 *
 * {@snippet :
 * app.addMiddleware(new GZipMiddleware(1000, 5));
 * }
 */
public final class GZipMiddleware implements Middleware {
    private final int minimumSize;
    private final int level;

    /** Starlette's defaults: 500 bytes, level 9. */
    public GZipMiddleware() {
        this(500, 9);
    }

    /**
     * @param minimumSize the smallest fixed body compressed
     * @param level 1 (fast) to 9 (small)
     */
    public GZipMiddleware(int minimumSize, int level) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("level must be 1..9: " + level);
        }
        this.minimumSize = minimumSize;
        this.level = level;
    }

    @Override
    public Response dispatch(Request request, CallNext next) throws Exception {
        Response r = next.call(request);
        if (!accepts(request.header("Accept-Encoding")) || r.headers().contains("Content-Encoding")) {
            return r;
        }
        if (r.body() != null && r.body().length >= minimumSize) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(r.body().length / 3 + 32);
            try (GZIPOutputStream gz = new LevelGzip(out, level, false)) {
                gz.write(r.body());
            }
            r.body(out.toByteArray());
            mark(r);
        } else if (r.streamBody() != null) {
            Response.StreamBody inner = r.streamBody();
            r.streamBody(out -> {
                try (GZIPOutputStream gz = new LevelGzip(new NoClose(out.asOutputStream()), level, true)) {
                    inner.writeTo(new GzipWriter(gz, out));
                }
            });
            mark(r);
        }
        return r;
    }

    private static void mark(Response r) {
        r.header("Content-Encoding", "gzip");
        r.headers().remove("Content-Length");
        String vary = r.headers().get("Vary");
        r.header("Vary", vary == null ? "Accept-Encoding" : vary + ", Accept-Encoding");
    }

    /** Whether {@code gzip} is among the codings, without {@code q=0}. */
    static boolean accepts(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.split(";");
            if (p[0].strip().toLowerCase(Locale.ROOT).equals("gzip")) {
                for (int i = 1; i < p.length; i++) {
                    String q = p[i].strip().toLowerCase(Locale.ROOT);
                    if (q.startsWith("q=")) {
                        try {
                            return Double.parseDouble(q.substring(2)) > 0;
                        } catch (NumberFormatException e) {
                            return false;
                        }
                    }
                }
                return true;
            }
        }
        return false;
    }

    private static final class LevelGzip extends GZIPOutputStream {
        LevelGzip(OutputStream out, int level, boolean syncFlush) throws IOException {
            super(out, 8192, syncFlush);
            def.setLevel(level);
        }
    }

    private static final class NoClose extends java.io.FilterOutputStream {
        NoClose(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** A body writer whose bytes go through the compressor. */
    private static final class GzipWriter implements dev.spindle.http.BodyWriter {
        final GZIPOutputStream gz;
        final dev.spindle.http.BodyWriter raw;

        GzipWriter(GZIPOutputStream gz, dev.spindle.http.BodyWriter raw) {
            this.gz = gz;
            this.raw = raw;
        }

        @Override
        public void write(byte[] data) {
            write(data, 0, data.length);
        }

        @Override
        public void write(byte[] data, int off, int len) {
            try {
                gz.write(data, off, len);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void write(java.nio.ByteBuffer src) {
            byte[] b = new byte[src.remaining()];
            src.get(b);
            write(b);
        }

        @Override
        public void write(String text) {
            write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            try {
                gz.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            raw.flush();
        }

        @Override
        public void close() {}

        @Override
        public OutputStream asOutputStream() {
            return new NoClose(gz);
        }
    }
}
