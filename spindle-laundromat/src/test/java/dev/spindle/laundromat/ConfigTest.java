package dev.spindle.laundromat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration from environment variables and arguments, as {@link Main} reads it. */
class ConfigTest {
    @Test
    void environmentThenArgumentsWin() {
        LaundromatConfig c = LaundromatConfig.fromEnvironment(
                Map.of("SPINDLE_REDIS_URL", "redis://127.0.0.1:1", "SPINDLE_LAUNDROMAT_PORT", "9000"),
                "--port=9001 --speed=10",
                "",
                "--mysql=mysql://a:b@127.0.0.1/x");
        assertEquals("redis://127.0.0.1:1", c.redisUrl());
        assertEquals("mysql://a:b@127.0.0.1/x", c.mysqlUrl());
        assertEquals(9001, c.port());
        assertEquals(10.0, c.speed());
        assertEquals(10, c.machines());
    }

    @Test
    void defaultsStartLocalServersOnPort8000() {
        LaundromatConfig c = LaundromatConfig.fromEnvironment(Map.of());
        assertNull(c.redisUrl());
        assertNull(c.mysqlUrl());
        assertEquals(8000, c.port());
        assertEquals("127.0.0.1", c.host());
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> LaundromatConfig.fromEnvironment(Map.of(), "--colour=blue"))
                .getMessage()
                .contains("--colour"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> LaundromatConfig.fromEnvironment(Map.of(), "--port=http"))
                .getMessage()
                .contains("port"));
        assertThrows(
                IllegalArgumentException.class,
                () -> LaundromatConfig.builder().speed(0).build());
    }

    @Test
    void passwordsAreNotPrinted() {
        assertEquals(
                "mysql://laundromat:***@127.0.0.1:3306/laundromat?sslMode=DISABLED",
                Main.redact("mysql://laundromat:secret@127.0.0.1:3306/laundromat?sslMode=DISABLED"));
    }
}
