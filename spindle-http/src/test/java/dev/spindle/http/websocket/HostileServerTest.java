package dev.spindle.http.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.Spindle;
import dev.spindle.http.websocket.internal.Frame;
import dev.spindle.http.websocket.internal.FrameDecoder;
import dev.spindle.http.websocket.internal.FrameEncoder;
import dev.spindle.http.websocket.internal.Handshake;
import dev.spindle.http.websocket.internal.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Spindle's client against a hand-written hostile server (a blocking socket in a thread): bad handshake answers, and
 * frames a server must not send. The client must refuse each with the right error or close code.
 */
class HostileServerTest {
    /** Serves one connection: reads the request head, writes {@code answer(key)}, then reports the client's close. */
    static CompletableFuture<Integer> serveOnce(ServerSocket ss, Function<String, byte[]> answer) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = ss.accept()) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                String head = readHead(in);
                String key = head.lines()
                        .filter(l -> l.toLowerCase().startsWith("sec-websocket-key:"))
                        .findFirst()
                        .orElseThrow()
                        .substring(18)
                        .trim();
                out.write(answer.apply(key));
                out.flush();
                FrameDecoder d = new FrameDecoder(true, false, 1 << 20);
                byte[] buf = new byte[4096];
                while (true) {
                    Frame f = d.next();
                    if (f != null) {
                        if (f.opcode() == Opcode.CLOSE) {
                            byte[] p = f.payload();
                            return p.length < 2 ? 1005 : ((p[0] & 0xff) << 8) | (p[1] & 0xff);
                        }
                        continue;
                    }
                    int n = in.read(buf);
                    if (n < 0) {
                        return -1; // the client closed TCP without a close frame
                    }
                    d.feed(buf, 0, n);
                }
            } catch (IOException e) {
                return -2;
            }
        });
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    static byte[] ok(String key, byte[]... frames) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + Handshake.acceptValue(key) + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] f : frames) {
            b.writeBytes(f); // right behind the head, in the same write: the client must not lose them
        }
        return b.toByteArray();
    }

    static byte[] frame(int opcode, boolean fin, byte[] p) {
        return new FrameEncoder(false).frame(opcode, fin, false, p, 0, p.length);
    }

    @Test
    void badFramesFromAServerAreRefusedWithTheirCloseCodes() throws Exception {
        Object[][] cases = {
            {
                "masked frame",
                (Function<String, byte[]>)
                        k -> ok(k, new FrameEncoder(true).frame(Opcode.TEXT, true, false, "x".getBytes(), 0, 1)),
                1002
            },
            {
                "invalid UTF-8",
                (Function<String, byte[]>) k -> ok(
                        k,
                        frame(Opcode.TEXT, true, HexFormat.of().parseHex("cebae1bdb9cf83cebcceb5eda080656469746564"))),
                1007
            },
            {
                "RSV1 without deflate",
                (Function<String, byte[]>) k -> ok(k, HexFormat.of().parseHex("c10178")),
                1002
            },
            {"oversize", (Function<String, byte[]>) k -> ok(k, HexFormat.of().parseHex("827f0000000000100001")), 1009},
            {
                "continuation first",
                (Function<String, byte[]>) k -> ok(k, frame(Opcode.CONTINUATION, true, new byte[1])),
                1002
            },
        };
        for (Object[] c : cases) {
            try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                @SuppressWarnings("unchecked")
                CompletableFuture<Integer> got = serveOnce(ss, (Function<String, byte[]>) c[1]);
                Spindle.run(() -> {
                    WebSocket ws = WebSocketClient.connect(
                            URI.create("ws://127.0.0.1:" + ss.getLocalPort() + "/"),
                            WebSocketOptions.builder().compression(false).build());
                    WebSocketClosed e = assertThrows(WebSocketClosed.class, ws::receive, (String) c[0]);
                    assertEquals((int) c[2], e.code(), c[0] + ": " + e);
                });
                assertEquals(c[2], got.get(30, TimeUnit.SECONDS), "the close code the server got for " + c[0]);
            }
        }
    }

    @Test
    void badHandshakeAnswersAreHandshakeFailures() throws Exception {
        Object[][] cases = {
            {
                "wrong accept",
                (Function<String, byte[]>) k -> ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                + "Connection: Upgrade\r\nSec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n")
                        .getBytes(),
                101
            },
            {
                "no upgrade",
                (Function<String, byte[]>) k -> ("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Accept: " + Handshake.acceptValue(k) + "\r\n\r\n")
                        .getBytes(),
                101
            },
            {"200", (Function<String, byte[]>) k -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(), 200},
            {
                "not offered extension",
                (Function<String, byte[]>) k -> ("HTTP/1.1 101 Switching Protocols\r\n"
                                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                                + Handshake.acceptValue(k)
                                + "\r\nSec-WebSocket-Extensions: x-unknown\r\n\r\n")
                        .getBytes(),
                101
            },
            {
                "not offered subprotocol",
                (Function<String, byte[]>) k -> ("HTTP/1.1 101 Switching Protocols\r\n"
                                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                                + Handshake.acceptValue(k)
                                + "\r\nSec-WebSocket-Protocol: evil\r\n\r\n")
                        .getBytes(),
                101
            },
            {"garbage", (Function<String, byte[]>) k -> "SSH-2.0-OpenSSH\r\n\r\n".getBytes(), 0},
        };
        for (Object[] c : cases) {
            try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                @SuppressWarnings("unchecked")
                CompletableFuture<Integer> got = serveOnce(ss, (Function<String, byte[]>) c[1]);
                Spindle.run(() -> {
                    HandshakeFailed e = assertThrows(
                            HandshakeFailed.class,
                            () -> WebSocketClient.connect(URI.create("ws://127.0.0.1:" + ss.getLocalPort() + "/")),
                            (String) c[0]);
                    assertEquals((int) c[2], e.status(), c[0] + ": " + e.getMessage());
                });
                assertEquals(-1, got.get(30, TimeUnit.SECONDS), c[0] + ": the client closed the connection");
            }
        }
    }
}
