package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The access and error logs reach System.Logger (java.util.logging here) when their levels are on. */
class LogsTest {
    @Test
    void accessAndErrorLines() throws Exception {
        Logger access = Logger.getLogger("dev.spindle.http.access");
        Logger error = Logger.getLogger("dev.spindle.http.error");
        Level accessBefore = access.getLevel();
        Level errorBefore = error.getLevel();
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        access.addHandler(capture);
        error.addHandler(capture);
        access.setLevel(Level.INFO);
        error.setLevel(Level.SEVERE);
        access.setUseParentHandlers(false); // captured here, not printed
        error.setUseParentHandlers(false);
        try (TestServer s = new TestServer((req, res) -> {
                    if (req.path().equals("/boom")) {
                        throw new IllegalStateException("kaput");
                    }
                    res.send("hi");
                });
                TestServer.Raw c = s.raw()) {
            c.send("GET /x?y=1 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(200, c.read().status);
            c.send("GET /boom HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(500, c.read().status);
        } finally {
            access.removeHandler(capture);
            error.removeHandler(capture);
            access.setUseParentHandlers(true);
            error.setUseParentHandlers(true);
            access.setLevel(accessBefore);
            error.setLevel(errorBefore);
        }
        String accessLine = records.stream()
                .filter(r -> r.getLoggerName().endsWith("access"))
                .map(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters()))
                .findFirst()
                .orElseThrow();
        assertTrue(accessLine.contains("\"GET /x?y=1 HTTP/1.1\" 200 2 "), accessLine);
        LogRecord err = records.stream()
                .filter(r -> r.getLoggerName().endsWith("error"))
                .findFirst()
                .orElseThrow();
        assertEquals(Level.SEVERE, err.getLevel());
        assertTrue(err.getThrown() instanceof IllegalStateException);
        assertTrue(err.getMessage().contains("GET /boom"), err.getMessage());
    }

    @Test
    void aConnectionCloseAnswerEndsBeforeItsAccessLineIsWritten() throws Exception {
        Logger access = Logger.getLogger("dev.spindle.http.access");
        Level before = access.getLevel();
        java.util.concurrent.CountDownLatch clientDone = new java.util.concurrent.CountDownLatch(1);
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler slow = new Handler() { // a log that takes its time (a cold logging backend, a slow disk)
                    @Override
                    public void publish(LogRecord r) {
                        try {
                            clientDone.await(10, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        lines.add(r.getMessage());
                    }

                    @Override
                    public void flush() {}

                    @Override
                    public void close() {}
                };
        access.addHandler(slow);
        access.setLevel(Level.INFO);
        access.setUseParentHandlers(false);
        try (TestServer s = new TestServer((req, res) -> res.send("bye"));
                java.net.Socket c = new java.net.Socket("127.0.0.1", s.port())) {
            c.setSoTimeout(5_000); // the log holds the loop for 10 s: reading to the end must not wait for it
            c.getOutputStream()
                    .write("GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(c.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            clientDone.countDown();
            assertTrue(answer.startsWith("HTTP/1.1 200 ") && answer.endsWith("\r\n\r\nbye"), answer);
        } finally {
            clientDone.countDown();
            access.removeHandler(slow);
            access.setUseParentHandlers(true);
            access.setLevel(before);
        }
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("\"GET /last HTTP/1.1\" 200 3 "), lines.get(0));
    }
}
