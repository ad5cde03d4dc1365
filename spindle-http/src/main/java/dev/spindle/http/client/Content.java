package dev.spindle.http.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A request body: bytes known in advance, or a stream of chunks (httpx's {@code content=}, {@code data=} and
 * {@code json=} arguments). Immutable; a byte body may be sent any number of times (so a request with one can be
 * retried and redirected with 307/308), a streamed body once.
 *
 * {@snippet :
 * client.post(url, Content.json("{\"name\":\"Ada\"}"));
 * client.post(url, Content.form(Map.of("q", "spindle")));
 * client.post(url, Content.of(bytes, "image/png"));
 * client.put(url, Content.ofFile(Path.of("video.mp4")));            // streamed from disk, zero copy on plain http
 * client.post(url, Content.multipart(                                  // multipart/form-data, files streamed
 *         Content.Part.field("title", "Holidays"),
 *         Content.Part.file("photo", Path.of("beach.jpg"))));
 * // streamed: chunked, each chunk written then drained (backpressure)
 * client.post(url, Content.stream(Files.readAllLines(path).stream().map(l -> (l + "\n").getBytes()).toList()));
 * }
 *
 * <p>A streamed body is sent with {@code Transfer-Encoding: chunked} unless its length is given, in which case
 * exactly that many bytes must come (else the request fails and its connection is closed). The iterable is read in
 * the requesting coroutine, so it may be an {@link dev.spindle.gen.AsyncIterator} or a generator that suspends.
 */
public final class Content {
    /** The size of the chunks a file is read in. */
    private static final int FILE_CHUNK = 64 * 1024;

    private static final SecureRandom BOUNDARIES = new SecureRandom();

    private final byte[] bytes;
    private final Iterable<byte[]> chunks;
    private final long length;
    private final String contentType;
    /** The chunks may be iterated again (they are made from files and bytes, not a one-shot stream). */
    private final boolean replayable;
    /** The file of {@link #ofFile}, which the client hands to the connection's sendFile; else null. */
    private final Path file;

    private Content(byte[] bytes, Iterable<byte[]> chunks, long length, String contentType) {
        this(bytes, chunks, length, contentType, bytes != null, null);
    }

    private Content(
            byte[] bytes, Iterable<byte[]> chunks, long length, String contentType, boolean replayable, Path file) {
        this.bytes = bytes;
        this.chunks = chunks;
        this.length = length;
        this.contentType = contentType;
        this.replayable = replayable;
        this.file = file;
    }

    /**
     * The file at {@code path}, sent with its size as Content-Length, read from disk as it goes out (on a plain
     * {@code http://} connection with the connection's {@link dev.spindle.io.StreamWriter#sendFile}, without copying
     * it into the JVM), as {@code application/octet-stream}. Replayable: a retry or a 307/308 redirect sends the file
     * again. The size is taken now: a file that changes size before it is sent fails the request.
     *
     * @throws UncheckedIOException if the file cannot be read (missing, a directory)
     */
    public static Content ofFile(Path path) {
        return ofFile(path, "application/octet-stream");
    }

    /** {@link #ofFile(Path)} with this Content-Type (or null for none). */
    public static Content ofFile(Path path, String contentType) {
        Objects.requireNonNull(path, "path");
        long size = fileSize(path);
        return new Content(null, () -> fileChunks(path, size), size, contentType, true, path);
    }

    /**
     * A {@code multipart/form-data} body (RFC 7578, what an HTML form with a file input sends; httpx's {@code files=}
     * argument) of these parts, in order, with a random boundary. Files are read from disk as the body goes out, so a
     * large upload takes little memory; the total length is computed now and sent as Content-Length. Replayable.
     *
     * {@snippet :
     * client.post("/upload", Content.multipart(
     *         Content.Part.field("description", "scan of page 3"),
     *         Content.Part.file("scan", Path.of("page3.pdf"), "application/pdf")));
     * }
     *
     * @throws UncheckedIOException if a file cannot be read
     */
    public static Content multipart(Part... parts) {
        return multipart(List.of(parts));
    }

