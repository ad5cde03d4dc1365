package dev.spindle.mysql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every column type, written as a bound parameter and read back through both protocols, which must agree. */
@SpindleTest(time = TimeMode.REAL)
class TypesTest {
    private static final String TABLE = "CREATE TEMPORARY TABLE types ("
            + "id INT PRIMARY KEY, ti TINYINT, flag TINYINT(1), si SMALLINT UNSIGNED, mi MEDIUMINT, i INT,"
            + " iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED, b1 BIT(1), b9 BIT(9), f FLOAT, d DOUBLE,"
            + " dec30 DECIMAL(30,10), dt DATETIME(6), ts TIMESTAMP(6) NULL, dd DATE, tm TIME(6), y YEAR,"
            + " c CHAR(3), vc VARCHAR(100), tx TEXT, vb VARBINARY(10), bl MEDIUMBLOB, js JSON, en ENUM('a','b'), st SET('x','y'))";

    record Typed(int id, String vc, LocalDateTime dt, BigDecimal dec30, boolean flag) {}

    @Test
    void everyTypeRoundTripsThroughBothProtocols() {
        try (MySqlConnection c = Db.connect()) {
            c.execute(TABLE);
            Object[] values = {
                1,
                -128,
                true,
                65535,
                -8388608,
                Integer.MIN_VALUE,
                4294967295L,
                Long.MIN_VALUE,
                new BigInteger("18446744073709551615"),
                true,
                511L,
                1.5f,
                Math.PI,
                new BigDecimal("12345678901234567890.0123456789"),
                LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123456000),
                LocalDateTime.of(2038, 1, 19, 3, 14, 7, 999999000),
                LocalDate.of(1999, 12, 31),
                Duration.ofHours(-838).minusMinutes(59).minusSeconds(58).minusNanos(500000000),
                2155,
                "abc",
                "Grüße \uD83E\uDDFA",
                "x".repeat(5000),
                new byte[] {0, 1, (byte) 0xFF},
                new byte[70000],
                "{\"a\": [1, 2]}",
                "b",
                "x,y"
            };
            c.execute("INSERT INTO types VALUES (" + "?, ".repeat(values.length - 1) + "?)", values);
            c.execute("INSERT INTO types (id) VALUES (2)"); // all NULL
            Row text = c.fetchOne("SELECT * FROM types WHERE id = 1"); // text protocol: no parameters
            Row binary = c.fetchOne("SELECT * FROM types WHERE id = ?", 1); // binary protocol
            for (Row r : List.of(text, binary)) {
                for (int i = 0; i < values.length; i++) {
                    Object got = r.get(i);
                    String col = r.columns().get(i).name();
                    if (values[i] instanceof byte[] b) {
                        assertArrayEquals(b, (byte[]) got, col);
                    } else if (col.equals("js")) {
                        assertTrue(((String) got).contains("\"a\""), col + ": " + got);
                    } else {
                        assertEquals(values[i], got, col + " via " + (r == text ? "text" : "binary"));
                    }
                }
            }
            Row nulls = c.fetchOne("SELECT * FROM types WHERE id = ?", 2);
            for (int i = 1; i < values.length; i++) {
                assertNull(nulls.get(i), nulls.columns().get(i).name());
            }
            assertEquals(
                    new Typed(1, "Grüße \uD83E\uDDFA", (LocalDateTime) values[14], (BigDecimal) values[13], true),
                    binary.as(Typed.class));
            assertEquals(4294967295L, binary.getLong("iu"));
            assertEquals(LocalTime.of(13, 14, 15), c.fetchValue(LocalTime.class, "SELECT CAST('13:14:15' AS TIME)"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> text.get("bu", Long.class));
            assertTrue(e.getMessage().contains("bu"), e.getMessage());
        }
    }

    @Test
    void timestampsAreInTheSessionTimeZone() {
        Instant instant = Instant.parse("2030-06-01T12:00:00.25Z");
        try (MySqlConnection c = MySql.connect(
                Db.options().timeZone(java.time.ZoneOffset.ofHours(3)).build())) {
            c.execute("CREATE TEMPORARY TABLE tz (ts TIMESTAMP(3))");
            c.execute("INSERT INTO tz VALUES (?)", instant);
            Row r = c.fetchOne("SELECT ts, UNIX_TIMESTAMP(ts) AS epoch FROM tz");
            assertEquals(LocalDateTime.of(2030, 6, 1, 15, 0, 0, 250_000_000), r.get("ts")); // +03:00 wall clock
            assertEquals(instant, r.get("ts", Instant.class));
            assertEquals(BigDecimal.valueOf(instant.toEpochMilli(), 3), r.get("epoch"));
        }
    }

    @Test
    void withTheServersTimeZoneInstantsAreRefused() {
        try (MySqlConnection c = MySql.connect(Db.options().timeZone(null).build())) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> c.execute("SELECT ?", Instant.EPOCH));
            assertTrue(e.getMessage().contains("timeZone"), e.getMessage());
            assertEquals(
                    LocalDateTime.of(2020, 1, 1, 0, 0),
                    c.fetchValue(LocalDateTime.class, "SELECT ?", LocalDateTime.of(2020, 1, 1, 0, 0)));
        }
    }

    @Test
    void zeroDatesFailOrReadAsNullByOption() {
        try (MySqlConnection c = Db.connect()) {
            c.execute("SET SESSION sql_mode = ''");
            c.execute("CREATE TEMPORARY TABLE z (d DATE, dt DATETIME)");
            c.execute("INSERT INTO z VALUES ('0000-00-00', '0000-00-00 00:00:00')");
            MySqlException e = assertThrows(MySqlException.class, () -> c.fetch("SELECT d FROM z"));
            assertTrue(e.getMessage().contains("zeroDates=null"), e.getMessage());
            assertThrows(MySqlException.class, () -> c.fetch("SELECT dt FROM z WHERE 1 = ?", 1));
            assertEquals(1, c.fetchValue(Integer.class, "SELECT 1"), "the connection survives the bad value");
        }
        try (MySqlConnection c = MySql.connect(Db.options().zeroDateIsNull(true).build())) {
            c.execute("SET SESSION sql_mode = ''");
            c.execute("CREATE TEMPORARY TABLE z (d DATE)");
            c.execute("INSERT INTO z VALUES ('0000-00-00')");
            assertNull(c.fetchOne("SELECT d FROM z").get(0));
            assertNull(c.fetchOne("SELECT d FROM z WHERE 1 = ?", 1).get(0));
        }
    }

    @Test
    void tinyInt1AsIntegerByOption() {
        try (MySqlConnection c =
                MySql.connect(Db.options().tinyInt1IsBoolean(false).build())) {
            assertEquals(
                    1,
                    c.fetchOne("SELECT CAST(1 AS INT) = 1 AS t, ? AS p", true).get("p", Integer.class));
            c.execute("CREATE TEMPORARY TABLE b (f TINYINT(1))");
            c.execute("INSERT INTO b VALUES (?)", 7);
            assertEquals(7, c.fetchValue(Object.class, "SELECT f FROM b"));
        }
    }

    @Test
    void unsupportedParameterTypesAreRefusedNotStringified() {
        try (MySqlConnection c = Db.connect()) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> c.execute("SELECT ?", new StringBuilder("1; DROP")));
            assertTrue(e.getMessage().contains("parameter 1"), e.getMessage());
            assertEquals(1, c.fetchValue(Integer.class, "SELECT 1"));
        }
    }
}
