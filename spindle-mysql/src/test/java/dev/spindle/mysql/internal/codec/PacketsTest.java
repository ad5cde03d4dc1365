package dev.spindle.mysql.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.mysql.Column;
import dev.spindle.mysql.MySqlException;
import dev.spindle.mysql.ProtocolError;
import dev.spindle.mysql.ServerError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Each packet kind parsed from a hand-built byte vector (layouts from the MySQL client/server protocol docs). */
class PacketsTest {
    static byte[] mariaDbGreeting() {
        return Bytes.of()
                .hex("0a")
                .nul("5.5.5-10.11.6-MariaDB")
                .hex("2a000000")
                .str("abcdefgh")
                .hex("00")
                .hex("fef7") // capabilities, low 16 bits: no CLIENT_LONG_PASSWORD, so MariaDB
                .hex("2d") // utf8mb4_general_ci
                .hex("0200") // autocommit
                .hex("ff81") // capabilities, high 16 bits: plugin auth, deprecate EOF...
                .hex("15") // 21 bytes of auth data
                .hex("000000000000")
                .hex("1d000000") // MariaDB's extended capabilities
                .str("ijklmnopqrst")
                .hex("00")
                .nul("mysql_native_password")
                .bytes();
    }

    @Test
    void mariaDbHandshake() {
        Handshake h = Handshake.parse(new Payload(mariaDbGreeting()));
        assertEquals("5.5.5-10.11.6-MariaDB", h.serverVersion());
        assertEquals(42, h.connectionId());
        assertEquals("abcdefghijklmnopqrst", new String(h.scramble(), StandardCharsets.US_ASCII));
        assertEquals("mysql_native_password", h.authPlugin());
        assertEquals(45, h.collation());
        assertTrue(h.isMariaDb());
        assertTrue((h.capabilities() & Capabilities.DEPRECATE_EOF) != 0);
        assertTrue((h.capabilities() & Capabilities.PLUGIN_AUTH) != 0);
        assertEquals(0x1dL, h.capabilities() >>> 32);
    }

    @Test
    void handshakeWithoutTheFinalNulAndAnErrorGreeting() {
        byte[] g = mariaDbGreeting();
        Handshake h = Handshake.parse(new Payload(g, 0, g.length - 1)); // some servers omit the plugin name's NUL
        assertEquals("mysql_native_password", h.authPlugin());
        ServerError e = assertThrows(
                ServerError.class,
                () -> Handshake.parse(
                        Bytes.of().hex("ff 1004").str("Too many connections").payload()));
        assertEquals(1040, e.code());
        assertThrows(
                ProtocolError.class,
                () -> Handshake.parse(Bytes.of().hex("09").nul("4.0").payload()));
    }

    @Test
    void okErrAndEof() {
        OkPacket ok = OkPacket.parse(
                Bytes.of().hex("00 03 fc0001 0200 0100").str("Rows matched: 3").payload());
        assertEquals(3, ok.affectedRows());
        assertEquals(256, ok.lastInsertId());
        assertEquals(2, ok.status());
        assertEquals(1, ok.warnings());
        assertEquals("Rows matched: 3", ok.info());

        ErrPacket err = ErrPacket.parse(Bytes.of()
                .hex("ff 2604 23")
                .str("23000")
                .str("Duplicate entry '1'")
                .payload());
        assertEquals(1062, err.code());
        assertEquals("23000", err.sqlState());
        assertInstanceOf(ServerError.DuplicateKey.class, err.toException());
        assertInstanceOf(ServerError.Deadlock.class, ServerError.of(1213, "40001", "x"));
        assertTrue(ServerError.of(1205, "HY000", "x").isTransient());

        Payload eof = Bytes.of().hex("fe 0000 0a00").payload();
        assertTrue(OkPacket.isTerminator(eof));
        OkPacket e = OkPacket.parseEof(eof);
        assertEquals(0x0a, e.status());
        assertFalse(
                OkPacket.isTerminator(Bytes.of().hex("fe 0102030405060708 09").payload()));
    }

    static byte[] columnDef(String name, int type, int flags, int collation, long length, int decimals) {
        return Bytes.of()
                .lenenc("def")
                .lenenc("test")
                .lenenc("t")
                .lenenc("t")
                .lenenc(name)
                .lenenc(name)
                .hex("0c")
                .hex(String.format("%02x%02x", collation & 0xFF, collation >> 8))
                .hex(String.format("%02x%02x%02x%02x", length & 0xFF, (length >> 8) & 0xFF, (length >> 16) & 0xFF, 0))
                .hex(String.format("%02x", type))
                .hex(String.format("%02x%02x", flags & 0xFF, flags >> 8))
                .hex(String.format("%02x", decimals))
                .hex("0000")
                .bytes();
    }

    static Column column(String name, int type, int flags, int collation, long length, int decimals) {
        return ColumnDefinition.parse(new Payload(columnDef(name, type, flags, collation, length, decimals)));
    }

    @Test
    void columnDefinition() {
        Column c = column("price", ColumnType.NEWDECIMAL, 1 | ColumnType.UNSIGNED_FLAG, 45, 12, 2);
        assertEquals("price", c.name());
        assertEquals("t", c.table());
        assertEquals("test", c.schema());
        assertEquals("NEWDECIMAL", c.typeName());
        assertTrue(c.isUnsigned());
        assertFalse(c.isNullable());
        assertEquals(2, c.decimals());
        byte[] d = columnDef("x", 3, 0, 63, 11, 0);
        assertThrows(ProtocolError.class, () -> ColumnDefinition.parse(new Payload(d, 0, d.length - 3)));
    }

