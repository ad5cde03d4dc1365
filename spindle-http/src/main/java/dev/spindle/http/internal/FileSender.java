package dev.spindle.http.internal;

import dev.spindle.http.BodyWriter;
import dev.spindle.http.Headers;
import dev.spindle.http.HttpError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A file response with its validators and the request's preconditions (RFC 9110 §13.2.2, in its order: If-Match,
 * If-Unmodified-Since, If-None-Match, If-Modified-Since, then Range with If-Range, §14).
 *
 * <p>An identity body goes out with the writer's {@link dev.spindle.io.StreamWriter#sendFile}: sendfile(2) on a plain
 * connection on either backend (the page cache straight to the socket), the writer's buffered path under TLS, in
 * slices each bounded by the write timeout ({@link ChunkedBodyWriter#sendFile}). A gzip body is read through a pooled
 * direct buffer and compressed as it streams.
 */
final class FileSender {
    private static final int IO = 64 * 1024;
    /** Direct buffers for file reads, shared by all loops; a loop takes one per file being sent. */
    private static final ArrayBlockingQueue<ByteBuffer> POOL = new ArrayBlockingQueue<>(64);

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("csv", "text/csv; charset=utf-8"),
            Map.entry("xml", "application/xml"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"));

    private FileSender() {}

    static void send(Exchange ex, ServerResponse res, Path file) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new HttpError(404, "no such file");
        } catch (IOException e) {
            throw new HttpError(404, "the file cannot be read");
        }
        if (!attrs.isRegularFile()) {
            throw new HttpError(404, "not a regular file");
        }
        long size = attrs.size();
        long mtimeMillis = attrs.lastModifiedTime().toMillis();
        long mtime = mtimeMillis / 1000;
        String etag = "\"" + Long.toHexString(mtimeMillis) + "-" + Long.toHexString(size) + "\"";
        Headers h = res.headers();
        if (!h.contains("Content-Type")) {
            h.set("Content-Type", guessType(file));
        }
        Headers req = ex.head.headers;
        boolean getOrHead = ex.head.method.equals("GET") || ex.head.isHead();
        // a range asks for bytes of the identity representation: it wins over compression
        boolean gzip =
                getOrHead && !req.contains("Range") && Gzip.applies(res.options(), ex.head, res.status(), h, size);
        if (gzip) {
            etag = etag.substring(0, etag.length() - 1) + "-gzip\""; // another representation, another tag
        }
        h.set("ETag", etag);
        h.set("Last-Modified", DateCache.format(mtime));

        // preconditions (only for a 2xx the handler left as is)
        if (res.status() == 200) {
            String ifMatch = req.get("If-Match");
            if (ifMatch != null) {
                if (!matches(ifMatch, etag, false)) {
                    precondition(res, 412);
                    return;
                }
            } else {
                String ius = req.get("If-Unmodified-Since");
                long since = ius == null ? Long.MIN_VALUE : DateCache.parse(ius);
                if (since != Long.MIN_VALUE && mtime > since) {
                    precondition(res, 412);
                    return;
                }
            }
            String inm = req.get("If-None-Match");
            if (inm != null) {
                if (matches(inm, etag, true)) {
                    precondition(res, getOrHead ? 304 : 412);
                    return;
                }
            } else if (getOrHead) {
                String ims = req.get("If-Modified-Since");
                long since = ims == null ? Long.MIN_VALUE : DateCache.parse(ims);
                if (since != Long.MIN_VALUE && mtime <= since) {
                    precondition(res, 304);
                    return;
                }
            }
        }

        long from = 0;
        long length = size;
        if (!gzip) {
            h.set("Accept-Ranges", "bytes");
            String range = req.get("Range");
            if (range != null
                    && res.status() == 200
                    && ex.head.method.equals("GET")
                    && ifRangeHolds(req, etag, mtime)) {
                long[] r = parseRange(range, size);
                if (r == UNSATISFIABLE) {
                    h.set("Content-Range", "bytes */" + size);
                    res.status(416);
                    res.sendErrorKeepHeaders();
                    return;
                }
                if (r != null) {
                    from = r[0];
                    length = r[1] - r[0] + 1;
                    res.status(206);
                    h.set("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + size);
                }
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (gzip) {
                try (BodyWriter out = res.stream()) {
                    copy(ch, 0, size, out, ex);
                }
            } else {
                try (ChunkedBodyWriter out = res.streamRaw(length)) {
                    if (!out.sendFile(ch, from, length)) {
                        copy(ch, from, length, out, ex);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            throw new HttpError(404, "no such file");
        } catch (IOException e) {
            // the head may be out: the exchange is broken and the connection closes
            ex.broken = true;
            throw new java.io.UncheckedIOException("reading " + file + " failed", e);
        }
    }

    private static void copy(FileChannel ch, long from, long length, BodyWriter out, Exchange ex) throws IOException {
        if (ex.head.isHead() || length == 0) {
            return;
        }
        ByteBuffer buf = POOL.poll();
        if (buf == null) {
            buf = ByteBuffer.allocateDirect(IO);
        }
        try {
            long pos = from;
            long end = from + length;
            while (pos < end) {
                buf.clear();
                buf.limit((int) Math.min(IO, end - pos));
                // a file read may block the carrier for a page fault's time; for files on a local disk this is
                // shorter than a hop to another thread
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new IOException("the file shrank while being sent");
                }
                buf.flip();
                pos += n;
                out.write(buf);
            }
        } finally {
            buf.clear();
            if (!POOL.offer(buf)) {
                // pool full: the buffer is left to the GC
            }
        }
    }

    private static void precondition(ServerResponse res, int status) {
        Headers h = res.headers();
        res.status(status);
        if (status == 304) {
            h.remove("Content-Type");
            h.remove("Accept-Ranges");
            res.send();
        } else {
            res.sendErrorKeepHeaders();
        }
    }

    /** Whether an If-Match / If-None-Match list matches {@code etag} (weak comparison for If-None-Match). */
    static boolean matches(String list, String etag, boolean weak) {
        if (list.trim().equals("*")) {
            return true;
        }
        for (String item : list.split(",")) {
            String t = item.trim();
            boolean isWeak = t.startsWith("W/");
            if (isWeak) {
                if (!weak) {
                    continue; // strong comparison: a weak tag never matches
                }
                t = t.substring(2);
            }
            if (t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** If-Range: absent, or a strong tag equal to ours, or a date equal to Last-Modified (§13.1.5). */
    private static boolean ifRangeHolds(Headers req, String etag, long mtime) {
        String v = req.get("If-Range");
        if (v == null) {
            return true;
        }
        v = v.trim();
        if (v.startsWith("\"")) {
            return v.equals(etag);
        }
        if (v.startsWith("W/")) {
            return false;
        }
        long date = DateCache.parse(v);
        return date != Long.MIN_VALUE && date == mtime;
    }

    static final long[] UNSATISFIABLE = new long[0];

    /**
     * The one range of {@code bytes=...} as {first, last}; {@link #UNSATISFIABLE} if no range is satisfiable; null to
     * ignore the header (malformed, another unit, or several ranges: those get the whole file).
     */
    static long[] parseRange(String header, long size) {
        String v = header.trim();
        if (!v.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String[] specs = v.substring(6).split(",");
        long[] found = null;
        int satisfiable = 0;
        for (String spec : specs) {
            String s = spec.trim();
            if (s.isEmpty()) {
                continue;
            }
            int dash = s.indexOf('-');
            if (dash < 0) {
                return null;
            }
            String a = s.substring(0, dash).trim();
            String b = s.substring(dash + 1).trim();
            long first;
            long last;
            try {
                if (a.isEmpty()) { // suffix: the last b bytes
                    long n = parseDigits(b);
                    if (n == 0) {
                        continue;
                    }
                    first = Math.max(0, size - n);
                    last = size - 1;
                } else {
                    first = parseDigits(a);
                    last = b.isEmpty() ? Long.MAX_VALUE : parseDigits(b);
                    if (last < first) {
                        return null; // invalid: the whole header is ignored (RFC 9110 §14.1.1)
                    }
                    last = Math.min(last, size - 1);
                }
            } catch (NumberFormatException e) {
                return null;
            }
            if (first < size && size > 0) {
                satisfiable++;
                found = new long[] {first, last};
            }
        }
        if (satisfiable == 0) {
            return UNSATISFIABLE;
        }
        return satisfiable == 1 ? found : null;
    }

    private static long parseDigits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            throw new NumberFormatException(s);
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new NumberFormatException(s);
            }
        }
        return Long.parseLong(s);
    }

    static String guessType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }
}
