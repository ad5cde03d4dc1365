package dev.spindle.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A server on its own loop thread for a test, and raw-socket helpers to talk to it. */
final class TestServer implements AutoCloseable {
    final HttpServer server;

    TestServer(Handler handler) {
        this(handler, b -> b);
    }

    TestServer(Handler handler, UnaryOperator<HttpServerOptions.Builder> options) {
        server = HttpServer.start(
                handler,
                options.apply(HttpServerOptions.builder().port(0).loops(1)).build());
    }

    int port() {
        return server.port();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    Raw raw() throws IOException {
        return new Raw(port());
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(2));
    }

    /** A raw socket with a read timeout: bytes out, parsed responses in. */
    static final class Raw implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Raw(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        Raw send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return this;
        }

        Raw send(byte[] b) throws IOException {
            out.write(b);
            out.flush();
            return this;
        }

        /** Reads one response (head, and a Content-Length or chunked body, or to EOF when closed-delimited). */
        Reply read() throws IOException {
            return read(false);
        }

        Reply read(boolean headRequest) throws IOException {
            String headText = readHead();
            if (headText == null) {
                return null;
            }
            Reply r = new Reply(headText);
            if (headRequest || r.status < 200 || r.status == 204 || r.status == 304) {
                return r;
            }
            String cl = r.header("Content-Length");
            String te = r.header("Transfer-Encoding");
            if (te != null && te.equalsIgnoreCase("chunked")) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                while (true) {
                    String line = readLine();
                    int size = Integer.parseInt(line.split(";")[0].trim(), 16);
                    if (size == 0) {
                        while (!readLine().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    body.write(in.readNBytes(size));
                    readLine();
                }
                r.body = body.toByteArray();
            } else if (cl != null) {
                r.body = in.readNBytes(Integer.parseInt(cl));
            } else {
                r.body = in.readAllBytes();
            }
            return r;
        }

        private String readHead() throws IOException {
            StringBuilder b = new StringBuilder();
            while (true) {
                String line = readLine();
                if (line == null) {
                    return b.isEmpty() ? null : b.toString();
                }
                if (line.isEmpty()) {
                    return b.toString();
                }
                b.append(line).append('\n');
            }
        }

        private String readLine() throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    int n = b.length();
                    if (n > 0 && b.charAt(n - 1) == '\r') {
                        b.setLength(n - 1);
                    }
                    return b.toString();
                }
                b.append((char) c);
            }
            return b.isEmpty() ? null : b.toString();
        }

        /** Whether the server closed the connection (EOF, or a reset) within the read timeout. */
        boolean closedByServer() throws IOException {
            try {
                return in.read() < 0;
            } catch (java.net.SocketException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A parsed response. */
    static final class Reply {
        final int status;
        final String head;
        byte[] body = new byte[0];

        Reply(String head) {
            this.head = head;
            this.status = Integer.parseInt(head.substring(9, 12));
        }

        String header(String name) {
            for (String line : head.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return head + "\n" + text();
        }
    }
}
