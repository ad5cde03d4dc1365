package dev.spindle.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/** Names of socket addresses for messages and task names: {@code 127.0.0.1:8080}, {@code [::1]:8080}, a path. */
final class Peers {
    private Peers() {}

    static String describe(SocketAddress a) {
        if (a instanceof InetSocketAddress inet) {
            String host = inet.isUnresolved()
                    ? inet.getHostString()
                    : inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        if (a instanceof UnixDomainSocketAddress unix) {
            String p = unix.getPath().toString();
            return p.isEmpty() ? "unix:(unnamed)" : "unix:" + p;
        }
        return String.valueOf(a);
    }

    static ConnectionLost lost(SocketAddress peer, IOException e) {
        return new ConnectionLost("connection with " + describe(peer) + " lost: " + reason(e), e);
    }

    /** What went wrong, for a message: the exception's message, or its type when it has none. */
    static String reason(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
