package dev.spindle.testservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on 127.0.0.1 for servers the tests start. */
public final class FreePorts {
    private FreePorts() {}

    /**
     * A port that was free a moment ago. Another process may take it before the server binds it; {@link
     * ServerProcess} retries on a new port when the server fails to start for that reason.
     */
    public static int find() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
        }
    }
}
