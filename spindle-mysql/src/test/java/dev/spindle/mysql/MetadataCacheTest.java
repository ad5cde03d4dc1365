package dev.spindle.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import org.junit.jupiter.api.Test;

/**
 * MariaDB's MARIADB_CLIENT_CACHE_METADATA against the real server: a prepared statement's results come without their
 * column definitions while the client has them (from the prepare or the last execution), and with them again when
 * they change; either way the rows decode with the right definitions.
 */
@SpindleTest(time = TimeMode.REAL)
class MetadataCacheTest {
    @Test
    void executionsAfterThePrepareComeWithoutTheirColumnDefinitions() {
        try (MySqlConnection c = Db.connect()) {
            c.execute("CREATE TEMPORARY TABLE mc (id INT PRIMARY KEY, name VARCHAR(20), score INT)");
            c.execute("INSERT INTO mc VALUES (?, ?, ?)", 1, "Ada", 10);
            String select = "SELECT id, name, score FROM mc WHERE id = ?";
            assertEquals("Ada", c.fetchOne(select, 1).getString(1)); // prepared, then executed once
            long status = bytesSent(c) - bytesSent(c); // negative: what one SHOW STATUS answer costs
            long before = bytesSent(c);
            for (int i = 0; i < 100; i++) {
                Row r = c.fetchOne(select, 1);
                assertEquals(1, r.getInt(0));
                assertEquals("Ada", r.getString(1));
                assertEquals(10, r.getInt(2));
            }
            long perExecution = (bytesSent(c) - before + status) / 100;
            // a column count, one row and the closing OK: about 40 bytes; with the three definitions, over 150
            assertTrue(perExecution < 80, "bytes sent per execution: " + perExecution);
        }
    }

    @Test
    void changedDefinitionsAreSentAgainAndUsed() {
        try (MySqlConnection c = Db.connect()) {
            c.execute("CREATE TABLE mc_alter (id INT PRIMARY KEY, v INT)");
            try {
                c.execute("INSERT INTO mc_alter VALUES (?, ?)", 1, 5);
                String select = "SELECT v FROM mc_alter WHERE id = ?";
                assertEquals(5, c.fetchOne(select, 1).get(0));
                assertEquals(5, c.fetchOne(select, 1).get(0)); // without definitions
                c.execute("ALTER TABLE mc_alter MODIFY v VARCHAR(10)");
                c.execute("UPDATE mc_alter SET v = CONCAT(v, 'x') WHERE id = ?", 1);
                assertEquals("5x", c.fetchOne(select, 1).get(0)); // the same statement, new definitions
                assertEquals("5x", c.fetchOne(select, 1).get(0));
            } finally {
                c.execute("DROP TABLE mc_alter");
            }
        }
    }

    private static long bytesSent(MySqlConnection c) {
        return Long.parseLong(
                c.fetchOne("SHOW SESSION STATUS LIKE 'Bytes_sent'").getString(1));
    }
}
