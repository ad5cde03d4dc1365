package dev.spindle.mysql.internal.codec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.mysql.Column;
import dev.spindle.mysql.MySqlException;
import dev.spindle.mysql.ProtocolError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Malformed and truncated input gives a {@link ProtocolError} (or, for a value that parses but cannot be a Java value,
 * another {@link MySqlException} naming the column), never an index exception, a hang, or a value built from bytes
 * that were not there. Bounded: a fixed seed and a fixed number of cases.
 */
class CodecFuzzTest {
    private static final Column[] TEXT_COLUMNS = {
        PacketsTest.column("i", ColumnType.LONG, 0, 63, 11, 0),
        PacketsTest.column("d", ColumnType.DOUBLE, 0, 63, 22, 31),
        PacketsTest.column("n", ColumnType.NEWDECIMAL, 0, 63, 10, 2),
        PacketsTest.column("dt", ColumnType.DATETIME, 0, 63, 26, 6),
        PacketsTest.column("t", ColumnType.TIME, 0, 63, 10, 0),
        PacketsTest.column("s", ColumnType.VAR_STRING, 0, 45, 80, 0),
        PacketsTest.column("u", ColumnType.LONGLONG, ColumnType.UNSIGNED_FLAG, 63, 20, 0),
        PacketsTest.column("b", ColumnType.BIT, 0, 63, 8, 0),
    };

    private static byte[] textRow() {
        return Bytes.of()
                .lenenc("-12")
                .lenenc("1.5e10")
                .lenenc("3.14")
                .lenenc("2020-05-06 07:08:09.5")
                .lenenc("12:00:01")
                .lenenc("hello")
                .lenenc("123")
                .lenenc("\u0001")
                .bytes();
    }

    private static byte[] binaryRow() {
        return Bytes.of()
                .hex("00 0000")
                .hex("0c000000")
                .hex("000000000000f83f")
                .lenenc("3.14")
                .hex("07 e407 05 06 07 08 09")
                .hex("08 00 00000000 0c 00 01")
                .lenenc("hello")
                .hex("7b00000000000000")
                .hex("01 01")
                .bytes();
    }

    private static final List<Consumer<Payload>> PARSERS = List.of(
            p -> Rows.text(TEXT_COLUMNS, p, DecodeOptions.DEFAULTS),
            p -> Rows.binary(TEXT_COLUMNS, p, DecodeOptions.DEFAULTS),
            Handshake::parse,
            OkPacket::parse,
            ErrPacket::parse,
            ColumnDefinition::parse);

    private static List<byte[]> samples() {
        List<byte[]> s = new ArrayList<>();
        s.add(textRow());
        s.add(binaryRow());
        s.add(PacketsTest.mariaDbGreeting());
        s.add(Bytes.of().hex("00 03 fc0001 0200 0100").str("info").bytes());
        s.add(Bytes.of().hex("ff 2604 23").str("23000").str("Duplicate").bytes());
        s.add(PacketsTest.columnDef("price", 246, 1, 45, 12, 2));
        return s;
    }

    @Test
    void everyTruncatedRowIsAnError() {
        for (byte[] row : List.of(textRow())) {
            for (int cut = 0; cut < row.length; cut++) {
                int n = cut;
                assertThrows(
                        ProtocolError.class,
                        () -> Rows.text(TEXT_COLUMNS, new Payload(row, 0, n), DecodeOptions.DEFAULTS),
                        "text row cut at " + n);
            }
        }
        byte[] bin = binaryRow();
        for (int cut = 0; cut < bin.length; cut++) {
            int n = cut;
            assertThrows(
                    ProtocolError.class,
                    () -> Rows.binary(TEXT_COLUMNS, new Payload(bin, 0, n), DecodeOptions.DEFAULTS),
                    "binary row cut at " + n);
        }
        byte[] col = PacketsTest.columnDef("price", 246, 1, 45, 12, 2);
        for (int cut = 0; cut < col.length - 2; cut++) { // the last 2 bytes are filler
            int n = cut;
            assertThrows(
                    ProtocolError.class, () -> ColumnDefinition.parse(new Payload(col, 0, n)), "column cut at " + n);
        }
        // the samples parse whole, so the failures above come from the cuts
        Rows.text(TEXT_COLUMNS, new Payload(textRow()), DecodeOptions.DEFAULTS);
        Rows.binary(TEXT_COLUMNS, new Payload(bin), DecodeOptions.DEFAULTS);
    }

    @Test
    void mutatedPacketsFailOnlyWithProtocolErrors() {
        Random r = new Random(20261207);
        List<byte[]> samples = samples();
        int cases = 0;
        for (int round = 0; round < 4000; round++) {
            byte[] base = samples.get(r.nextInt(samples.size()));
            byte[] m = mutate(base, r);
            for (Consumer<Payload> parser : PARSERS) {
                cases++;
                try {
                    parser.accept(new Payload(m));
                } catch (MySqlException expected) {
                    // ProtocolError, a ServerError from an ERR greeting, a zero date: all named and contained
                } catch (RuntimeException e) {
                    fail(
                            "parser threw " + e + " for "
                                    + java.util.HexFormat.of().formatHex(m),
                            e);
                }
            }
        }
        assertTrue(cases > 10_000);
    }

    @Test
    void randomStreamsIntoTheDecoderEndOrFailCleanly() {
        Random r = new Random(99);
        for (int round = 0; round < 500; round++) {
            byte[] junk = new byte[r.nextInt(300)];
            r.nextBytes(junk);
            PacketDecoder d = new PacketDecoder(4096);
            d.expectSequence(r.nextInt(3));
            Payload p = new Payload();
            int at = 0;
            try {
                while (at < junk.length) {
                    int n = Math.min(1 + r.nextInt(17), junk.length - at);
                    d.feed(junk, at, n);
                    at += n;
                    int guard = 0;
                    while (d.next(p)) {
                        p.restBytes();
                        assertTrue(++guard < 1000, "the decoder returned packets forever");
                    }
                }
            } catch (ProtocolError expected) {
                // out of order or too long: the connection would be closed
            }
        }
    }

    private static byte[] mutate(byte[] base, Random r) {
        byte[] m = Arrays.copyOf(base, base.length);
        switch (r.nextInt(4)) {
            case 0 -> m[r.nextInt(m.length)] = (byte) r.nextInt(256);
            case 1 -> {
                for (int i = 0; i < 4; i++) {
                    m[r.nextInt(m.length)] = (byte) new int[] {0, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF}[r.nextInt(6)];
                }
            }
            case 2 -> m = Arrays.copyOf(m, r.nextInt(m.length + 1));
            default -> {
                m = Arrays.copyOf(m, m.length + 1 + r.nextInt(8));
                for (int i = base.length; i < m.length; i++) {
                    m[i] = (byte) r.nextInt(256);
                }
            }
        }
        return m;
    }
}
