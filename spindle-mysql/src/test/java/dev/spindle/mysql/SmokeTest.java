package dev.spindle.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import org.junit.jupiter.api.Test;

@SpindleTest(time = TimeMode.REAL)
class SmokeTest {
    @Test
    void selectsOne() {
        try (MySqlConnection c = Db.connect()) {
            assertTrue(c.serverVersion().contains("MariaDB"), c.serverVersion());
            assertEquals(1, c.fetchValue(Integer.class, "SELECT 1"));
            assertEquals(42L, c.fetchValue(Long.class, "SELECT ? + 1", 41L));
        }
    }
}
