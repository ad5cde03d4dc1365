package dev.spindle.http.client;

import dev.spindle.testservers.Binaries;
import dev.spindle.testservers.ServerProcess;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** Python's http.server (ThreadingHTTPServer, HTTP/1.1 keep-alive) running {@code client/peer_server.py}. */
final class PythonPeer implements AutoCloseable {
    final ServerProcess process;

    PythonPeer() {
        Path python = Binaries.require("python3", "python3");
        Path script;
        try {
            script = Path.of(
                    PythonPeer.class.getResource("/client/peer_server.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        process = ServerProcess.builder("python-http-peer")
                .command((port, dir) -> List.of(python.toString(), script.toString(), String.valueOf(port)))
                .start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + process.port() + path;
    }

    int port() {
        return process.port();
    }

    @Override
    public void close() {
        process.close();
    }
}
