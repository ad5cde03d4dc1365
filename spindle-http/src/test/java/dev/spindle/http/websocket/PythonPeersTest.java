package dev.spindle.http.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Spindle's server against Python websockets' client, and Spindle's client against Python websockets' server. */
class PythonPeersTest {
    static HttpServer server;
    static final List<String> closes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        WebSocketOptions options = WebSocketOptions.builder()
                .maxMessageSize(256 * 1024)
                .subprotocols("chat")
                .build();
        server = HttpServer.start(
                WebSocket.handler(options, (req, ws) -> {
                    switch (req.path()) {
                        case "/close4000" -> {
                            ws.receive();
                            ws.close(4000, "done here");
                        }
                        case "/ping" -> {
                            ws.ping();
                            ws.send("your pong came");
                            ws.receive();
                        }
                        default -> {
                            try {
                                for (Message m : ws) {
                                    ws.send(m);
                                }
                                closes.add("normal "
                                        + ws.closeStatus().orElseThrow().code());
                            } catch (WebSocketClosed e) {
                                closes.add("error " + e.code());
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

    static final String CLIENT = """
            import asyncio, json, sys, websockets
            from websockets.exceptions import ConnectionClosed

            async def main(uri, compression):
                out = []
                async with websockets.connect(uri, compression=compression, subprotocols=["chat"],
                                              max_size=2**22, ping_interval=None) as ws:
                    out.append(ws.response_headers.get("Sec-WebSocket-Extensions"))
                    out.append(ws.subprotocol)
                    await ws.send("hello")
                    out.append(await ws.recv())
                    await ws.send(bytes(range(256)))
                    out.append((await ws.recv()).hex()[:16])
                    await ws.send(["frag", "men", "ted"])            # three frames, one message
                    out.append(await ws.recv())
                    await ws.send(["κό".encode()[:3], "κό".encode()[3:]]) # binary, in two frames
                    out.append((await ws.recv()).decode())
                    big = "spindle " * 30000                          # 240,000 bytes, fragmented by size below
                    await ws.send(big)
                    out.append(len(await ws.recv()))
                    waiter = await ws.ping(b"abc")
                    await asyncio.wait_for(waiter, 10)
                    out.append("pong")
                    for i in range(200):
                        await ws.send("m%d" % i)
                    got = [await ws.recv() for i in range(200)]
                    out.append(got == ["m%d" % i for i in range(200)])
                    await ws.close(1001, "bye")
                    out.append(ws.close_code)
                print(json.dumps(out, ensure_ascii=False))

            asyncio.run(main(sys.argv[1], None if sys.argv[2] == "none" else "deflate"))
            """;

    @Test
    void pythonClientEchoWithAndWithoutCompression() throws Exception {
        for (String compression : List.of("deflate", "none")) {
            closes.clear();
            String out = Peer.runPython(CLIENT, "ws://127.0.0.1:" + server.port() + "/echo", compression)
                    .trim();
            String ext = compression.equals("deflate") ? "\"permessage-deflate\"" : "null";
            assertEquals(
                    "[" + ext + ", \"chat\", \"hello\", \"0001020304050607\", \"fragmented\", \"κό\", 240000,"
                            + " \"pong\", true, 1001]",
                    out);
            awaitClose("normal 1001");
        }
    }

    @Test
    void pythonClientSeesOurCloseCodesAndOurLimit() throws Exception {
        String script = """
                import asyncio, json, sys, websockets
                from websockets.exceptions import ConnectionClosed

                async def main(base):
                    out = []
                    async with websockets.connect(base + "/close4000") as ws:
                        await ws.send("go")
                        try:
                            await ws.recv()
                        except ConnectionClosed as e:
                            out.append([e.rcvd.code, e.rcvd.reason])
                    async with websockets.connect(base + "/echo", compression=None, max_size=None) as ws:
                        await ws.send(b"x" * (256 * 1024 + 1))
                        try:
                            await ws.recv()
                        except ConnectionClosed as e:
                            out.append(e.rcvd.code)
                    async with websockets.connect(base + "/ping", ping_interval=None) as ws:
                        out.append(await ws.recv())
                        await ws.send("ok")
                    print(json.dumps(out))

                asyncio.run(main(sys.argv[1]))
                """;
        String out = Peer.runPython(script, "ws://127.0.0.1:" + server.port()).trim();
        assertEquals("[[4000, \"done here\"], 1009, \"your pong came\"]", out);
    }

    @Test
    void pythonClientVanishingIsA1006ForTheHandler() throws Exception {
        closes.clear();
        String script = """
                import asyncio, sys, websockets, os
                async def main(uri):
                    ws = await websockets.connect(uri)
                    await ws.send("one")
                    await ws.recv()
                    ws.transport.abort()          # no close frame: the TCP connection just ends
                asyncio.run(main(sys.argv[1]))
                """;
        Peer.runPython(script, "ws://127.0.0.1:" + server.port() + "/echo");
        awaitClose("error 1006");
    }

    static final String SERVER = """
            import asyncio, sys, websockets

            async def handler(ws, path=None):
                path = ws.path
                if path == "/close":
                    await ws.recv()
                    await ws.close(4002, "python says bye")
                elif path == "/ping":
                    pong = await ws.ping(b"py")
                    await asyncio.wait_for(pong, 10)
                    await ws.send("pinged")
                    await ws.wait_closed()
                elif path == "/frag":
                    await ws.send(["a" * 1000, "b" * 1000, "c"])
                    await ws.send([b"\\x01", b"\\x02"])
                    await ws.wait_closed()
                else:
                    async for m in ws:
                        await ws.send(m)

            async def main():
                async with websockets.serve(handler, "127.0.0.1", 0, max_size=2**22,
                                            subprotocols=["v2", "v1"]) as server:
                    print(server.sockets[0].getsockname()[1], flush=True)
                    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)

            asyncio.run(main())
            """;

    @Test
    void spindleClientAgainstPythonServer() throws Exception {
        try (Peer py = Peer.startPython(SERVER)) {
            String port = py.readLine();
            assertTrue(port != null && port.matches("\\d+"), "the Python server's port: " + port);
            String base = "ws://127.0.0.1:" + port;
            Spindle.run(() -> {
                try (WebSocket ws = WebSocketClient.connect(
                        URI.create(base + "/echo"),
                        WebSocketOptions.builder().subprotocols("v1").build())) {
                    assertTrue(ws.isCompressed(), "websockets accepts our permessage-deflate offer");
                    assertEquals("v1", ws.subprotocol().orElseThrow());
                    ws.send("hello");
                    assertEquals("hello", ws.receive().text());
                    String big = "compressible ".repeat(60_000);
                    ws.send(big);
                    assertEquals(big, ws.receive().text());
                    byte[] bin = new byte[100_000];
                    new java.util.Random(3).nextBytes(bin);
                    ws.send(bin);
                    assertArrayEquals(bin, ws.receive().data());
                    for (int i = 0; i < 100; i++) {
                        ws.send("n" + i);
                        assertEquals("n" + i, ws.receive().text()); // context takeover both ways, message after message
                    }
                    assertFalse(ws.ping().isNegative());
                }
                WebSocket ws = WebSocketClient.connect(URI.create(base + "/close"));
                ws.send("x");
                WebSocketClosed e = assertThrows(WebSocketClosed.class, ws::receive);
                assertEquals(4002, e.code());
                assertEquals("python says bye", e.reason());

                try (WebSocket p = WebSocketClient.connect(URI.create(base + "/ping"))) {
                    assertEquals("pinged", p.receive().text(), "our reader answered Python's ping");
                }
                try (WebSocket f = WebSocketClient.connect(
                        URI.create(base + "/frag"),
                        WebSocketOptions.builder().compression(false).build())) {
                    assertEquals(
                            "a".repeat(1000) + "b".repeat(1000) + "c",
                            f.receive().text());
                    assertArrayEquals(new byte[] {1, 2}, f.receive().data());
                }
                HandshakeFailed refused = assertThrows(
                        HandshakeFailed.class,
                        () -> WebSocketClient.connect(
                                URI.create("ws://127.0.0.1:" + port.trim() + "/x"),
                                WebSocketOptions.builder()
                                        .header("Sec-WebSocket-Version", "13")
                                        .build()));
                assertTrue(refused.status() >= 400, refused.getMessage());
            });
            py.process.getOutputStream().close(); // the server's stdin ends: it stops
        }
    }

    static void awaitClose(String expected) throws InterruptedException {
        for (int i = 0; i < 500 && closes.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertEquals(List.of(expected), closes);
    }
}