    /** {@link #multipart(Part...)} of a list. */
    public static Content multipart(List<Part> parts) {
        Objects.requireNonNull(parts, "parts");
        byte[] r = new byte[12];
        BOUNDARIES.nextBytes(r);
        String boundary = "spindle-" + HexFormat.of().formatHex(r);
        List<Object> pieces = new ArrayList<>(); // byte[] as they are, Part files read when sent
        long length = 0;
        for (Part p : parts) {
            Objects.requireNonNull(p, "part");
            StringBuilder h = new StringBuilder("--")
                    .append(boundary)
                    .append("\r\n")
                    .append("Content-Disposition: form-data; name=\"")
                    .append(quote(p.name))
                    .append('"');
            if (p.filename != null) {
                h.append("; filename=\"").append(quote(p.filename)).append('"');
            }
            h.append("\r\n");
            if (p.contentType != null) {
                h.append("Content-Type: ").append(p.contentType).append("\r\n");
            }
            h.append("\r\n");
            byte[] head = h.toString().getBytes(StandardCharsets.UTF_8);
            pieces.add(head);
            length += head.length;
            if (p.file != null) {
                long size = fileSize(p.file);
                pieces.add(new Object[] {p.file, size});
                length += size;
            } else {
                pieces.add(p.data);
                length += p.data.length;
            }
            pieces.add(CRLF);
            length += 2;
        }
        byte[] end = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        pieces.add(end);
        length += end.length;
        List<Object> frozen = List.copyOf(pieces);
        Iterable<byte[]> chunks = () -> new Iterator<>() {
            private final Iterator<Object> it = frozen.iterator();
            private Iterator<byte[]> file;

            @Override
            public boolean hasNext() {
                return (file != null && file.hasNext()) || it.hasNext();
            }

            @Override
            public byte[] next() {
                if (file != null && file.hasNext()) {
                    return file.next();
                }
                file = null;
                Object o = it.next();
                if (o instanceof byte[] b) {
                    return b;
                }
                Object[] f = (Object[]) o;
                file = fileChunks((Path) f[0], (long) f[1]);
                return file.hasNext() ? file.next() : new byte[0];
            }
        };
        return new Content(null, chunks, length, "multipart/form-data; boundary=" + boundary, true, null);
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** A form field's name or file name in a quoted-string: quotes and line breaks percent-encoded, as browsers do. */
    private static String quote(String s) {
        return s.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static long fileSize(Path path) {
        try {
            if (!Files.isRegularFile(path)) {
                throw new UncheckedIOException(new IOException("not a regular file: " + path));
            }
            return Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file's bytes in chunks, opened on the first {@code hasNext} and closed at the end; exactly {@code size}
     * bytes, or an {@link UncheckedIOException} if the file ended early.
     */
    private static Iterator<byte[]> fileChunks(Path path, long size) {
        return new Iterator<>() {
            private FileChannel ch;
            private long pos;

            @Override
            public boolean hasNext() {
                if (pos < size) {
                    return true;
                }
                closeQuietly();
                return false;
            }

            @Override
            public byte[] next() {
                if (pos >= size) {
                    throw new NoSuchElementException();
                }
                try {
                    if (ch == null) {
                        ch = FileChannel.open(path, StandardOpenOption.READ);
                    }
                    ByteBuffer b = ByteBuffer.allocate((int) Math.min(FILE_CHUNK, size - pos));
                    while (b.hasRemaining()) {
                        if (ch.read(b, pos + b.position()) < 0) {
                            throw new IOException(path + " shrank while being sent: " + (pos + b.position()) + " of "
                                    + size + " bytes");
                        }
                    }
                    pos += b.capacity();
                    if (pos >= size) {
                        closeQuietly();
                    }
                    return b.array();
                } catch (IOException e) {
                    closeQuietly();
                    throw new UncheckedIOException(e.getMessage(), e);
                }
            }

            private void closeQuietly() {
                if (ch != null) {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // read-only: nothing was lost
                    }
                    ch = null;
                }
            }
        };
    }

    /** These bytes (not copied: do not change them until the request is done), with this Content-Type or null. */
    public static Content of(byte[] bytes, String contentType) {
        Objects.requireNonNull(bytes, "bytes");
        return new Content(bytes, null, bytes.length, contentType);
    }

    /** Bytes as {@code application/octet-stream}. */
    public static Content of(byte[] bytes) {
        return of(bytes, "application/octet-stream");
    }

    /** Text as UTF-8, {@code text/plain; charset=utf-8}. */
    public static Content text(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    /** JSON text you have serialised (no JSON library is bundled), as {@code application/json}. */
    public static Content json(String json) {
        return of(json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** An HTML form, {@code application/x-www-form-urlencoded}, fields in the map's iteration order. */
    public static Content form(Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> {
            if (!b.isEmpty()) {
                b.append('&');
            }
            b.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return of(b.toString().getBytes(StandardCharsets.US_ASCII), "application/x-www-form-urlencoded");
    }

    /** Chunks of unknown total length, sent chunked, as {@code application/octet-stream}. */
    public static Content stream(Iterable<byte[]> chunks) {
        return stream(chunks, -1, "application/octet-stream");
    }

    /**
     * Chunks totalling {@code length} bytes (sent with that Content-Length), or -1 for unknown (sent chunked).
     *
     * @param contentType the Content-Type, or null for none
     */
    public static Content stream(Iterable<byte[]> chunks, long length, String contentType) {
        Objects.requireNonNull(chunks, "chunks");
        if (length < -1) {
            throw new IllegalArgumentException("length must be -1 (unknown) or more, not " + length);
        }
        return new Content(null, chunks, length, contentType);
    }

    /** The length in bytes, or -1 if unknown. */
    public long length() {
        return length;
    }

    /** The Content-Type sent (unless the request sets its own), or null. */
    public String contentType() {
        return contentType;
    }

    /** Whether the body can be sent again (retries, 307/308 redirects): true for bytes, files and multipart. */
    public boolean isReplayable() {
        return replayable;
    }

    /** The file of a {@link #ofFile} body, or null. */
    public Path file() {
        return file;
    }

    /** The bytes of a byte body, or null for a stream (not copied). */
    public byte[] bytes() {
        return bytes;
    }

    /** The chunks of a streamed body, or null for bytes. */
    public Iterable<byte[]> chunks() {
        return chunks;
    }

    /**
     * One part of a {@link #multipart} body: a form field, or a file (read from disk when sent) or bytes with a file
     * name. Immutable.
     */
    public static final class Part {
        private final String name;
        private final String filename;
        private final String contentType;
        private final byte[] data;
        private final Path file;

        private Part(String name, String filename, String contentType, byte[] data, Path file) {
            this.name = Objects.requireNonNull(name, "name");
            this.filename = filename;
            this.contentType = contentType;
            this.data = data;
            this.file = file;
        }

        /** A text field, in UTF-8 with no Content-Type (as a browser sends it). */
        public static Part field(String name, String value) {
            return new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8), null);
        }

        /** A file field: the file's name, {@code application/octet-stream}, the content read when sent. */
        public static Part file(String name, Path file) {
            return file(name, file, "application/octet-stream");
        }

        /** A file field with this Content-Type. */
        public static Part file(String name, Path file, String contentType) {
            Objects.requireNonNull(file, "file");
            return new Part(name, String.valueOf(file.getFileName()), contentType, null, file);
        }

        /** A file field from bytes in memory (not copied), with this file name and Content-Type. */
        public static Part bytes(String name, String filename, byte[] data, String contentType) {
            Objects.requireNonNull(filename, "filename");
            return new Part(name, filename, contentType, Objects.requireNonNull(data, "data"), null);
        }

        @Override
        public String toString() {
            return "Part[" + name + (filename == null ? "" : ", file " + filename) + "]";
        }
    }

    @Override
    public String toString() {
        return "Content[" + (bytes != null ? bytes.length + " bytes" : "stream, " + (length < 0 ? "chunked" : length))
                + (contentType == null ? "" : ", " + contentType) + "]";
    }
}
