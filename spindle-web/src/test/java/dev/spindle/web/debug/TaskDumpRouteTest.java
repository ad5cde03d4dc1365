package dev.spindle.web.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.Headers;
import dev.spindle.observe.DumpEndpoint;
import dev.spindle.web.App;
import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import org.junit.jupiter.api.Test;

/** Issue 14: the task dump mounted at /debug/spindle/tasks, off by default, behind a bearer token when on. */
class TaskDumpRouteTest {
    private static final String TOKEN = "test-token-0123456789abcdef";

    private static Headers bearer(String token) {
        Headers h = new Headers();
        h.add("Authorization", "Bearer " + token);
        return h;
    }

    @Test
    void withATokenTheDumpShowsTheServersTasksOnlyToItsBearer() {
        App app = new App();
        TaskDumpRoute.mount(app, DumpEndpoint.withToken(TOKEN));
        try (TestClient client = TestClient.serve(app)) {
            assertEquals(401, client.get(TaskDumpRoute.PATH).status());
            TestResponse wrong = client.get(TaskDumpRoute.PATH, bearer(TOKEN + "x"));
            assertEquals(401, wrong.status());
            assertEquals("Bearer realm=\"spindle\"", wrong.header("WWW-Authenticate"));

            TestResponse text = client.get(TaskDumpRoute.PATH, bearer(TOKEN));
            assertEquals(200, text.status(), text.text());
            assertTrue(text.header("Content-Type").startsWith("text/plain"), text.header("Content-Type"));
            assertEquals("no-store", text.header("Cache-Control"));
            // the request being served is a task of the server's loop: it runs the dump
            assertTrue(text.text().contains("running"), text.text());

            TestResponse json = client.get(TaskDumpRoute.PATH + "?format=json", bearer(TOKEN));
            assertEquals(200, json.status());
            assertTrue(json.header("Content-Type").startsWith("application/json"), json.header("Content-Type"));
            assertTrue(json.json().get("loops").isArray(), json.text());

            assertEquals(
                    400,
                    client.get(TaskDumpRoute.PATH + "?format=xml", bearer(TOKEN))
                            .status());
            TestResponse post = client.request("POST", TaskDumpRoute.PATH, bearer(TOKEN), new byte[0]);
            assertEquals(405, post.status());
            assertEquals(
                    404,
                    client.get(TaskDumpRoute.PATH + "/below", bearer(TOKEN)).status());

            TestResponse head = client.head(TaskDumpRoute.PATH);
            assertEquals(401, head.status());
        }
    }

    @Test
    void offByDefaultTheRouteAnswers404AndStaysOutOfTheSchema() {
        String before = System.getProperty(TaskDumpRoute.TOKEN_PROPERTY);
        System.clearProperty(TaskDumpRoute.TOKEN_PROPERTY);
        try {
            App app = new App();
            TaskDumpRoute.mountFromEnvironment(app);
            try (TestClient client = TestClient.serve(app)) {
                boolean envSet = System.getenv(TaskDumpRoute.TOKEN_ENV) != null;
                if (!envSet) {
                    assertEquals(
                            404, client.get(TaskDumpRoute.PATH, bearer(TOKEN)).status());
                }
                assertFalse(client.get("/openapi.json").text().contains("/debug/spindle"), "not in the schema");
            }
            System.setProperty(TaskDumpRoute.TOKEN_PROPERTY, TOKEN);
            App on = new App();
            TaskDumpRoute.mountFromEnvironment(on);
            try (TestClient client = TestClient.serve(on)) {
                assertEquals(200, client.get(TaskDumpRoute.PATH, bearer(TOKEN)).status());
            }
        } finally {
            if (before == null) {
                System.clearProperty(TaskDumpRoute.TOKEN_PROPERTY);
            } else {
                System.setProperty(TaskDumpRoute.TOKEN_PROPERTY, before);
            }
        }
    }
}
