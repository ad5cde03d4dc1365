package dev.spindle.io.tls;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.Connection;
import dev.spindle.io.ConnectionLost;
import dev.spindle.io.Server;
import dev.spindle.io.StreamError;
import dev.spindle.io.StreamReader;
import dev.spindle.io.StreamWriter;
import dev.spindle.io.Streams;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** startTls: a plain connection upgraded in place, SMTP-STARTTLS style, on both sides. */
@Timeout(60)
class StartTlsTest {
    /**
     * A STARTTLS server: plain lines until "STARTTLS", answered "220 ready" and then upgraded; every later line is
     * echoed with the TLS protocol in use. Failures of the upgrade are recorded in {@code errors}.
     */
    private static Server starttlsServer(List<Throwable> errors, boolean answer, Duration delayBeforeReading) {
        return Streams.startServer(
                (reader, writer) -> {
                    if (delayBeforeReading != null) {
                        sleep(delayBeforeReading);
                    }
                    String line;
                    while (!(line = text(reader.readLine())).equals("STARTTLS")) {
                        writer.write(("plain " + line + "\n").getBytes(US_ASCII));
                    }
                    if (answer) {
                        writer.write("220 ready\n".getBytes(US_ASCII));
                    }
                    try {
                        writer.startTls(TestCerts.server());
                    } catch (RuntimeException e) {
                        errors.add(e);
                        return;
                    }
                    for (String l : reader.lines()) {
                        writer.write(("tls " + l + " over "
                                        + writer.tlsSession().orElseThrow().getProtocol() + "\n")
                                .getBytes(US_ASCII));
                        writer.drain();
                    }
                },
                "127.0.0.1",
                0);
    }

    private static int port(Server s) {
        return ((InetSocketAddress) s.addresses().getFirst()).getPort();
    }

    private static String text(byte[] line) {
        return new String(line, US_ASCII).trim();
    }

    private static void send(Connection c, String line) {
        c.writer().write((line + "\n").getBytes(US_ASCII));
    }

    @Test
    void aClientAndServerUpgradeAnOpenConnectionAndKeepTheirReaderAndWriter() {
        List<String> got = run(() -> {
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            Server server = starttlsServer(errors, true, null);
            Connection c = Streams.openConnection("localhost", port(server));
            StreamReader reader = c.reader();
            StreamWriter writer = c.writer();
            List<String> lines = new ArrayList<>();
            send(c, "EHLO me");
            lines.add(text(reader.readLine()));
            assertTrue(writer.tlsSession().isEmpty(), "plain before the upgrade");
            send(c, "STARTTLS");
            lines.add(text(reader.readLine()));
            c.startTls(TestCerts.client().withAlpn("smtp")); // verifies "localhost", the host connected to
            assertTrue(writer.tlsSession().isPresent(), "the writer reports the new session");
            send(c, "hello");
            lines.add(text(reader.readLine()));
            c.close();
            server.close();
            assertEquals(List.of(), errors);
            return lines;
        });
        assertEquals("plain EHLO me", got.get(0));
        assertEquals("220 ready", got.get(1));
        assertTrue(got.get(2).startsWith("tls hello over TLSv1."), got.get(2));
    }

    @Test
    void tlsBytesThePeerSentRightBehindThePlainTextAreNotLost() {
        // The client upgrades without waiting for an answer, so its ClientHello follows "STARTTLS\n" at once; the
        // server reads late, and its readLine takes both off the socket: the rest must reach the handshake.
        String got = run(() -> {
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            Server server = starttlsServer(errors, false, Duration.ofMillis(100));
            Connection c = Streams.openConnection("localhost", port(server));
            send(c, "STARTTLS");
            c.startTls(TestCerts.client());
            send(c, "pipelined");
            String line = text(c.reader().readLine());
            c.close();
            server.close();
            assertEquals(List.of(), errors);
            return line;
        });
        assertTrue(got.startsWith("tls pipelined over TLS"), got);
    }

