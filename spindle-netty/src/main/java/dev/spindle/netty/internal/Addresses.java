package dev.spindle.netty.internal;

import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Not API: the JDK's socket addresses to Netty's and back. Streams speak {@link InetSocketAddress} and
 * {@link UnixDomainSocketAddress}, as the JDK backend does; Netty's native sockets take {@link DomainSocketAddress}
 * for paths. (An IPv4 peer of a dual-stack socket comes back as IPv4: {@link InetAddress#getByAddress} unmaps
 * IPv4-mapped addresses, as the JDK's sockets do.)
 */
final class Addresses {
    private Addresses() {}

    /** {@code address} as Netty's native socket calls take it. */
    static SocketAddress toNetty(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress unix) {
            return new DomainSocketAddress(unix.getPath().toString());
        }
        if (address instanceof InetSocketAddress inet) {
            if (inet.isUnresolved()) {
                throw new IllegalArgumentException("unresolved address " + inet + ": resolve it first");
            }
            return inet;
        }
        throw new IllegalArgumentException("not a TCP or Unix domain address: " + address);
    }

    static SocketAddress local(Socket socket, boolean domain) {
        if (domain) {
            DomainSocketAddress a = socket.localDomainSocketAddress();
            return UnixDomainSocketAddress.of(a == null ? "" : a.path());
        }
        return socket.localAddress();
    }

    static SocketAddress remote(Socket socket, boolean domain) {
        if (domain) {
            DomainSocketAddress a = socket.remoteDomainSocketAddress();
            return UnixDomainSocketAddress.of(a == null ? "" : a.path());
        }
        return socket.remoteAddress();
    }
}
