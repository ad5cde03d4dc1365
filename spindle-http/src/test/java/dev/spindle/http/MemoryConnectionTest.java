package dev.spindle.http;

import static dev.spindle.Spindle.await;
import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.client.ClientResponse;
import dev.spindle.http.client.HttpClient;
import dev.spindle.http.websocket.Message;
import dev.spindle.http.websocket.WebSocket;
import dev.spindle.http.websocket.WebSocketClient;
import dev.spindle.http.websocket.WebSocketOptions;
import dev.spindle.io.ConnectionPair;
import dev.spindle.io.Streams;
import dev.spindle.task.Task;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HttpServer#serveConnection} over {@link Streams#memoryPair()}: the real codec without a socket, driven by
 * the {@link HttpClient} through its {@code connector}, by {@link WebSocketClient#connect(URI,
 * dev.spindle.io.Connection, WebSocketOptions)}, and by raw bytes.
 */
@Timeout(30)
class MemoryConnectionTest {
    private static final HttpServerOptions OPTIONS = HttpServerOptions.defaults();

    private static final Handler APP = (req, res) -> {
        switch (req.path()) {
            case "/hello" -> res.send("hello " + req.rawQuery() + " from " + req.remoteAddress());
            case "/stream" -> {
                try (BodyWriter out = res.stream()) {
                    for (int i = 0; i < 5; i++) {
                        out.write("part " + i + "\n");
                        out.flush();
                    }
                }
            }
            case "/fail" -> throw new IllegalStateException("the handler broke");
            case "/ws" ->
                WebSocket.handler((r, ws) -> {
                            for (Message m : ws) {
                                ws.send("echo " + m.text());
                            }
                        })
                        .handle(req, res);
            default -> res.status(404).send("no " + req.path());
        }
    };

    /** A client whose every new connection is one end of a memory pair served by {@link #APP}; counts them. */
    private static HttpClient client(AtomicInteger connections, List<Task<Void>> served) {
        return HttpClient.builder()
                .connector((host, port, tls) -> {
                    connections.incrementAndGet();
                    ConnectionPair p = Streams.memoryPair();
                    served.add(spawn(() -> HttpServer.serveConnection(APP, p.second(), OPTIONS)));
                    return p.first();
                })
                .build();
    }

    @Test
    void aKeepAliveSequenceOfRequestsUsesOneConnection() {
        AtomicInteger connections = new AtomicInteger();
        List<Task<Void>> served = new ArrayList<>();
        run(() -> {
            try (HttpClient c = client(connections, served)) {
                String first = null;
                for (int i = 0; i < 3; i++) {
                    ClientResponse r = c.get("http://testserver/hello?n=" + i);
                    assertEquals(200, r.status());
                    assertTrue(r.text().startsWith("hello n=" + i + " from memory:"), r.text());
                    assertNotNull(r.headers().get("Date"), "the server's codec adds Date");
                    String from = r.text().substring(r.text().indexOf("from"));
                    first = first == null ? from : first;
                    assertEquals(first, from, "the same connection each time");
                }
            }
            for (Task<Void> t : served) {
                await(t); // the client's close ended the connection, and serving returned
            }
        });
        assertEquals(1, connections.get());
    }

    @Test
    void aStreamedResponseIsChunked() {
        run(() -> {
            try (HttpClient c = client(new AtomicInteger(), new ArrayList<>())) {
                ClientResponse r = c.get("http://testserver/stream");
                assertEquals(200, r.status());
                assertEquals("chunked", r.headers().get("Transfer-Encoding"));
                assertEquals("part 0\npart 1\npart 2\npart 3\npart 4\n", r.text());
            }
        });
    }

    @Test
    void aHandlerFailureIsAnswered500AndTheConnectionGoesOn() {
        AtomicInteger connections = new AtomicInteger();
        run(() -> {
            try (HttpClient c = client(connections, new ArrayList<>())) {
                assertEquals(500, c.get("http://testserver/fail").status());
                assertEquals(404, c.get("http://testserver/none").status());
            }
        });
        assertEquals(1, connections.get(), "a 500 before the response began keeps the connection");
    }

    @Test
    void aMalformedRequestIsAnswered400AndEndsServing() {
        String answer = run(() -> {
            ConnectionPair p = Streams.memoryPair();
            Task<Void> serving = spawn(() -> HttpServer.serveConnection(APP, p.second(), OPTIONS));
            p.first()
                    .writer()
                    .write("GET /hello HTTP/1.1\r\nHost testserver\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String got = new String(p.first().reader().readAll(), StandardCharsets.ISO_8859_1);
            p.first().close(); // ends the server's lingering close
            await(serving);
            return got;
        });
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertTrue(answer.contains("Connection: close"), answer);
    }

    @Test
    void aWebSocketEchoesOverAGivenConnection() {
        List<String> got = run(() -> {
            ConnectionPair p = Streams.memoryPair();
            Task<Void> serving = spawn(() -> HttpServer.serveConnection(APP, p.second(), OPTIONS));
            List<String> replies = new ArrayList<>();
            try (WebSocket ws =
                    WebSocketClient.connect(URI.create("ws://testserver/ws"), p.first(), WebSocketOptions.defaults())) {
                ws.send("one");
                replies.add(ws.receive().text());
                ws.send("two");
                replies.add(ws.receive().text());
                replies.add(String.valueOf(ws.remoteAddress()));
            }
            await(serving);
            return replies;
        });
        assertEquals("echo one", got.get(0));
        assertEquals("echo two", got.get(1));
        assertTrue(got.get(2).startsWith("memory:"), got.get(2));
    }

    @Test
    void servingAConnectionOutsideACoroutineIsRefused() {
        ConnectionPair[] p = new ConnectionPair[1];
        run(() -> {
            p[0] = Streams.memoryPair();
        });
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> HttpServer.serveConnection(APP, p[0].second(), OPTIONS));
        assertTrue(e.getMessage().contains("must be called from a coroutine"), e.getMessage());
    }
}
