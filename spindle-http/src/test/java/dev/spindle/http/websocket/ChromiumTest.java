package dev.spindle.http.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.http.Handler;
import dev.spindle.http.HttpServer;
import dev.spindle.http.HttpServerOptions;
import dev.spindle.testservers.Binaries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Headless Chromium opens a page served by Spindle's server; the page's script talks to a Spindle WebSocket
 * (compressed: Chromium offers permessage-deflate), writes what happened into the DOM and posts the same text back,
 * which the test asserts on.
 */
class ChromiumTest {
    // Chromium's helper processes may write into the profile for a moment after the browser exits: the directory is
    // removed after they are all gone, best effort, instead of by @TempDir (whose failed cleanup fails the test).
    Path profile;

    static final String PAGE = """
            <!doctype html><html><head><meta charset="utf-8"><title>ws</title></head><body>running</body>
            <script>
            const out = [];
            const ws = new WebSocket(`ws://${location.host}/ws`, ["chat"]);
            ws.binaryType = "arraybuffer";
            let step = 0;
            ws.onopen = () => { out.push("open " + ws.extensions + " / " + ws.protocol); ws.send("hello"); };
            ws.onmessage = (e) => {
              step++;
              if (step === 1) { out.push("echo " + e.data); ws.send("spindle ".repeat(50000)); }
              else if (step === 2) { out.push("big " + e.data.length); ws.send(new Uint8Array([1, 2, 3, 250])); }
              else if (step === 3) { out.push("bin " + Array.from(new Uint8Array(e.data)).join(",")); ws.send("κόσμε 😀"); }
              else if (step === 4) { out.push("utf8 " + e.data); ws.send("close please"); }
              else if (e.data.length > 100) {
                out.push("server streams " + e.data.length + " " + (e.data === "κόσμε".repeat(1000)));
              }
              else { out.push("server says " + e.data); }
            };
            ws.onerror = () => out.push("error");
            ws.onclose = (e) => {
              out.push("close " + e.code + " " + e.reason + " " + e.wasClean);
              document.body.textContent = out.join("\\n");
              fetch("/result", {method: "POST", body: document.body.textContent});
            };
            </script></html>
            """;

    @Test
    void chromiumTalksToASpindleWebSocket() throws Exception {
        profile = Files.createTempDirectory("spindle-chromium-");
        Path chromium = Binaries.require("chromium", "chromium");
        CompletableFuture<String> result = new CompletableFuture<>();
        Handler ws = WebSocket.handler(
                // every message over 1000 bytes fragmented: Chromium reassembles (and inflates) them
                WebSocketOptions.builder()
                        .subprotocols("chat")
                        .fragmentSize(1000)
                        .build(),
                (req, socket) -> {
                    for (Message m : socket) {
                        if (m.isText() && m.text().equals("close please")) {
                            socket.send("compressed=" + socket.isCompressed());
                            try (MessageWriter out = socket.startTextMessage()) { // 10,000 bytes, 7 characters a write
                                String text = "κόσμε".repeat(1000);
                                for (int i = 0; i < text.length(); i += 7) {
                                    out.write(text.substring(i, Math.min(text.length(), i + 7)));
                                }
                            }
                            socket.close(4001, "done");
                            return;
                        }
                        socket.send(m);
                    }
                });
        HttpServer server = HttpServer.start(
                (req, res) -> {
                    switch (req.path()) {
                        case "/ws" -> ws.handle(req, res);
                        case "/result" -> {
                            result.complete(new String(req.body().readAll(1 << 16), StandardCharsets.UTF_8));
                            res.status(204).send();
                        }
                        default -> res.contentType("text/html; charset=utf-8").send(PAGE);
                    }
                },
                HttpServerOptions.builder().port(0).loops(1).build());
        Process p = null;
        try {
            Files.createDirectories(profile);
            p = new ProcessBuilder(List.of(
                            chromium.toString(),
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--user-data-dir=" + profile,
                            "--remote-debugging-port=0", // keeps the browser running with the page open
                            "http://127.0.0.1:" + server.port() + "/"))
                    .redirectErrorStream(true)
                    .redirectOutput(profile.resolve("chromium.log").toFile())
                    .start();
            String text;
            try {
                text = result.get(90, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the page posted no result in 90 s; Chromium said:\n"
                        + Files.readString(profile.resolve("chromium.log")));
            }
            assertEquals(
                    String.join(
                            "\n",
                            "open permessage-deflate / chat",
                            "echo hello",
                            "big 400000",
                            "bin 1,2,3,250",
                            "utf8 κόσμε 😀",
                            "server says compressed=true",
                            "server streams 5000 true",
                            "close 4001 done true"),
                    text);
        } finally {
            if (p != null) {
                List<ProcessHandle> helpers = p.descendants().toList();
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                for (ProcessHandle h : helpers) {
                    h.destroyForcibly();
                    h.onExit().get(10, TimeUnit.SECONDS);
                }
            }
            deleteQuietly(profile);
            server.shutdown(Duration.ofSeconds(2));
        }
    }

    private static void deleteQuietly(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException ignored) {
            // a leftover in the temp directory is harmless; the temp cleaner takes it
        }
    }
}
