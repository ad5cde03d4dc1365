package dev.spindle.mysql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.IncompleteRead;
import dev.spindle.io.Server;
import dev.spindle.io.StreamReader;
import dev.spindle.io.StreamWriter;
import dev.spindle.io.Streams;
import dev.spindle.mysql.internal.codec.Capabilities;
import dev.spindle.mysql.internal.codec.PacketWriter;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * A peer that logs the client in, then answers its query with broken bytes: the query fails with a
 * {@link ProtocolError} naming what was wrong, the connection is closed, and the next use says so; nothing hangs.
 */
@SpindleTest(time = TimeMode.REAL)
class HostileServerTest {
    @Test
    void aTruncatedColumnDefinition() {
        assertBroken(
                (w, seq) -> {
                    send(w, new PacketWriter().int1(1), seq); // one column
                    send(w, new PacketWriter().int1(3).string("def").int1(9), seq + 1); // cut short
                },
                "truncated");
    }

    @Test
    void aReplyOutOfSequence() {
        assertBroken(
                (w, seq) -> send(
                        w, new PacketWriter().int1(0).int1(0).int1(0).int2(2).int2(0), seq + 5),
                "out of order");
    }

    @Test
    void aRowWithBytesToSpare() {
        assertBroken(
                (w, seq) -> {
                    send(w, new PacketWriter().int1(1), seq);
                    send(
                            w,
                            new PacketWriter()
                                    .lenencString("def")
                                    .lenencString("")
                                    .lenencString("")
                                    .lenencString("")
                                    .lenencString("x")
                                    .lenencString("x")
                                    .int1(0x0c)
                                    .int2(45)
                                    .int4(10)
                                    .int1(253)
                                    .int2(0)
                                    .int1(0)
                                    .int2(0),
                            seq + 1);
                    send(w, new PacketWriter().lenencString("1").int1(7), seq + 2); // one value, then a stray byte
                },
                "after its 1 columns");
    }

    @Test
    void aResultWithoutColumnDefinitionsTheClientNeverHad() {
        assertBroken(
                MARIADB,
                (w, seq) -> send(w, new PacketWriter().int1(1).int1(0), seq), // one column, "definitions skipped"
                "came without their definitions, which the client does not have (not a prepared statement's result)");
    }

    /** A MariaDB server (CLIENT_MYSQL clear) offering its metadata cache, as 10.6+ do. */
    private static final long MARIADB = Capabilities.CLIENT_DEFAULT & ~Capabilities.LONG_PASSWORD;

    private static void assertBroken(BiConsumer<StreamWriter, Integer> badReply, String expected) {
        assertBroken(Capabilities.CLIENT_DEFAULT, badReply, expected);
    }

    private static void assertBroken(long serverCaps, BiConsumer<StreamWriter, Integer> badReply, String expected) {
        Server peer = Streams.startServer(
                (r, w) -> {
                    try {
                        serve(r, w, serverCaps, badReply);
                    } catch (IncompleteRead e) {
                        // the client closed the broken connection
                    }
                },
                "127.0.0.1",
                0);
        try {
            int port = ((InetSocketAddress) peer.addresses().get(0)).getPort();
            MySqlConnection c = MySql.connect(MySqlOptions.builder()
                    .host("127.0.0.1")
                    .port(port)
                    .user("x")
                    .sslMode(SslMode.DISABLED)
                    .timeZone(null)
                    .build());
            ProtocolError e = assertThrows(ProtocolError.class, () -> c.fetch("SELECT 1"));
            assertTrue(e.getMessage().contains(expected), e.getMessage());
            assertFalse(c.isOpen());
            assertThrows(ConnectionLostError.class, () -> c.fetch("SELECT 1"));
            c.close();
        } finally {
            peer.close();
        }
    }

    private static void serve(StreamReader r, StreamWriter w, long caps, BiConsumer<StreamWriter, Integer> badReply) {
        byte[] nonce = "abcdefghij0123456789".getBytes();
        send(
                w,
                new PacketWriter()
                        .int1(10)
                        .nulString("5.5.5-hostile")
                        .int4(1)
                        .bytes(nonce, 0, 8)
                        .int1(0)
                        .int2((int) caps)
                        .int1(45)
                        .int2(2)
                        .int2((int) (caps >>> 16))
                        .int1(21)
                        .zeros(6)
                        .int4((int) (caps >>> 32)) // MariaDB's extended capabilities
                        .bytes(nonce, 8, 12)
                        .int1(0)
                        .nulString("mysql_native_password"),
                0);
        readPacket(r); // the login
        send(w, new PacketWriter().int1(0).int1(0).int1(0).int2(2).int2(0), 2);
        byte[] command = readPacket(r);
        badReply.accept(w, 1);
        r.readAll(); // until the client hangs up
        assertTrue(command.length > 0);
    }

    private static byte[] readPacket(StreamReader r) {
        byte[] header = r.readExactly(4);
        int len = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        return r.readExactly(len);
    }

    private static void send(StreamWriter w, PacketWriter p, int seq) {
        p.finish(seq);
        w.write(p.framed(), 0, p.framedLength());
    }
}
