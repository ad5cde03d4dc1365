package dev.spindle.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import org.junit.jupiter.api.Test;

class DumpEndpointTest {
    private static final String TOKEN = "s3cret-token-0123456789";

    @Test
    void offByDefaultItAnswersNotFound() {
        DumpEndpoint off = DumpEndpoint.disabled();
        assertFalse(off.isEnabled());
        assertEquals(404, off.handle("GET", "Bearer " + TOKEN, null).status());
    }

    @Test
    void withATokenItServesTheDumpOnlyToBearersOfIt() {
        DumpEndpoint on = DumpEndpoint.withToken(TOKEN);
        DumpEndpoint.Response none = on.handle("GET", null, null);
        assertEquals(401, none.status());
        assertEquals("Bearer realm=\"spindle\"", none.header("www-authenticate"));
        assertEquals(401, on.handle("GET", "Bearer " + TOKEN + "x", null).status());
        assertEquals(401, on.handle("GET", "Basic " + TOKEN, null).status());
        assertEquals(401, on.handle("GET", "Bearer", null).status());
        DumpEndpoint.Response post = on.handle("POST", "Bearer " + TOKEN, null);
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.header("Allow"));
        assertEquals(400, on.handle("GET", "Bearer " + TOKEN, "xml").status());

        DumpEndpoint.Response[] seen = new DumpEndpoint.Response[3];
        Spindle.run(() -> {
            Spindle.spawn("visible", () -> {
                Spindle.sleep(java.time.Duration.ofHours(1));
                return null;
            });
            Spindle.sleep(java.time.Duration.ofMillis(10));
            // the framework would call it from a handler coroutine: a dump from a coroutine of the loop works too
            seen[0] = on.handle("GET", "bearer " + TOKEN, "json");
            seen[1] = on.handle("GET", "Bearer " + TOKEN, null);
            seen[2] = on.handle("HEAD", "Bearer " + TOKEN, "table");
            return null;
        });
        assertEquals(200, seen[0].status());
        assertEquals("application/json", seen[0].header("Content-Type"));
        assertEquals("no-store", seen[0].header("Cache-Control"));
        assertTrue(seen[0].bodyText().contains("\"name\":\"visible\""), seen[0].bodyText());
        assertEquals(Integer.toString(seen[0].body().length), seen[0].header("Content-Length"));
        assertEquals("text/plain; charset=utf-8", seen[1].header("Content-Type"));
        assertTrue(seen[1].bodyText().contains("Task 'visible'"), seen[1].bodyText());
        assertEquals(200, seen[2].status());
        assertEquals(0, seen[2].body().length);
    }

    @Test
    void weakTokensAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DumpEndpoint.withToken("short"));
        assertThrows(IllegalArgumentException.class, () -> DumpEndpoint.withToken("has a space in it, long enough"));
    }
}
