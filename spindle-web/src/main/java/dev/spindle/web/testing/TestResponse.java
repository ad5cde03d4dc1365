package dev.spindle.web.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.http.Headers;
import dev.spindle.web.internal.Json;
import java.nio.charset.StandardCharsets;

/**
 * A response received by the {@link TestClient}: status, headers, body, with JSON helpers.
 *
 * {@snippet :
 * TestResponse r = client.get("/items/5?q=x");
 * assertEquals(200, r.status());
 * assertEquals(5, r.json().get("item_id").asInt());
 * }
 */
public final class TestResponse {
    private final int status;
    private final Headers headers;
    private final byte[] body;

    public TestResponse(int status, Headers headers, byte[] body) {
        this.status = status;
        this.headers = headers.readOnly();
        this.body = body;
    }

    public int status() {
        return status;
    }

    public Headers headers() {
        return headers;
    }

    /** The first value of header {@code name}, or {@code null}. */
    public String header(String name) {
        return headers.get(name);
    }

    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body as a JSON tree.
     *
     * @throws IllegalStateException if it is not JSON
     */
    public JsonNode json() {
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException("the body is not JSON: " + text(), e);
        }
    }

    /** The body read into {@code type} with the framework's mapper. */
    public <T> T json(Class<T> type) {
        try {
            return Json.MAPPER.readValue(body, type);
        } catch (Exception e) {
            throw new IllegalStateException("the body is not a " + type.getSimpleName() + ": " + text(), e);
        }
    }

    @Override
    public String toString() {
        return status + " " + headers + " " + (body.length > 200 ? text().substring(0, 200) + "..." : text());
    }
}
