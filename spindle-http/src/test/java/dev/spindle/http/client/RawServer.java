package dev.spindle.http.client;

import dev.spindle.io.Server;
import dev.spindle.io.StreamError;
import dev.spindle.io.StreamReader;
import dev.spindle.io.StreamWriter;
import dev.spindle.io.Streams;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A raw-socket HTTP server on the test's own loop that answers each request with whatever a script writes: the
 * place for hostile and broken servers. Counts connections and requests.
 */
final class RawServer implements AutoCloseable {
    /**
     * Answers one request ({@code nth} on its connection, from 1): writes bytes (or not); returns false to close the
     * connection afterwards.
     */
    @FunctionalInterface
    interface Script {
        boolean answer(String method, String target, int nth, StreamReader reader, StreamWriter writer)
                throws Exception;
    }

    final Server server;
    int connections;
    int requests;

    RawServer(Script script) {
        server = Streams.startServer(
                (reader, writer) -> {
                    connections++;
                    int nth = 0;
                    try {
                        while (true) {
                            byte[] head;
                            try {
                                head = reader.readUntil("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                            } catch (StreamError e) { // IncompleteRead at the end, or a reset
                                return;
                            }
                            requests++;
                            nth++;
                            String text = new String(head, StandardCharsets.ISO_8859_1);
                            String[] line =
                                    text.substring(0, text.indexOf("\r\n")).split(" ");
                            int cl = contentLength(text);
                            if (cl > 0 && !text.toLowerCase(Locale.ROOT).contains("expect: 100-continue")) {
                                reader.readExactly(cl);
                            }
                            if (!script.answer(line[0], line[1], nth, reader, writer)) {
                                writer.close();
                                return;
                            }
                        }
                    } finally {
                        writer.close();
                    }
                },
                "127.0.0.1",
                0);
    }

    private static int contentLength(String head) {
        for (String l : head.split("\r\n")) {
            if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(l.substring(15).strip());
            }
        }
        return 0;
    }

    int port() {
        return ((InetSocketAddress) server.addresses().getFirst()).getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    static void write(StreamWriter w, String s) {
        w.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A plain keep-alive 200 with {@code body}. */
    static boolean ok(StreamWriter w, String body) {
        write(w, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        return true;
    }

    @Override
    public void close() {
        server.close();
    }
}
