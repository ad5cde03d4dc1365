package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.http.internal.RequestParserTestAccess;
import dev.spindle.loop.Loop;
import dev.spindle.task.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random and mutated requests from a seeded generator, plus the smuggling and limit corpus, against a
 * live server: no crash, no hang past the deadlines, only sensible statuses, the server still serving, and no
 * connection or task left behind.
 */
class FuzzTest {
    static final long SEED = Long.getLong("spindle.http.fuzzSeed", 20261207L);
    static final int CASES = Integer.getInteger("spindle.http.fuzzCases", 5000);
    static final Set<Integer> ALLOWED = Set.of(100, 200, 400, 404, 408, 413, 414, 417, 431, 500, 501, 505);

    static final String[] TEMPLATES = {
        "GET /ok HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /ok?x=1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        "HEAD /stream HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
        "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;e=v\r\nabc\r\n0\r\nT: x\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi",
        "GET /stream HTTP/1.0\r\n\r\n",
        "GET /ok HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /ok HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /ok HTTP/1.1\r\nHost: a\r\n\r\nPOST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx",
    };

    @Test
    void randomAndMutatedRequests() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        Loop[] loop = new Loop[1];
        HttpServer[] server = new HttpServer[1];
        CountDownLatch started = new CountDownLatch(1);
        Thread serverThread = Thread.ofPlatform()
                .start(() -> Spindle.run(() -> {
                    loop[0] = Loop.current();
                    server[0] = HttpServer.start(
                            (req, res) -> {
                                handled.incrementAndGet();
                                switch (req.path()) {
                                    case "/echo" -> res.send(req.body().readAll());
                                    case "/stream" -> {
                                        try (BodyWriter w = res.stream()) {
                                            w.write("a");
                                            w.write("b");
                                        }
                                    }
                                    case "/ok" -> res.send("ok");
                                    default -> res.status(404).send();
                                }
                            },
                            HttpServerOptions.builder()
                                    .port(0)
                                    .headerTimeout(Duration.ofSeconds(1))
                                    .keepAliveTimeout(Duration.ofSeconds(1))
                                    .bodyTimeout(Duration.ofSeconds(1))
                                    .limits(RequestParserTestAccess.limits())
                                    .build());
                    started.countDown();
                    server[0].serveForever();
                }));
        assertTrue(started.await(30, TimeUnit.SECONDS));
        int port = server[0].port();
        try {
            // 1. the corpus, each with its exact status and a close
            for (Object[] c : RequestParserTestAccess.corpus()) {
                int status = (Integer) c[0];
                List<Integer> got = exchange(port, ((String) c[2]).getBytes(StandardCharsets.ISO_8859_1));
                assertEquals(List.of(status), got, (String) c[1]);
            }
            // 2. random and mutated requests, sixteen clients at a time
            java.util.Map<Integer, AtomicInteger> seen = new java.util.concurrent.ConcurrentSkipListMap<>();
            Random seeds = new Random(SEED);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < CASES; i++) {
                long seed = seeds.nextLong();
                futures.add(pool.submit(() -> {
                    byte[] req = generate(new Random(seed));
                    List<Integer> statuses;
                    try {
                        statuses = exchange(port, req);
                    } catch (SocketTimeoutException e) {
                        throw new AssertionError(
                                "no answer nor close within 10 s (seed " + seed + "): " + printable(req));
                    }
                    for (int s : statuses) {
                        seen.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet();
                        if (!ALLOWED.contains(s)) {
                            throw new AssertionError("status " + s + " (seed " + seed + ") for " + printable(req));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            System.out.println("fuzz: " + CASES + " cases (seed " + SEED + "), statuses " + seen + ", " + handled.get()
                    + " reached the handler");
            assertTrue(seen.containsKey(200) && seen.containsKey(400), "the generator covers both outcomes");
            // 3. still serving, and nothing left behind
            assertEquals(
                    List.of(200),
                    exchange(
                            port,
                            "GET /ok HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.ISO_8859_1)));
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (server[0].connections() > 0 && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertEquals(0, server[0].connections());
            List<String> tasks = loop[0].submit(() -> {
                        List<String> names = new ArrayList<>();
                        for (Task<?> t : Loop.current().allTasks()) {
                            if (!t.isDone() && t != Task.current()) {
                                names.add(t.name());
                            }
                        }
                        return names;
                    })
                    .get(10, TimeUnit.SECONDS);
            assertTrue(
                    tasks.stream().noneMatch(n -> n.startsWith("conn-") || n.startsWith("flush-")), tasks.toString());
            assertTrue(handled.get() > CASES / 10, "most mutated requests still reach the handler: " + handled.get());
        } finally {
            server[0].shutdown(Duration.ofSeconds(5));
            serverThread.join(30_000);
        }
    }

    /** A request: a template, maybe mutated a few times, maybe truncated, or pure garbage. */
    static byte[] generate(Random r) {
        int kind = r.nextInt(20);
        if (kind == 0) {
            byte[] junk = new byte[r.nextInt(600)];
            r.nextBytes(junk);
            return junk;
        }
        byte[] b = TEMPLATES[r.nextInt(TEMPLATES.length)].getBytes(StandardCharsets.ISO_8859_1);
        if (kind < 4) {
            return b; // valid
        }
        int mutations = 1 + r.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            b = mutate(r, b);
        }
        return b;
    }

    static final String[] INSERTS = {
        "\r",
        "\n",
        "\r\n",
        " ",
        "\t",
        ":",
        "\0",
        "\u00ff",
        "\r\n\r\n",
        "Content-Length: 3\r\n",
        "Transfer-Encoding: chunked\r\n",
        "Content-Length: -1\r\n",
        " chunked",
        ",",
        ";",
        "0x",
        "ffffffffffffffff",
        "HTTP/1.1",
        "Host: b\r\n",
        "Expect: 100-continue\r\n",
        "X-" + "a".repeat(150) + ": b\r\n",
    };

    static byte[] mutate(Random r, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = b.length == 0 ? 0 : r.nextInt(b.length);
        switch (r.nextInt(6)) {
            case 0 -> { // flip a byte
                byte[] c = b.clone();
                if (c.length > 0) {
                    c[at] = (byte) r.nextInt(256);
                }
                return c;
            }
            case 1 -> { // delete a run
                int n = Math.min(b.length - at, 1 + r.nextInt(8));
                out.write(b, 0, at);
                out.write(b, at + n, b.length - at - n);
            }
            case 2 -> { // insert something nasty
                byte[] ins = INSERTS[r.nextInt(INSERTS.length)].getBytes(StandardCharsets.ISO_8859_1);
                out.write(b, 0, at);
                out.writeBytes(ins);
                out.write(b, at, b.length - at);
            }
            case 3 -> { // truncate
                out.write(b, 0, at);
            }
            case 4 -> { // duplicate a run (repeated fields, pipelining)
                int n = Math.min(b.length - at, 1 + r.nextInt(40));
                out.write(b, 0, at + n);
                out.write(b, at, b.length - at);
            }
            default -> { // swap case of a run
                byte[] c = b.clone();
                for (int i = at; i < Math.min(c.length, at + 10); i++) {
                    if (Character.isLetter(c[i])) {
                        c[i] ^= 0x20;
                    }
                }
                return c;
            }
        }
        return out.toByteArray();
    }

    /**
     * Sends {@code req}, half-closes, and reads every response until the server closes: their statuses. Throws
     * SocketTimeoutException if the server neither answers nor closes within 10 s.
     */
    static List<Integer> exchange(int port, byte[] req) throws IOException {
        List<Integer> statuses = new ArrayList<>();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            try {
                s.getOutputStream().write(req);
                s.shutdownOutput();
            } catch (IOException e) {
                // the server may have answered and closed already
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    all.write(buf, 0, n);
                }
            } catch (java.net.SocketException e) {
                // a reset after the answer: what arrived counts
            }
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int i = 0;
            while ((i = text.indexOf("HTTP/1.1 ", i)) >= 0) {
                if (i == 0 || text.startsWith("\r\n", i - 2)) {
                    statuses.add(Integer.parseInt(text.substring(i + 9, i + 12)));
                }
                i += 9;
            }
        }
        return statuses;
    }

    static String printable(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xff;
            s.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return s.toString();
    }
}
