package dev.spindle.mysql.internal.codec;

import dev.spindle.mysql.ProtocolError;
import java.nio.charset.StandardCharsets;

/**
 * The server's greeting (Protocol::HandshakeV10): version, connection (thread) id, the 20-byte scramble, the offered
 * capabilities (MariaDB's extended ones included), the default collation and the default auth plugin.
 */
public record Handshake(
        String serverVersion,
        long connectionId,
        byte[] scramble,
        long capabilities,
        int collation,
        int status,
        String authPlugin) {

    /** Whether the server is MariaDB (it says so by clearing CLIENT_LONG_PASSWORD, and in its version). */
    public boolean isMariaDb() {
        return (capabilities & Capabilities.LONG_PASSWORD) == 0 || serverVersion.contains("MariaDB");
    }

    /**
     * Parses a greeting payload.
     *
     * @throws dev.spindle.mysql.ServerError when the server greets with an error (too many connections, host blocked)
     * @throws ProtocolError for anything but protocol version 10, or a truncated greeting
     */
    public static Handshake parse(Payload p) {
        int version = p.peek();
        if (version == 0xFF) {
            throw ErrPacket.parse(p).toException();
        }
        p.int1();
        if (version != 10) {
            throw new ProtocolError("unsupported handshake protocol version " + version + " (only 10 is spoken)");
        }
        String serverVersion = p.nulString();
        long connectionId = p.int4() & 0xFFFFFFFFL;
        byte[] part1 = p.bytes(8);
        p.skip(1);
        long caps = p.int2();
        int collation = 0;
        int status = 0;
        int authDataLen = 0;
        if (p.hasRemaining()) {
            collation = p.int1();
            status = p.int2();
            caps |= (long) p.int2() << 16;
            authDataLen = p.int1();
            p.skip(6);
            long ext = p.int4() & 0xFFFFFFFFL;
            if ((caps & Capabilities.LONG_PASSWORD) == 0) {
                caps |= ext << 32; // MariaDB's extended capabilities
            }
        }
        if ((caps & Capabilities.PROTOCOL_41) == 0) {
            throw new ProtocolError(
                    "server " + serverVersion + " does not speak protocol 4.1, which this client needs");
        }
        byte[] scramble = part1;
        if ((caps & Capabilities.SECURE_CONNECTION) != 0) {
            int n = Math.min(Math.max(13, authDataLen - 8), p.remaining());
            byte[] part2 = p.bytes(n);
            int useful = n > 0 && part2[n - 1] == 0 ? n - 1 : n; // the scramble's second part ends with a NUL
            scramble = new byte[8 + useful];
            System.arraycopy(part1, 0, scramble, 0, 8);
            System.arraycopy(part2, 0, scramble, 8, useful);
        }
        String plugin = "mysql_native_password";
        if ((caps & Capabilities.PLUGIN_AUTH) != 0 && p.hasRemaining()) {
            int start = p.position();
            int end = start;
            byte[] a = p.array();
            while (end < p.end() && a[end] != 0) {
                end++;
            }
            plugin = new String(a, start, end - start, StandardCharsets.UTF_8); // some servers omit the final NUL
            p.position(Math.min(p.end(), end + 1));
        }
        return new Handshake(serverVersion, connectionId, scramble, caps, collation, status, plugin);
    }
}
