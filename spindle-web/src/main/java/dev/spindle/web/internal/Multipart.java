package dev.spindle.web.internal;

import dev.spindle.http.Headers;
import dev.spindle.web.HTTPException;
import dev.spindle.web.params.UploadFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A streaming {@code multipart/form-data} parser (RFC 7578): reads the body as it arrives, keeps fields in memory
 * (each at most {@link #MAX_FIELD_SIZE}) and files in memory up to {@link #SPOOL_THRESHOLD}, then in a temporary file.
 * Limits, each answered 400 as Starlette does: {@link #MAX_PARTS} parts, {@link #MAX_HEADER_SIZE} bytes of headers per
 * part. The whole body is bounded by the server's body limit (413).
 */
final class Multipart {
    static final int SPOOL_THRESHOLD = 1 << 20;
    static final int MAX_FIELD_SIZE = 1 << 20;
    static final int MAX_PARTS = 1000;
    static final int MAX_HEADER_SIZE = 16 << 10;

    private Multipart() {}

    /** The boundary parameter of a multipart Content-Type, or {@code null}. */
    static String boundary(String contentType) {
        for (String p : contentType.split(";")) {
            String t = p.strip();
            if (t.regionMatches(true, 0, "boundary=", 0, 9)) {
                String b = t.substring(9);
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                return b.isEmpty() || b.length() > 200 ? null : b;
            }
        }
        return null;
    }

    /** Parses the parts; files it made are added to {@code uploads} (deleted after the response). */
    static Map<String, List<Object>> parse(InputStream in, String boundary, List<UploadFile> uploads) {
        try {
            return new Multipart.Parser(in, boundary, uploads).run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Parser {
        final InputStream in;
        final byte[] delimiter; // CRLF--boundary
        final List<UploadFile> uploads;
        final byte[] buf = new byte[64 << 10];
        int pos;
        int lim;
        boolean eof;

        Parser(InputStream in, String boundary, List<UploadFile> uploads) {
            this.in = in;
            this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            this.uploads = uploads;
        }

        Map<String, List<Object>> run() throws IOException {
            Map<String, List<Object>> out = new LinkedHashMap<>();
            // The first delimiter comes without the CRLF before it: read as if the body started with one.
            buf[0] = '\r';
            buf[1] = '\n';
            lim = 2;
            skipThroughDelimiter(new NullOut());
            int parts = 0;
            while (true) {
                fill(2);
                if (lim - pos >= 2 && buf[pos] == '-' && buf[pos + 1] == '-') {
                    return out; // closing delimiter; the epilogue is ignored
                }
                skipLineEnd();
                if (++parts > MAX_PARTS) {
                    throw new HTTPException(400, "Too many parts: the maximum is " + MAX_PARTS + ".");
                }
                Headers headers = readHeaders();
                String disposition = headers.get("Content-Disposition");
                if (disposition == null) {
                    throw new HTTPException(400, "A multipart part has no Content-Disposition.");
                }
                Map<String, String> params = dispositionParams(disposition);
                String name = params.get("name");
                if (name == null) {
                    throw new HTTPException(400, "A multipart part's Content-Disposition has no name.");
                }
                String filename = params.get("filename");
                if (filename == null) {
                    ByteArrayOutputStream value = new ByteArrayOutputStream();
                    skipThroughDelimiter(new LimitedOut(value, MAX_FIELD_SIZE));
                    out.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value.toString(StandardCharsets.UTF_8));
                } else {
                    SpoolOut spool = new SpoolOut();
                    try {
                        skipThroughDelimiter(spool);
                    } finally {
                        spool.close();
                    }
                    UploadFile f = spool.file != null
                            ? new UploadFile(filename, headers.get("Content-Type"), headers, spool.file, spool.size)
                            : new UploadFile(
                                    filename, headers.get("Content-Type"), headers, spool.memory.toByteArray());
                    if (spool.file != null) {
                        uploads.add(f);
                    }
                    out.computeIfAbsent(name, k -> new ArrayList<>(1)).add(f);
                }
            }
        }

        /** Copies bytes to {@code sink} up to the next delimiter, and consumes the delimiter. */
        void skipThroughDelimiter(OutputStream sink) throws IOException {
            while (true) {
                fill(delimiter.length);
                int i = indexOf(delimiter, 0, pos);
                if (i >= 0) {
                    sink.write(buf, pos, i - pos);
                    pos = i + delimiter.length;
                    return;
                }
                if (eof) {
                    throw new HTTPException(400, "The multipart body ended before its closing boundary.");
                }
                // keep what could be the start of a delimiter
                int safe = Math.max(pos, lim - delimiter.length + 1);
                sink.write(buf, pos, safe - pos);
                pos = safe;
                compact();
                readMore();
            }
        }

        Headers readHeaders() throws IOException {
            Headers h = new Headers();
            int total = 0;
            while (true) {
                String line = readLine();
                total += line.length() + 2;
                if (total > MAX_HEADER_SIZE) {
                    throw new HTTPException(400, "A multipart part's headers are too large.");
                }
                if (line.isEmpty()) {
                    return h;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new HTTPException(400, "A multipart part has a malformed header line.");
                }
                try {
                    h.add(
                            line.substring(0, colon).strip(),
                            line.substring(colon + 1).strip());
                } catch (IllegalArgumentException e) {
                    throw new HTTPException(400, "A multipart part has a malformed header line.");
                }
            }
        }

        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                fill(2);
                if (lim - pos < 2) {
                    throw new HTTPException(400, "The multipart body ended inside a part's headers.");
                }
                if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                    pos += 2;
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(buf[pos++]);
                if (line.size() > MAX_HEADER_SIZE) {
                    throw new HTTPException(400, "A multipart part's headers are too large.");
                }
            }
        }

        void skipLineEnd() throws IOException {
            // transport padding (spaces, tabs) may follow a delimiter before its CRLF (RFC 2046)
            while (true) {
                fill(2);
                if (lim - pos >= 2 && buf[pos] == '\r' && buf[pos + 1] == '\n') {
                    pos += 2;
                    return;
                }
                if (lim - pos >= 1 && (buf[pos] == ' ' || buf[pos] == '\t')) {
                    pos++;
                    continue;
                }
                throw new HTTPException(400, "A multipart delimiter is not followed by a line end.");
            }
        }

        int indexOf(byte[] pattern, int patternFrom, int from) {
            int n = pattern.length - patternFrom;
            outer:
            for (int i = from; i <= lim - n; i++) {
                for (int k = 0; k < n; k++) {
                    if (buf[i + k] != pattern[patternFrom + k]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        void fill(int atLeast) throws IOException {
            while (lim - pos < atLeast && !eof) {
                compact();
                readMore();
            }
        }

        void compact() {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
        }

        void readMore() throws IOException {
            if (lim == buf.length) {
                return;
            }
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                eof = true;
            } else {
                lim += n;
            }
        }
    }

    /** Parameters of a Content-Disposition value: {@code form-data; name="f"; filename="a.txt"}. */
    static Map<String, String> dispositionParams(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = value.indexOf(';');
        while (i >= 0 && i < value.length()) {
            int start = i + 1;
            int eq = value.indexOf('=', start);
            if (eq < 0) {
                break;
            }
            String key = value.substring(start, eq).strip().toLowerCase(Locale.ROOT);
            int j = eq + 1;
            while (j < value.length() && value.charAt(j) == ' ') {
                j++;
            }
            StringBuilder v = new StringBuilder();
            if (j < value.length() && value.charAt(j) == '"') {
                j++;
                while (j < value.length() && value.charAt(j) != '"') {
                    char c = value.charAt(j);
                    if (c == '\\' && j + 1 < value.length()) {
                        c = value.charAt(++j);
                    }
                    v.append(c);
                    j++;
                }
                j++;
                i = value.indexOf(';', j);
            } else {
                int semi = value.indexOf(';', j);
                v.append(value, j, semi < 0 ? value.length() : semi);
                i = semi;
            }
            String val = v.toString().strip();
            if (key.endsWith("*")) {
                int q = val.indexOf("''");
                key = key.substring(0, key.length() - 1);
                val = UrlCodec.decode(q < 0 ? val : val.substring(q + 2), false);
                out.put(key, val); // the extended form wins
            } else {
                // browsers send names as raw UTF-8 bytes, which Headers hold as Latin-1 chars
                out.putIfAbsent(key, new String(val.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static final class NullOut extends OutputStream {
        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }

    private static final class LimitedOut extends OutputStream {
        final ByteArrayOutputStream to;
        final int max;

        LimitedOut(ByteArrayOutputStream to, int max) {
            this.to = to;
            this.max = max;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (to.size() + len > max) {
                throw new HTTPException(400, "Part exceeded maximum size of " + (max >> 10) + "KB.");
            }
            to.write(b, off, len);
        }
    }

    /** Memory first, a temporary file past the threshold. */
    private static final class SpoolOut extends OutputStream {
        ByteArrayOutputStream memory = new ByteArrayOutputStream();
        Path file;
        OutputStream fileOut;
        long size;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            size += len;
            if (fileOut == null && memory.size() + len > SPOOL_THRESHOLD) {
                file = Files.createTempFile("spindle-upload-", ".part");
                fileOut = Files.newOutputStream(file);
                memory.writeTo(fileOut);
                memory = null;
            }
            if (fileOut != null) {
                fileOut.write(b, off, len);
            } else {
                memory.write(b, off, len);
            }
        }

        @Override
        public void close() throws IOException {
            if (fileOut != null) {
                fileOut.close();
            }
        }
    }
}
