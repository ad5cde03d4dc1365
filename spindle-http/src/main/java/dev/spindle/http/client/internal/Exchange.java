package dev.spindle.http.client.internal;

import dev.spindle.http.Headers;
import dev.spindle.http.client.Content;
import dev.spindle.http.client.HttpTimeout.Phase;
import dev.spindle.http.client.ProtocolError;
import dev.spindle.http.internal.ByteBuf;
import dev.spindle.io.StreamError;
import dev.spindle.io.StreamWriter;
import dev.spindle.time.TimedOut;
import dev.spindle.time.TimeoutScope;
import java.time.Duration;

/**
 * Sends one request on a connection and reads its response head (RFC 9112 §3, §6, §7): the request line and fields,
 * the body with a Content-Length or chunked, {@code Expect: 100-continue}, interim responses skipped. Stops at the
 * final head: the body is {@link ResponseBody}'s.
 *
 * <p>Any exception leaves the connection in an unknown state: the caller aborts it. Bytes are written with
 * {@link StreamWriter#write} (never waits) and {@link StreamWriter#drain} (waits under the write timeout), so a
 * streamed body is pulled from its iterable only as fast as the server takes it.
 */
public final class Exchange {
    /** How long a body waits for {@code 100 Continue} before it is sent anyway (curl's default). */
    static final Duration CONTINUE_WAIT = Duration.ofSeconds(1);

    /** A body up to this size goes out in the same write as the head. */
    private static final int COALESCE = 16 * 1024;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    private Exchange() {}

    /**
     * Writes the request, reads up to the final response head and returns it.
     *
     * @param target the request target (origin-form: path and query)
     * @param headers every field to send except the body's framing (added here)
     */
    public static ResponseDecoder.Head send(
            ClientConnection c,
            String method,
            String target,
            Headers headers,
            Content body,
            boolean expectContinue,
            Deadline deadline) {
        ResponseDecoder decoder = c.decoder();
        decoder.start(method);
        String where = method + " " + c.origin() + target;
        ByteBuf head = new ByteBuf(256);
        head.putLatin1(method).put((byte) ' ').putLatin1(target).putLatin1(" HTTP/1.1\r\n");
        headers.forEach((n, v) -> head.putLatin1(n).putLatin1(": ").putLatin1(v).crlf());
        if (body != null) {
            if (body.length() >= 0) {
                head.putLatin1("Content-Length: ").putDecimal(body.length()).crlf();
            } else {
                head.putLatin1("Transfer-Encoding: chunked\r\n");
            }
            expectContinue &= body.length() != 0;
            if (expectContinue) {
                head.putLatin1("Expect: 100-continue\r\n");
            }
        }
        head.crlf();
        StreamWriter w = c.writer();
        byte[] bytes = body == null ? null : body.bytes();
        if (body == null || (bytes != null && bytes.length <= COALESCE && !expectContinue)) {
            if (bytes != null) {
                head.put(bytes);
            }
            w.write(head.array(), 0, head.size());
            drain(w, deadline, where);
            return readHead(c, deadline, where);
        }
        w.write(head.array(), 0, head.size());
        drain(w, deadline, where);
        if (expectContinue) {
            ResponseDecoder.Head early = awaitContinue(c, deadline, where);
            if (early != null) {
                c.forbidReuse(); // the body was never sent, so the server's view of the framing is unknown
                return early;
            }
        }
        try {
            sendBody(w, body, deadline, where);
        } catch (StreamError e) {
            // The server may have answered (413, 401) and closed while we were still sending: that answer wins.
            ResponseDecoder.Head h = answerDespite(c, deadline, where);
            if (h == null) {
                throw e;
            }
            c.forbidReuse();
            return h;
        }
        return readHead(c, deadline, where);
    }

