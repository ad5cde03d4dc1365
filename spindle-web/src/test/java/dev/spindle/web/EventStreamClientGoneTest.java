package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.ConnectionLost;
import dev.spindle.web.responses.Response;
import dev.spindle.web.testing.TestClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A server-sent-event stream whose client goes away: the body's next send throws {@link ConnectionLost}, and the
 * stream's close must not turn that into "Self-suppression not permitted" (the failed connection rethrows the same
 * exception instance), which was answered as a handler failure and logged.
 */
class EventStreamClientGoneTest {
    static final CountDownLatch ended = new CountDownLatch(1);
    static final List<Throwable> seen = new CopyOnWriteArrayList<>();

    static final class Routes {
        @Get("/ticks")
        Response ticks() {
            return Response.events(events -> {
                try {
                    for (int i = 0; i < 100_000; i++) { // bounded: ends long before this when the client leaves
                        events.send("tick " + i);
                        Thread.sleep(5);
                    }
                } catch (Throwable t) {
                    seen.add(t);
                    throw t;
                } finally {
                    ended.countDown();
                }
            });
        }
    }

    @Test
    void aClientGoingAwayEndsTheStreamQuietly() throws Exception {
        Logger errors = Logger.getLogger("dev.spindle.http.error");
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Level before = errors.getLevel();
        errors.setLevel(java.util.logging.Level.ALL);
        errors.addHandler(capture);
        try (TestClient client = TestClient.serve(new App().include(new Routes()))) {
            try (Socket s = new Socket("127.0.0.1", client.port())) {
                s.getOutputStream().write("GET /ticks HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("data: tick")) {
                        break; // one event seen: leave
                    }
                }
            }
            assertTrue(ended.await(60, TimeUnit.SECONDS), "the stream's body never ended");
            Thread.sleep(200); // the connection's coroutine finishes after the body
        } finally {
            errors.removeHandler(capture);
            errors.setLevel(before);
        }
        assertEquals(1, seen.size(), seen.toString());
        assertTrue(seen.get(0) instanceof ConnectionLost, seen.toString());
        for (LogRecord r : logged) {
            String text = r.getMessage() + " " + r.getThrown();
            assertTrue(!text.contains("Self-suppression") && !text.contains("handler failed"), text);
        }
    }
}
