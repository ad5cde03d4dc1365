package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.testservers.Binaries;
import dev.spindle.web.testing.TestClient;
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
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Swagger UI served offline from the webjar, loaded in headless Chromium (Debian's chromium) and driven through the
 * DevTools protocol: an operation is opened, "Try it out", a path parameter typed, "Execute" pressed, and the
 * response shown on the page is checked; a screenshot is left in target/swagger-ui.png.
 */
class SwaggerUiChromiumTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void executeAnOperationFromSwaggerUi() throws Exception {
        Path chromium = Binaries.require("chromium", "chromium");
        // not @TempDir: chromium's helper processes may still write there while JUnit deletes it
        Path profile = Files.createTempDirectory("spindle-chromium-");
        try (TestClient client = TestClient.serve(TutorialApp.app())) {
            Process browser = new ProcessBuilder(
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
                            "--window-size=1280,1400",
                            client.baseUrl() + "/docs")
                    .redirectErrorStream(true)
                    .start();
            try {
                String devtools = devtoolsUrl(browser);
                String page = pageSocket(devtools);
                try (Cdp cdp = new Cdp(page)) {
                    String result = cdp.evaluate(EXECUTE_READ_ITEM);
                    assertEquals("200|{\"item_id\":42}", result.replaceAll("\\s", ""), result);
                    JsonNode shot = cdp.call("Page.captureScreenshot", Map.of("format", "png"));
                    byte[] png =
                            Base64.getDecoder().decode(shot.at("/result/data").asText());
                    Files.createDirectories(Path.of("target"));
                    Files.write(Path.of("target/swagger-ui.png"), png);
                    assertTrue(png.length > 10_000);
                }
            } finally {
                List<ProcessHandle> helpers = browser.descendants().toList();
                browser.destroy();
                if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                    browser.destroyForcibly();
                }
                for (ProcessHandle h : helpers) {
                    h.destroy();
                    h.onExit()
                            .orTimeout(10, TimeUnit.SECONDS)
                            .exceptionally(e -> null)
                            .join();
                }
                deleteQuietly(profile);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // a profile left in the temporary directory is harmless
        }
    }

    /** Opens "Read Item" of /path/items/{item_id}, tries it out with 42, and returns "status|body" shown. */
    static final String EXECUTE_READ_ITEM = """
            (async () => {
              const sleep = ms => new Promise(r => setTimeout(r, ms));
              const id = '#operations-default-readItem_path_items__item_id__get';
              for (let i = 0; i < 200 && !document.querySelector(id); i++) await sleep(100);
              const op = document.querySelector(id);
              if (!op.classList.contains('is-open')) (op.querySelector('.opblock-summary-control') || op.querySelector('.opblock-summary')).click();
              for (let i = 0; i < 50 && !op.querySelector('.try-out__btn'); i++) await sleep(100);
              const tryOut = op.querySelector('.try-out__btn');
              if (!tryOut.classList.contains('cancel')) tryOut.click();
              for (let i = 0; i < 50 && !op.querySelector('input[placeholder="item_id"]'); i++) await sleep(100);
              const input = op.querySelector('input[placeholder="item_id"]');
              Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, '42');
              input.dispatchEvent(new Event('input', {bubbles: true}));
              input.dispatchEvent(new Event('change', {bubbles: true}));
              await sleep(1200); // Swagger UI's inputs debounce their changes
              const old = op.querySelector('.live-responses-table');
              if (old) old.remove();
              op.querySelector('.execute').click();
              for (let i = 0; i < 100 && !op.querySelector('.live-responses-table tbody .response-col_status'); i++) await sleep(100);
              await sleep(300);
              const table = op.querySelector('.live-responses-table');
              if (!table) return 'NO TABLE: ' + input.value + ' ' + op.innerText.slice(0, 1500);
              return table.querySelector('tbody .response-col_status').innerText.trim().split(/\\s/)[0] + '|'
                  + (table.querySelector('.response-col_description pre') || table.querySelector('.response-col_description code')).innerText;
            })()
            """;

    private static String devtoolsUrl(Process browser) throws Exception {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    int i = line.indexOf("ws://");
                    if (line.contains("DevTools listening on") && i >= 0) {
                        String found = line.substring(i);
                        Thread.ofVirtual().start(() -> {
                            try {
                                while (out.readLine() != null) {
                                    // drain the browser's log
                                }
                            } catch (Exception ignored) {
                                // the browser went away
                            }
                        });
                        return found;
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("chromium printed no DevTools address");
        });
        return url.get(60, TimeUnit.SECONDS);
    }

    private static String pageSocket(String browserWs) throws Exception {
        URI u = URI.create(browserWs);
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + u.getHost() + ":" + u.getPort() + "/json/list"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode t : JSON.readTree(r.body())) {
                if (t.get("type").asText().equals("page")
                        && t.get("url").asText().endsWith("/docs")) {
                    return t.get("webSocketDebuggerUrl").asText();
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no /docs page in chromium");
    }

    /** A minimal Chrome DevTools Protocol client over the JDK's WebSocket. */
    static final class Cdp implements WebSocket.Listener, AutoCloseable {
        final WebSocket ws;
        final AtomicInteger ids = new AtomicInteger();
        final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        final StringBuilder partial = new StringBuilder();

        Cdp(String url) throws Exception {
            ws = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(URI.create(url), this)
                    .get(30, TimeUnit.SECONDS);
        }

        JsonNode call(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            pending.put(id, f);
            ws.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true);
            return f.get(60, TimeUnit.SECONDS);
        }

        String evaluate(String expression) throws Exception {
            JsonNode r = null;
            for (int attempt = 0; attempt < 20; attempt++) {
                r = call(
                        "Runtime.evaluate",
                        Map.of(
                                "expression",
                                expression,
                                "awaitPromise",
                                true,
                                "returnByValue",
                                true,
                                "timeout",
                                30_000));
                if (!r.has("error")) {
                    break;
                }
                Thread.sleep(250); // the page was still loading (its first context replaced): try again
            }
            if (r.at("/result/exceptionDetails").isObject()) {
                throw new AssertionError("script failed: " + r.at("/result/exceptionDetails"));
            }
            if (!r.at("/result/result/value").isTextual()) {
                throw new AssertionError("no value: " + r);
            }
            return r.at("/result/result/value").asText();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(partial.toString());
                    if (m.has("id")) {
                        CompletableFuture<JsonNode> f =
                                pending.remove(m.get("id").asInt());
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

        @Override
        public void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done")
                    .orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null)
                    .join();
        }

        @SuppressWarnings("unused")
        Duration timeout() {
            return Duration.ofSeconds(60);
        }
    }
}