    private static void sendBody(StreamWriter w, Content body, Deadline deadline, String where) {
        if (body.bytes() != null) {
            w.write(body.bytes());
            drain(w, deadline, where);
            return;
        }
        if (body.file() != null) {
            sendFile(w, body, deadline, where);
            return;
        }
        boolean chunked = body.length() < 0;
        long sent = 0;
        ByteBuf size = new ByteBuf(20);
        for (byte[] chunk : body.chunks()) {
            if (chunk.length == 0) {
                continue;
            }
            sent += chunk.length;
            if (!chunked && sent > body.length()) {
                throw new IllegalStateException(
                        "the streamed body gave more than its declared length of " + body.length() + " bytes");
            }
            if (chunked) {
                size.clear();
                size.putHex(chunk.length).crlf();
                w.write(size.array(), 0, size.size());
            }
            w.write(chunk);
            if (chunked) {
                w.write(CRLF);
            }
            drain(w, deadline, where);
        }
        if (chunked) {
            w.write(LAST_CHUNK);
            drain(w, deadline, where);
        } else if (sent != body.length()) {
            throw new IllegalStateException(
                    "the streamed body gave " + sent + " bytes, but its declared length is " + body.length());
        }
    }

    /** A file slice sent with the writer's sendFile is bounded by the write timeout, as each drain is. */
    private static final long FILE_SLICE = 1 << 20;

    /**
     * A {@link Content#ofFile} body with the writer's {@link StreamWriter#sendFile} (sendfile(2) on plain
     * connections, the writer's buffered path under TLS), in slices each under the write timeout.
     */
    private static void sendFile(StreamWriter w, Content body, Deadline deadline, String where) {
        try (java.nio.channels.FileChannel ch =
                java.nio.channels.FileChannel.open(body.file(), java.nio.file.StandardOpenOption.READ)) {
            long length = body.length();
            long pos = 0;
            while (pos < length) {
                long at = pos;
                long slice = Math.min(FILE_SLICE, length - pos);
                long n = deadline.run(
                        Phase.WRITE, "the server to take the request " + where, () -> w.sendFile(ch, at, slice));
                pos += n;
                if (n < slice) {
                    throw new IllegalStateException(body.file() + " shrank while being sent: " + pos + " of " + length
                            + " bytes (its declared length)");
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + body.file() + ": " + e.getMessage(), e);
        }
    }

    private static void drain(StreamWriter w, Deadline deadline, String where) {
        deadline.run(Phase.WRITE, "the server to take the request " + where, () -> {
            w.drain();
            return null;
        });
    }

    /** Reads up to the final head, skipping interim (1xx) ones. */
    static ResponseDecoder.Head readHead(ClientConnection c, Deadline deadline, String where) {
        while (true) {
            ResponseDecoder.Event e = next(c, deadline, where, "the response head");
            if (e instanceof ResponseDecoder.Head h && !h.interim()) {
                return h;
            }
        }
    }

    /** The next decoder event other than NEED_DATA, reading under the read timeout as needed. */
    static ResponseDecoder.Event next(ClientConnection c, Deadline deadline, String where, String what) {
        ResponseDecoder decoder = c.decoder();
        while (true) {
            ResponseDecoder.Event e;
            try {
                e = decoder.next();
            } catch (ProtocolError bad) { // the codec knows what broke; say where
                throw new ProtocolError(bad.getMessage() + " (" + where + ")", bad);
            }
            if (e != ResponseDecoder.NEED_DATA) {
                return e;
            }
            deadline.run(Phase.READ, what + " from " + where, () -> {
                c.fill();
                return null;
            });
        }
    }

    /** Waits a little for 100 Continue: null to go on with the body; a final head if the server answered at once. */
    private static ResponseDecoder.Head awaitContinue(ClientConnection c, Deadline deadline, String where) {
        try {
            return TimeoutScope.after(CONTINUE_WAIT).run(() -> {
                while (true) {
                    ResponseDecoder.Event e = next(c, deadline, where, "100 Continue");
                    if (e instanceof ResponseDecoder.Head h) {
                        if (h.status() == 100) {
                            return null;
                        }
                        if (!h.interim()) {
                            return h;
                        }
                    }
                }
            });
        } catch (TimedOut e) {
            if (e instanceof dev.spindle.http.client.HttpTimeout) {
                throw e;
            }
            return null; // no answer: send the body (RFC 9110 §10.1.1)
        }
    }

    /** After a failed send, the response the server may already have sent, or null. */
    private static ResponseDecoder.Head answerDespite(ClientConnection c, Deadline deadline, String where) {
        try {
            return readHead(c, deadline, where);
        } catch (ProtocolError | StreamError | TimedOut e) {
            return null;
        }
    }
}
