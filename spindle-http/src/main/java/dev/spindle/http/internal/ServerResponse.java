package dev.spindle.http.internal;

import dev.spindle.http.BodyWriter;
import dev.spindle.http.EventStream;
import dev.spindle.http.Headers;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.http.HttpVersion;
import dev.spindle.http.Response;
import dev.spindle.http.Upgraded;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@link Response} of an HTTP/1 exchange. The head is encoded into the connection's {@link ByteBuf} when
 * committed; a small fixed body rides in the same write as the head (one system call for most responses).
 */
final class ServerResponse implements Response {
    /** A fixed body up to this size is copied behind the head and sent in one write. */
    private static final int COALESCE = 16 * 1024;

    private enum Mode {
        OPEN,
        FIXED,
        STREAM,
        UPGRADED
    }

    private final Exchange ex;
    private final Http1Connection conn;
    private int status = 200;
    private final Headers headers = new Headers();
    private Mode mode = Mode.OPEN;
    /** The body writer handed out (the gzip one over the chunked one, when compressing). */
    private BodyWriter stream;

    /** Close the connection after this response (asked for, or forced by the exchange's state). */
    boolean closeAfter;
    /** Body bytes sent (after compression), for the access log. */
    long bytesSent;

    ServerResponse(Exchange ex) {
        this.ex = ex;
        this.conn = ex.conn;
    }

