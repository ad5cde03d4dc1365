package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void helloOverKeepAlive() throws Exception {
        try (TestServer s = new TestServer((req, res) -> res.send("hello " + req.path()));
                TestServer.Raw c = s.raw()) {
            c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
            TestServer.Reply r = c.read();
            assertEquals(200, r.status, r.toString());
            assertEquals("hello /a", r.text());
            c.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("hello /b", c.read().text());
        }
    }
}