    @Test
    void plainBytesWrittenBeforeTheUpgradeAreSentInPlainTextFirst() {
        byte[] payload = new byte[1 << 20];
        new Random(7).nextBytes(payload);
        byte[] echoed = run(() -> {
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        byte[] plain = reader.readExactly(payload.length);
                        writer.startTls(TestCerts.server());
                        writer.write(plain);
                        writer.close();
                    },
                    "127.0.0.1",
                    0);
            Connection c = Streams.openConnection("localhost", port(server));
            c.writer().write(payload); // far more than the kernel takes at once: most of it is buffered
            c.startTls(TestCerts.client());
            byte[] back = c.reader().readExactly(payload.length);
            c.close();
            server.close();
            return back;
        });
        assertArrayEquals(payload, echoed);
    }

    @Test
    void aWrongHostNameFailsTheUpgradeAndClosesThatConnectionOnly() {
        run(() -> {
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            Server server = starttlsServer(errors, true, null);
            Connection c = Streams.openConnection("127.0.0.1", port(server));
            send(c, "STARTTLS");
            assertEquals("220 ready", text(c.reader().readLine()));
            StreamError e = assertThrows(StreamError.class, () -> c.startTls(TestCerts.client(), "other.example"));
            assertTrue(e.getMessage().contains("other.example"), e.getMessage());
            ConnectionLost r =
                    assertThrows(ConnectionLost.class, () -> c.reader().read(10));
            assertTrue(r.getMessage().contains("TLS upgrade failed"), r.getMessage());
            ConnectionLost w = assertThrows(ConnectionLost.class, () -> send(c, "more"));
            assertTrue(w.getMessage().contains("TLS upgrade failed"), w.getMessage());

            Connection good = Streams.openConnection("localhost", port(server));
            send(good, "STARTTLS");
            text(good.reader().readLine());
            good.startTls(TestCerts.client());
            send(good, "still");
            assertTrue(text(good.reader().readLine()).startsWith("tls still"));
            good.close();
            server.close();
        });
    }

    @Test
    void handshakeGarbageFailsTheServersUpgradeWithAClearErrorAndTheServerGoesOn() {
        List<Throwable> errors = run(() -> {
            List<Throwable> errs = Collections.synchronizedList(new ArrayList<>());
            Server server = starttlsServer(errs, true, null);
            Connection bad = Streams.openConnection("127.0.0.1", port(server));
            send(bad, "STARTTLS");
            text(bad.reader().readLine());
            send(bad, "this is not a TLS record at all, just text");
            int got = 0;
            for (byte[] b; (b = bad.reader().read(100)).length > 0; ) {
                got += b.length; // at most the server's TLS alert, then the end: it closed what it could not upgrade
            }
            assertTrue(got < 100, "only an alert came back: " + got + " bytes");
            bad.close();

            Connection good = Streams.openConnection("localhost", port(server));
            send(good, "STARTTLS");
            text(good.reader().readLine());
            good.startTls(TestCerts.client());
            send(good, "fine");
            assertTrue(text(good.reader().readLine()).startsWith("tls fine"));
            good.close();
            server.close();
            return new ArrayList<>(errs);
        });
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.getFirst() instanceof StreamError, errors.toString());
        assertTrue(
                errors.getFirst().getMessage().contains("plain text"),
                errors.getFirst().getMessage());
    }

    @Test
    void aTimedOutUpgradeClosesTheConnection() {
        run(() -> {
            // This server reads the STARTTLS line and then never speaks TLS.
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        reader.readLine();
                        writer.write("220 ready\n".getBytes(US_ASCII));
                        while (reader.read(1 << 16).length > 0) {
                            // swallow the ClientHello and answer nothing
                        }
                    },
                    "127.0.0.1",
                    0);
            Connection c = Streams.openConnection("localhost", port(server));
            send(c, "STARTTLS");
            text(c.reader().readLine());
            assertThrows(
                    TimedOut.class,
                    () -> withTimeout(Duration.ofMillis(200), () -> {
                        c.startTls(TestCerts.client());
                        return null;
                    }));
            ConnectionLost r =
                    assertThrows(ConnectionLost.class, () -> c.reader().read(10));
            assertTrue(r.getMessage().contains("TLS upgrade was cancelled"), r.getMessage());
            assertThrows(ConnectionLost.class, () -> send(c, "more"));
            server.close();
        });
    }

    @Test
    void theUpgradeIsRefusedWhereItCannotWork() {
        run(() -> {
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            Server server = starttlsServer(errors, true, null);

            Connection halfClosed = Streams.openConnection("localhost", port(server));
            halfClosed.writer().writeEof();
            IllegalStateException afterEof =
                    assertThrows(IllegalStateException.class, () -> halfClosed.startTls(TestCerts.client()));
            assertTrue(afterEof.getMessage().contains("writeEof"), afterEof.getMessage());
            halfClosed.close();

            Connection c = Streams.openConnection("localhost", port(server));
            Task<byte[]> pendingRead = spawn(() -> c.reader().read(10));
            sleep(Duration.ZERO);
            IllegalStateException whileReading =
                    assertThrows(IllegalStateException.class, () -> c.startTls(TestCerts.client()));
            assertTrue(whileReading.getMessage().contains("waiting to read"), whileReading.getMessage());
            pendingRead.cancel();
            assertThrows(Cancelled.class, pendingRead::await);

            send(c, "STARTTLS");
            assertEquals("220 ready", text(c.reader().readLine()));
            c.startTls(TestCerts.client());
            IllegalStateException twice =
                    assertThrows(IllegalStateException.class, () -> c.startTls(TestCerts.client()));
            assertTrue(twice.getMessage().contains("already TLS"), twice.getMessage());
            c.close();

            StreamWriter alone = new StreamWriter(c.writer().transport());
            assertThrows(IllegalStateException.class, () -> alone.startTls(TestCerts.client()));
            server.close();
        });
    }

    @Test
    void readsAndWritesDuringTheHandshakeAreRefusedNotInterleaved() {
        run(() -> {
            Server server = Streams.startServer(
                    (reader, writer) -> {
                        reader.readLine();
                        sleep(Duration.ofMillis(100)); // the client's handshake waits meanwhile
                        writer.startTls(TestCerts.server());
                        writer.write(reader.readLine());
                    },
                    "127.0.0.1",
                    0);
            Connection c = Streams.openConnection("localhost", port(server));
            send(c, "STARTTLS");
            Task<Void> upgrade = spawn(() -> c.startTls(TestCerts.client()));
            sleep(Duration.ofMillis(20));
            assertFalse(upgrade.isDone());
            IllegalStateException w = assertThrows(IllegalStateException.class, () -> send(c, "sneaky"));
            assertTrue(w.getMessage().contains("startTls"), w.getMessage());
            IllegalStateException r =
                    assertThrows(IllegalStateException.class, () -> c.reader().read(1));
            assertTrue(r.getMessage().contains("startTls"), r.getMessage());
            upgrade.await();
            send(c, "after");
            assertEquals("after", text(c.reader().readLine()));
            c.close();
            server.close();
        });
    }

    @Test
    void aConnectionLostWhileFlushingBeforeTheUpgradeIsReported() {
        run(() -> {
            Server server = Streams.startServer((reader, writer) -> writer.abort(), "127.0.0.1", 0);
            Connection c = Streams.openConnection("localhost", port(server));
            c.reader().read(1); // the server closed: wait for it
            byte[] big = new byte[4 << 20];
            RuntimeException e = assertThrows(RuntimeException.class, () -> {
                c.writer().write(big);
                c.startTls(TestCerts.client());
            });
            assertTrue(
                    e instanceof ConnectionLost || e instanceof IllegalStateException,
                    "a lost peer is reported, not hidden: " + e);
            c.close();
            server.close();
        });
    }
}
