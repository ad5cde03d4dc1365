package dev.spindle.http.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.http.websocket.internal.Frame;
import dev.spindle.http.websocket.internal.Opcode;
import dev.spindle.task.Task;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Outgoing fragmentation: whole messages split by {@link WebSocketOptions#fragmentSize()} and streamed messages
 * ({@link WebSocket#startTextMessage()}), seen frame by frame by a raw client, echoed by Spindle with and without
 * compression, and counted frame by frame by Python websockets' server (which also checks the UTF-8 of text split
 * inside characters and inflates the compressed fragments).
 */
@Timeout(120)
class FragmentationTest {
    static final String KO = "κό"; // 4 UTF-8 bytes: 1000-byte frames cut no character, 999-byte ones do
    static HttpServer server;

    @BeforeAll
    static void start() {
        WebSocketOptions options = WebSocketOptions.builder()
                .fragmentSize(1000)
                .maxMessageSize(4 << 20)
                .pingInterval(Duration.ZERO)
                .build();
        server = HttpServer.start(
                WebSocket.handler(options, (req, ws) -> {
                    switch (req.path()) {
                        case "/whole" -> {
                            ws.send("x".repeat(3500));
                            ws.receive();
                        }
                        case "/stream" -> {
                            try (MessageWriter out = ws.startTextMessage()) {
                                for (int i = 0; i < 1000; i++) {
                                    out.write(KO);
                                }
                            }
                            try (OutputStream out = ws.startBinaryMessage().asOutputStream()) {
                                out.write(new byte[] {1, 2, 3});
                                out.flush(); // a short non-final frame now
                                out.write(4);
                            }
                            ws.receive();
                        }
                        case "/interleave" -> {
                            MessageWriter out = ws.startTextMessage();
                            Task<Void> other = Spindle.spawn(() -> ws.send("after")); // waits for the stream
                            out.write("a".repeat(1500)); // one frame out, 500 bytes gathered
                            Spindle.sleep(Duration.ofMillis(50));
                            assertFalse(other.isDone(), "a whole message waits while a streamed one is open");
                            out.write("b".repeat(700));
                            out.close();
                            other.await();
                            assertThrows(IllegalStateException.class, () -> out.write("late"));
                            ws.receive();
                        }
                        default -> {
                            for (Message m : ws) {
                                if (m.isText() && m.text().startsWith("stream:")) {
                                    try (MessageWriter out = ws.startTextMessage()) {
                                        String t = m.text();
                                        for (int i = 0; i < t.length(); i += 333) {
                                            out.write(t.substring(i, Math.min(t.length(), i + 333)));
                                        }
                                    }
                                } else {
                                    ws.send(m);
                                }
                            }
                        }
                    }
                }),
                HttpServerOptions.builder().port(0).loops(1).build());
    }

    @AfterAll
    static void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    private static List<Frame> readMessage(RawClient c) throws Exception {
        List<Frame> frames = new ArrayList<>();
        while (true) {
            Frame f = c.read();
            frames.add(f);
            if (f.fin()) {
                return frames;
            }
        }
    }

    private static byte[] payload(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(f -> out.writeBytes(f.payload()));
        return out.toByteArray();
    }

    @Test
    void aWholeMessageLongerThanTheFragmentSizeGoesOutAsSeveralFrames() throws Exception {
        try (RawClient c = new RawClient(server.port(), "/whole", "")) {
            List<Frame> frames = readMessage(c);
            assertEquals(4, frames.size(), frames.toString());
            assertEquals(Opcode.TEXT, frames.get(0).opcode());
            for (int i = 1; i < 4; i++) {
                assertEquals(Opcode.CONTINUATION, frames.get(i).opcode());
            }
            assertEquals(
                    List.of(1000, 1000, 1000, 500),
                    frames.stream().map(f -> f.payload().length).toList());
            assertEquals(
                    List.of(false, false, false, true),
                    frames.stream().map(Frame::fin).toList());
            assertEquals("x".repeat(3500), new String(payload(frames), StandardCharsets.UTF_8));
            c.text("done");
        }
    }

    @Test
    void aStreamedMessageGoesOutAFrameAtATimeEndingWithTheFinalFrame() throws Exception {
        try (RawClient c = new RawClient(server.port(), "/stream", "")) {
            List<Frame> text = readMessage(c);
            assertEquals(Opcode.TEXT, text.getFirst().opcode());
            assertEquals(
                    List.of(1000, 1000, 1000, 1000, 0),
                    text.stream().map(f -> f.payload().length).toList(),
                    "a frame per 1000 bytes gathered, then the (empty) final frame at close");
            assertEquals(KO.repeat(1000), new String(payload(text), StandardCharsets.UTF_8));
            List<Frame> bin = readMessage(c);
            assertEquals(Opcode.BINARY, bin.getFirst().opcode());
            assertEquals(
                    List.of(3, 1), bin.stream().map(f -> f.payload().length).toList(), "flush sends a frame");
            assertArrayEquals(new byte[] {1, 2, 3, 4}, payload(bin));
            c.text("done");
        }
    }

    @Test
    void aWholeMessageSentDuringAStreamedOneFollowsIt() throws Exception {
        try (RawClient c = new RawClient(server.port(), "/interleave", "")) {
            List<Frame> streamed = readMessage(c);
            assertEquals("a".repeat(1500) + "b".repeat(700), new String(payload(streamed), StandardCharsets.UTF_8));
            List<Frame> after = readMessage(c);
            assertEquals(1, after.size());
            assertEquals(Opcode.TEXT, after.getFirst().opcode());
            assertEquals("after", new String(after.getFirst().payload(), StandardCharsets.UTF_8));
            c.text("done");
        }
    }

    @Test
    void spindleClientAndServerFragmentBothWaysWithAndWithoutCompression() {
        Random rnd = new Random(7);
        StringBuilder sb = new StringBuilder("stream:");
        while (sb.length() < 200_000) {
            sb.append(KO).append(rnd.nextInt()).append(' ');
        }
        String text = sb.toString();
        byte[] bin = new byte[150_000];
        rnd.nextBytes(bin);
        for (boolean compression : new boolean[] {true, false}) {
            Spindle.run(() -> {
                WebSocketOptions options = WebSocketOptions.builder()
                        .fragmentSize(999) // cuts characters
                        .compression(compression)
                        .maxMessageSize(4 << 20)
                        .build();
                try (WebSocket ws =
                        WebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), options)) {
                    assertEquals(compression, ws.isCompressed());
                    ws.send(text.substring(7)); // whole, fragmented
                    assertEquals(text.substring(7), ws.receive().text());
                    ws.send(bin);
                    assertArrayEquals(bin, ws.receive().data());
                    ws.send(text); // the server streams it back in 333-character writes
                    assertEquals(text, ws.receive().text());
                    try (MessageWriter out = ws.startBinaryMessage()) { // the client streams
                        for (int i = 0; i < bin.length; i += 4096) {
                            out.write(bin, i, Math.min(4096, bin.length - i));
                        }
                    }
                    assertArrayEquals(bin, ws.receive().data());
                    try (MessageWriter out = ws.startTextMessage()) {} // an empty streamed message
                    assertEquals("", ws.receive().text());
                    for (int i = 0; i < 20; i++) { // compression contexts stay in step message after message
                        ws.send("n" + i);
                        assertEquals("n" + i, ws.receive().text());
                    }
                    assertFalse(ws.ping().isNegative());
                }
                return null;
            });
        }
    }

    static final String COUNTING_SERVER = """
            import asyncio, hashlib, json, logging, sys, websockets
            from websockets.frames import Opcode

            frames = []
            class Count(logging.Filter):
                def filter(self, record):
                    if record.msg == "< %s" and record.args:
                        f = record.args[0]
                        if f.opcode in (Opcode.TEXT, Opcode.BINARY, Opcode.CONT):
                            frames.append(f.fin)
                    return False
            log = logging.getLogger("websockets.server")
            log.setLevel(logging.DEBUG)
            log.addFilter(Count())

            async def handler(ws, path=None):
                async for m in ws:
                    data = m.encode() if isinstance(m, str) else m
                    fins = list(frames)
                    frames.clear()
                    await ws.send(json.dumps({"text": isinstance(m, str), "len": len(data),
                                              "sha": hashlib.sha256(data).hexdigest(), "frames": len(fins),
                                              "finLast": fins[-1] if fins else None,
                                              "finsBefore": any(fins[:-1])}))

            async def main():
                async with websockets.serve(handler, "127.0.0.1", 0, max_size=2**22) as server:
                    print(server.sockets[0].getsockname()[1], flush=True)
                    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

            asyncio.run(main())
            """;

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void pythonWebsocketsReceivesOurFragmentsAsOneMessage() throws Exception {
        byte[] utf8 = KO.repeat(2500).getBytes(StandardCharsets.UTF_8); // 10,000 bytes
        byte[] random = new byte[20_000];
        new Random(9).nextBytes(random);
        try (Peer py = Peer.startPython(COUNTING_SERVER)) {
            String port = py.readLine();
            assertTrue(port != null && port.matches("\\d+"), "the Python server's port: " + port);
            for (boolean compression : new boolean[] {false, true}) {
                Spindle.run(() -> {
                    WebSocketOptions options = WebSocketOptions.builder()
                            .fragmentSize(999)
                            .compression(compression)
                            .build();
                    try (WebSocket ws = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + port + "/"), options)) {
                        assertEquals(compression, ws.isCompressed());
                        String sha = sha(utf8);
                        ws.send(new String(utf8, StandardCharsets.UTF_8)); // frames end inside characters
                        String r = ws.receive(Duration.ofSeconds(10)).text();
                        assertTrue(r.contains("\"len\": 10000") && r.contains(sha), r);
                        assertTrue(r.contains("\"finLast\": true") && r.contains("\"finsBefore\": false"), r);
                        if (!compression) {
                            assertTrue(r.contains("\"frames\": 11"), "10,000 bytes in 999-byte frames: " + r);
                        }

                        ws.send(random); // incompressible: many frames either way
                        r = ws.receive(Duration.ofSeconds(10)).text();
                        assertTrue(r.contains("\"len\": 20000") && r.contains(sha(random)), r);
                        int frames = Integer.parseInt(r.replaceAll(".*\"frames\": (\\d+).*", "$1"));
                        assertTrue(frames >= 20, "20,000 random bytes in 999-byte frames: " + r);

                        try (MessageWriter out = ws.startTextMessage()) {
                            for (int i = 0; i < 2500; i++) {
                                out.write(KO);
                            }
                        }
                        r = ws.receive(Duration.ofSeconds(10)).text();
                        assertTrue(r.contains("\"text\": true") && r.contains(sha), r);
                        if (!compression) {
                            assertTrue(r.contains("\"frames\": 11"), "10 full frames and the final one: " + r);
                        }
                    }
                    return null;
                });
            }
            py.process.getOutputStream().close();
        }
    }
}