    @Override
    public Response status(int status) {
        checkOpen();
        if (status < 100 || status > 599 || status == 101) {
            throw new IllegalArgumentException(
                    status == 101 ? "101 is sent by upgrade(protocol)" : "a status is 100..599, not " + status);
        }
        this.status = status;
        return this;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public Response header(String name, String value) {
        headers.set(name, value);
        return this;
    }

    @Override
    public Response contentType(String contentType) {
        headers.set("Content-Type", contentType);
        return this;
    }

    @Override
    public Response closeConnection() {
        closeAfter = true;
        return this;
    }

    @Override
    public boolean isCommitted() {
        return mode != Mode.OPEN;
    }

    // ---- fixed bodies ---------------------------------------------------------------------------------------

    @Override
    public void send(byte[] body) {
        send(body, 0, body.length);
    }

    @Override
    public void send(String text) {
        if (!headers.contains("Content-Type")) {
            headers.set("Content-Type", "text/plain; charset=utf-8");
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        send(b, 0, b.length);
    }

    @Override
    public void send() {
        send(Gzip.EMPTY, 0, 0);
    }

    @Override
    public void send(byte[] body, int off, int len) {
        Objects.checkFromIndexSize(off, len, body.length);
        checkOpen();
        mode = Mode.FIXED;
        if (len > 0 && Gzip.applies(conn.options, ex.head, status, headers, len)) {
            byte[] gz = Gzip.compress(body, off, len, conn.options.gzipLevel());
            Gzip.markEncoded(headers);
            body = gz;
            off = 0;
            len = gz.length;
        }
        boolean noBody = ResponseHead.bodyless(status);
        ByteBuf out = head(noBody ? ResponseHead.Framing.NONE : ResponseHead.Framing.LENGTH, len);
        boolean sendBody = !noBody && !ex.head.isHead() && len > 0;
        if (sendBody) {
            bytesSent = len;
        }
        if (!sendBody || len <= COALESCE) {
            if (sendBody) {
                out.put(body, off, len);
            }
            if (conn.mayCork()) {
                return; // a pipelined request waits in the buffer: its response goes out with this one
            }
            conn.flushOut();
        } else {
            conn.flushOut();
            conn.writer.write(body, off, len);
        }
        conn.drain();
    }

    /** An error answer through this response (nothing committed yet): plain text. */
    void sendError(int status, String message) {
        sendError(status, message, null);
    }

    /** {@link #sendError(int, String)} with the headers an {@link dev.spindle.http.HttpError} carries. */
    void sendError(int status, String message, Headers extra) {
        headers.clear();
        this.status = status;
        headers.set("Content-Type", "text/plain; charset=utf-8");
        if (extra != null) {
            for (int i = 0; i < extra.size(); i++) {
                headers.add(extra.name(i), extra.value(i));
            }
            if (extra.size() > 0 && extra.contains("Content-Type")) {
                headers.set("Content-Type", extra.get("Content-Type"));
            }
        }
        if (status == 503 && !headers.contains("Retry-After")) {
            headers.set("Retry-After", "1");
        }
        byte[] body = Exchange.errorBody(status, message);
        mode = Mode.FIXED;
        ByteBuf out = head(ResponseHead.Framing.LENGTH, body.length);
        if (!ex.head.isHead()) {
            out.put(body);
            bytesSent = body.length;
        }
        conn.flushOut();
        conn.drain();
    }

    /** A short plain-text body for the status set, keeping the headers set so far (416's Content-Range, say). */
    void sendErrorKeepHeaders() {
        headers.set("Content-Type", "text/plain; charset=utf-8");
        byte[] body = Exchange.errorBody(status, null);
        send(body, 0, body.length);
    }

    // ---- streams --------------------------------------------------------------------------------------------

    @Override
    public BodyWriter stream() {
        checkOpen();
        long declared = -1;
        String cl = headers.get("Content-Length");
        if (cl != null) {
            try {
                declared = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Content-Length is not a number: " + cl);
            }
            if (declared < 0) {
                throw new IllegalArgumentException("Content-Length is negative: " + cl);
            }
        }
        boolean gzip = declared < 0 && Gzip.applies(conn.options, ex.head, status, headers, Integer.MAX_VALUE);
        if (gzip) {
            Gzip.markEncoded(headers);
        }
        ChunkedBodyWriter w = openStream(declared);
        if (gzip) {
            stream = new GzipBodyWriter(w, conn.options.gzipLevel());
        }
        return stream;
    }

    private ChunkedBodyWriter openStream(long declared) {
        mode = Mode.STREAM;
        ResponseHead.Framing framing;
        boolean noBody = ResponseHead.bodyless(status);
        if (noBody) {
            framing = ResponseHead.Framing.NONE;
            declared = 0;
        } else if (declared >= 0) {
            framing = ResponseHead.Framing.LENGTH;
        } else if (ex.head.version == HttpVersion.HTTP_1_0) {
            framing = ResponseHead.Framing.CLOSE_DELIMITED;
            closeAfter = true;
        } else {
            framing = ResponseHead.Framing.CHUNKED;
        }
        head(framing, declared);
        conn.flushOut();
        ChunkedBodyWriter w = new ChunkedBodyWriter(this, conn, framing, declared, ex.head.isHead() || noBody);
        stream = w;
        return w;
    }

    @Override
    public EventStream eventStream() {
        checkOpen();
        headers.set("Content-Type", "text/event-stream; charset=utf-8");
        headers.set("Cache-Control", "no-cache");
        headers.set("X-Accel-Buffering", "no"); // proxies such as nginx must not hold events back
        headers.remove("Content-Length");
        return new ServerEventStream(openStream(-1));
    }

    @Override
    public void sendFile(Path file) {
        checkOpen();
        FileSender.send(ex, this, file);
    }

    /** The chunked (or counted) writer under a file body; commits the head. */
    ChunkedBodyWriter streamRaw(long declared) {
        return openStream(declared);
    }

    // ---- upgrade --------------------------------------------------------------------------------------------

    @Override
    public Upgraded upgrade(String protocol) {
        checkOpen();
        Objects.requireNonNull(protocol, "protocol");
        if (ex.head.version != HttpVersion.HTTP_1_1) {
            throw new IllegalStateException("only an HTTP/1.1 request can be upgraded, this is " + ex.head.version);
        }
        if (!ex.body.isFullyRead()) {
            throw new IllegalStateException("read the request body before upgrading the connection");
        }
        headers.set("Upgrade", protocol);
        headers.set("Connection", "Upgrade");
        mode = Mode.UPGRADED;
        status = 101;
        head(ResponseHead.Framing.NONE, 0);
        conn.flushOut();
        conn.drain();
        closeAfter = true;
        // bytes the client sent behind the head belong to the new protocol: put them back in front of the reader
        conn.reader.unread(conn.in, conn.head, conn.tail - conn.head);
        conn.head = conn.tail;
        return new Upgraded(conn.reader, conn.writer);
    }

    // ---- the head -------------------------------------------------------------------------------------------

    /**
     * Encodes the head into the connection's out buffer, behind the responses to earlier pipelined requests that may
     * wait there (not yet written).
     */
    private ByteBuf head(ResponseHead.Framing framing, long length) {
        headers.remove("Content-Length");
        headers.remove("Transfer-Encoding");
        boolean upgradeOption = false;
        if (mode != Mode.UPGRADED) {
            if (headers.containsToken("Connection", "close")) {
                closeAfter = true;
            }
            // RFC 9110 §7.8: a response offering an Upgrade (a 426) names it as a connection option
            upgradeOption = headers.contains("Upgrade") && headers.containsToken("Connection", "upgrade");
            headers.remove("Connection");
        }
        RequestHead req = ex.head;
        boolean close = closeAfter
                || req.close
                || conn.shuttingDown
                || ex.broken
                || (ex.body.isPresent() && !ex.body.continueSent() && !ex.body.isFullyRead())
                || ex.body.tooLargeToDrain(conn.limits.maxDrainSize());
        if (close) {
            closeAfter = true;
        }
        int connection = mode == Mode.UPGRADED ? 0 : close ? 1 : req.keepAlive10 ? 2 : 0;
        if (upgradeOption) {
            headers.add(
                    "Connection",
                    connection == 1 ? "Upgrade, close" : connection == 2 ? "Upgrade, keep-alive" : "Upgrade");
            connection = 0;
        }
        ByteBuf out = conn.out;
        ResponseHead.encode(out, status, headers, conn.server.serverLine, framing, length, connection);
        return out;
    }

    /** After the handler: sends what was not sent, ends an open stream. */
    void finish() {
        switch (mode) {
            case OPEN -> send();
            case STREAM -> stream.close();
            case FIXED, UPGRADED -> {}
        }
    }

    HttpServerOptions options() {
        return conn.options;
    }

    Exchange exchange() {
        return ex;
    }

    private void checkOpen() {
        if (mode != Mode.OPEN) {
            throw new IllegalStateException(
                    "the response has been committed (" + mode.name().toLowerCase()
                            + "): send, stream, eventStream, sendFile and upgrade are once per response");
        }
    }
}
