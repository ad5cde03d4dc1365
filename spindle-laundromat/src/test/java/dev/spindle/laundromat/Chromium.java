package dev.spindle.laundromat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.testservers.Binaries;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium (Debian's {@code chromium}) on one page, driven through the DevTools protocol over the JDK's
 * WebSocket client: evaluate scripts (awaiting their promises), take screenshots. The same flags as spindle-web's
 * Chromium test, and a fresh profile removed afterwards.
 */
final class Chromium implements AutoCloseable, WebSocket.Listener {
    private final Process browser;
    private final Path profile;
    private final WebSocket ws;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();

    Chromium(String url) throws Exception {
        Path chromium = Binaries.require("chromium", "chromium");
        profile = Files.createTempDirectory("spindle-chromium-");
        browser = new ProcessBuilder(
                        chromium.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--user-data-dir=" + profile,
                        "--remote-debugging-port=0",
                        "--window-size=1200,900",
                        url)
                .redirectErrorStream(true)
                .start();
        try {
            ws = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(URI.create(pageSocket(devtools(), url)), this)
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** Evaluates {@code expression} (a promise is awaited) and returns its string value. */
    String evaluate(String expression) throws Exception {
        JsonNode r = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            r = call(
                    "Runtime.evaluate",
                    Map.of("expression", expression, "awaitPromise", true, "returnByValue", true, "timeout", 60_000));
            if (!r.has("error")) {
                break;
            }
            Thread.sleep(250); // the page was still loading
        }
        if (r.at("/result/exceptionDetails").isObject()) {
            throw new AssertionError("script failed: " + r.at("/result/exceptionDetails"));
        }
        return r.at("/result/result/value").asText();
    }

    /** A PNG of the page, written to {@code file}; returns its size. */
    long screenshot(Path file) throws Exception {
        JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png"));
        byte[] png = Base64.getDecoder().decode(shot.at("/result/data").asText());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, png);
        return png.length;
    }

    private JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ws.sendText(Http.JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true);
        return f.get(90, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                JsonNode m = Http.JSON.readTree(partial.toString());
                if (m.has("id")) {
                    CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                    if (f != null) {
                        f.complete(m);
                    }
                }
            } catch (Exception e) {
                pending.values().forEach(f -> f.completeExceptionally(e));
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    private String devtools() throws Exception {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    int i = line.indexOf("ws://");
                    if (line.contains("DevTools listening on") && i >= 0) {
                        Thread.ofVirtual().start(() -> {
                            try {
                                while (out.readLine() != null) {
                                    // drain the browser's log
                                }
                            } catch (Exception gone) {
                                // the browser ended
                            }
                        });
                        return line.substring(i);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("chromium printed no DevTools address");
        });
        return url.get(60, TimeUnit.SECONDS);
    }

    private static String pageSocket(String browserWs, String pageUrl) throws Exception {
        URI u = URI.create(browserWs);
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + u.getHost() + ":" + u.getPort() + "/json/list"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode t : Http.JSON.readTree(r.body())) {
                if (t.get("type").asText().equals("page")
                        && t.get("url").asText().startsWith(pageUrl)) {
                    return t.get("webSocketDebuggerUrl").asText();
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no page " + pageUrl + " in chromium");
    }

    @Override
    public void close() throws Exception {
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done")
                    .orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null)
                    .join();
        }
        List<ProcessHandle> helpers = browser.descendants().toList();
        browser.destroy();
        if (!browser.waitFor(10, TimeUnit.SECONDS)) {
            browser.destroyForcibly();
        }
        for (ProcessHandle h : helpers) {
            h.destroy();
            h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        try (var walk = Files.walk(profile)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // a profile left in the temporary directory is harmless
        }
    }
}