    @Test
    void textRow() {
        Column[] cols = {
            column("id", ColumnType.LONGLONG, 0, 63, 20, 0),
            column("big", ColumnType.LONGLONG, ColumnType.UNSIGNED_FLAG, 63, 20, 0),
            column("flag", ColumnType.TINY, 0, 63, 1, 0),
            column("price", ColumnType.NEWDECIMAL, 0, 63, 10, 2),
            column("at", ColumnType.DATETIME, 0, 63, 26, 6),
            column("name", ColumnType.VAR_STRING, 0, 45, 80, 0),
            column("blob", ColumnType.BLOB, ColumnType.BINARY_FLAG, 63, 65535, 0),
            column("none", ColumnType.VAR_STRING, 0, 45, 80, 0),
            column("t", ColumnType.TIME, 0, 63, 10, 0),
        };
        Payload p = Bytes.of()
                .lenenc("-9223372036854775808")
                .lenenc("18446744073709551615")
                .lenenc("1")
                .lenenc("12.50")
                .lenenc("2024-02-29 23:59:59.123456")
                .lenenc("Zoë")
                .lenenc("\u0001\u0002")
                .hex("fb")
                .lenenc("-838:59:59")
                .payload();
        Object[] v = Rows.text(cols, p, DecodeOptions.DEFAULTS);
        assertEquals(Long.MIN_VALUE, v[0]);
        assertEquals(new BigInteger("18446744073709551615"), v[1]);
        assertEquals(Boolean.TRUE, v[2]);
        assertEquals(new BigDecimal("12.50"), v[3]);
        assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000), v[4]);
        assertEquals("Zoë", v[5]);
        assertArrayEquals(new byte[] {1, 2}, (byte[]) v[6]);
        assertNull(v[7]);
        assertEquals(Duration.ofHours(838).plusMinutes(59).plusSeconds(59).negated(), v[8]);
    }

    @Test
    void zeroDatesAreAChosenBehaviour() {
        Column[] cols = {column("d", ColumnType.DATE, 0, 63, 10, 0)};
        MySqlException e = assertThrows(
                MySqlException.class,
                () -> Rows.text(cols, Bytes.of().lenenc("0000-00-00").payload(), DecodeOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("zero date"), e.getMessage());
        assertNull(Rows.text(cols, Bytes.of().lenenc("0000-00-00").payload(), new DecodeOptions(true, true))[0]);
        assertEquals(
                LocalDate.of(2020, 1, 2),
                Rows.text(cols, Bytes.of().lenenc("2020-01-02").payload(), DecodeOptions.DEFAULTS)[0]);
    }

    @Test
    void binaryRow() {
        Column[] cols = {
            column("a", ColumnType.LONG, 0, 63, 11, 0),
            column("b", ColumnType.VAR_STRING, 0, 45, 80, 0), // NULL
            column("c", ColumnType.LONGLONG, ColumnType.UNSIGNED_FLAG, 63, 20, 0),
            column("d", ColumnType.DATETIME, 0, 63, 26, 6),
            column("e", ColumnType.TIME, 0, 63, 17, 6),
            column("f", ColumnType.DOUBLE, 0, 63, 22, 31),
            column("g", ColumnType.TINY, 0, 63, 4, 0),
        };
        Payload p = Bytes.of()
                .hex("00")
                .hex("08 00") // NULL bitmap, offset 2: column 1 (bit 3) is NULL
                .hex("feffffff") // -2
                .hex("ffffffffffffffff") // 2^64 - 1
                .hex("0b e807 0c 1f 17 3b 3b 40420f00") // 2024-12-31 23:59:59.1000000? micros 1000000 is invalid
                .payload();
        assertThrows(
                ProtocolError.class, () -> Rows.binary(cols, p, DecodeOptions.DEFAULTS), "microseconds past 999999");

        Payload good = Bytes.of()
                .hex("00")
                .hex("08 00")
                .hex("feffffff")
                .hex("ffffffffffffffff")
                .hex("0b e807 0c 1f 17 3b 3b 3f420f00") // 2024-12-31 23:59:59.999999
                .hex("0c 01 01000000 02 03 04 01000000") // -(1 day 02:03:04.000001)
                .hex("000000000000f83f") // 1.5
                .hex("ff") // -1
                .payload();
        Object[] v = Rows.binary(cols, good, DecodeOptions.DEFAULTS);
        assertEquals(-2, v[0]);
        assertNull(v[1]);
        assertEquals(new BigInteger("18446744073709551615"), v[2]);
        assertEquals(LocalDateTime.of(2024, 12, 31, 23, 59, 59, 999_999_000), v[3]);
        assertEquals(
                Duration.ofDays(1)
                        .plusHours(2)
                        .plusMinutes(3)
                        .plusSeconds(4)
                        .plusNanos(1000)
                        .negated(),
                v[4]);
        assertEquals(1.5, v[5]);
        assertEquals(-1, v[6]);
    }

    @Test
    void executeEncodesTypesAndNullBitmap() {
        PacketWriter w = new PacketWriter();
        Params.execute(w, 7, new Object[] {1, "é", null, LocalDateTime.of(2020, 1, 2, 3, 4, 5, 6000)}, ZoneOffset.UTC);
        byte[] expected = Bytes.of()
                .hex("17 07000000 00 01000000") // COM_STMT_EXECUTE, id 7, no cursor, 1 iteration
                .hex("04") // NULL bitmap: parameter 2
                .hex("01") // types follow
                .hex("0300 fd00 0600 0c00") // LONG, VAR_STRING, NULL, DATETIME
                .hex("01000000")
                .hex("02 c3a9")
                .hex("0b e407 01 02 03 04 05 06000000")
                .bytes();
        assertArrayEquals(expected, w.payload());
        assertThrows(
                IllegalArgumentException.class,
                () -> Params.execute(new PacketWriter(), 1, new Object[] {new Object()}, ZoneOffset.UTC));
    }
}
