package dev.spindle.laundromat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small JSON client over the JDK's HttpClient, for the tests (a plain-thread peer, not Spindle's own client). */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    final String base;
    final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    record Reply(int status, JsonNode json, String text, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Http(String base) {
        this.base = base;
    }

    Reply get(String path, String token) {
        return send("GET", path, null, token);
    }

    Reply post(String path, Object body, String token) {
        return send("POST", path, body, token);
    }

    Reply delete(String path, String token) {
        return send("DELETE", path, null, token);
    }

    Reply send(String method, String path, Object body, String token) {
        try {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            if (body != null) {
                b.header("Content-Type", "application/json");
                b.method(
                        method,
                        HttpRequest.BodyPublishers.ofString(
                                body instanceof String s ? s : JSON.writeValueAsString(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = r.body().isEmpty() ? null : JSON.readTree(r.body());
            } catch (Exception notJson) {
                // the page, or a plain-text error
            }
            return new Reply(r.statusCode(), json, r.body(), r);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        }
    }

    /** Registers {@code name} and logs in: the token. */
    String signUp(String name) {
        Map<String, String> creds = Map.of("name", name, "password", "password-" + name);
        Reply r = post("/customers", creds, null);
        if (r.status() != 201) {
            throw new AssertionError("register " + name + ": " + r.status() + " " + r.text());
        }
        Reply t = post("/token", creds, null);
        if (t.status() != 200) {
            throw new AssertionError("login " + name + ": " + t.status() + " " + t.text());
        }
        return t.json().get("accessToken").asText();
    }

    /** Polls until {@code check} holds, at most 60 s (a hang guard, not a timing assertion). */
    static void eventually(String what, java.util.function.BooleanSupplier check) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!check.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
