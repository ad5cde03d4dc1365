package dev.spindle.http.websocket;

import dev.spindle.http.websocket.internal.Frame;
import dev.spindle.http.websocket.internal.FrameDecoder;
import dev.spindle.http.websocket.internal.FrameEncoder;
import dev.spindle.http.websocket.internal.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-driven WebSocket client over a blocking socket, for hostile tests: it sends whatever bytes a test builds
 * (bad masks, bad UTF-8, broken fragmentation) and reads the server's frames as they are.
 */
final class RawClient implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    /** The handshake's response head. */
    String response;

    final FrameEncoder masked = new FrameEncoder(true);
    private final FrameDecoder decoder = new FrameDecoder(false, true, 1 << 24);

    /** Connected and the opening handshake sent for {@code path}; {@link #response} holds the answer's head. */
    RawClient(int port, String path, String extraHeaders) throws IOException {
        this(port);
        handshake(path, extraHeaders);
    }

    /** Connected, nothing sent: {@link #exchange} sends plain requests, {@link #handshake} the opening one. */
    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends a valid opening handshake (and {@code extraHeaders}); reads the answer's head into {@link #response}. */
    String handshake(String path, String extraHeaders) throws IOException {
        String key = "dGhlIHNhbXBsZSBub25jZQ=="; // RFC 6455 §1.3's example: the accept value is known
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        response = readHead();
        return response;
    }

    /**
     * Sends {@code request} (raw text) on this connection and reads one response: its head and its Content-Length
     * body, leaving the connection as the server left it (for refusals answered with the connection kept open).
     */
    String exchange(String request) throws IOException {
        send(request.getBytes(StandardCharsets.ISO_8859_1));
        String head = readHead();
        Matcher m = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Whether the peer closed the connection: the next read sees the end of the stream (or a reset). */
    boolean atEof() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    int status() {
        return Integer.parseInt(response.substring(9, 12));
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3))
                    ? state + 1
                    : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    RawClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** A masked frame, as a client must send. */
    RawClient frame(int opcode, boolean fin, byte[] payload) throws IOException {
        return send(masked.frame(opcode, fin, false, payload, 0, payload.length));
    }

    RawClient text(String s) throws IOException {
        return frame(Opcode.TEXT, true, s.getBytes(StandardCharsets.UTF_8));
    }

    /** The next frame from the server, or null at the end of the stream. */
    Frame read() throws IOException {
        while (true) {
            Frame f = decoder.next();
            if (f != null) {
                return f;
            }
            ByteBuffer space = decoder.space();
            int n = in.read(space.array(), space.arrayOffset() + space.position(), space.remaining());
            if (n < 0) {
                return null;
            }
            decoder.filled(n);
        }
    }

    /** Reads frames until a close frame; returns its code (1005 if none), failing if the stream ends first. */
    int readCloseCode() throws IOException {
        while (true) {
            Frame f = read();
            if (f == null) {
                throw new AssertionError("the server closed the connection without a close frame");
            }
            if (f.opcode() == Opcode.CLOSE) {
                byte[] p = f.payload();
                return p.length < 2 ? 1005 : ((p[0] & 0xff) << 8) | (p[1] & 0xff);
            }
        }
    }

    /** Whether the server closed the TCP connection (EOF or reset) within the read timeout. */
    boolean closedByServer() throws IOException {
        try {
            while (true) {
                Frame f = read();
                if (f == null) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
