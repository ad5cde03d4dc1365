package dev.spindle.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisConfigTest {

    @Test
    void fullRedisUrl() {
        RedisConfig c = RedisConfig.fromUrl(
                "redis://app%40corp:s%3Ac%2Fret%20x@cache.internal:6380/2?timeout=250ms&client_name=web"
                        + "&connect_timeout=1.5&pool_size=4&sharing=pooled&retries=0&protocol=2");
        assertEquals("cache.internal", c.host());
        assertEquals(6380, c.port());
        assertEquals(Optional.of("app@corp"), c.username());
        assertEquals(Optional.of("s:c/ret x"), c.password());
        assertEquals(2, c.database());
        assertEquals(Duration.ofMillis(250), c.commandTimeout());
        assertEquals(Duration.ofMillis(1500), c.connectTimeout());
        assertEquals(Optional.of("web"), c.clientName());
        assertEquals(4, c.poolSize());
        assertEquals(RedisConfig.Sharing.POOLED, c.sharing());
        assertEquals(0, c.retries());
        assertEquals(2, c.protocol());
        assertFalse(c.tls().isPresent());
        assertFalse(c.toString().contains("s:c"), "the password never shows");
    }

    @Test
    void passwordOnlyDefaultsAndQueryDb() {
        RedisConfig c = RedisConfig.fromUrl("redis://:secret@localhost?db=5");
        assertEquals(Optional.empty(), c.username());
        assertEquals(Optional.of("secret"), c.password());
        assertEquals(6379, c.port());
        assertEquals(5, c.database());
        assertEquals(3, c.protocol());
        assertEquals(RedisConfig.Sharing.MULTIPLEXED, c.sharing());
    }

    @Test
    void tlsAndUnixAndIpv6() {
        RedisConfig tls = RedisConfig.fromUrl("rediss://cache.example.com");
        assertTrue(tls.tls().orElseThrow().verifiesHostname());
        RedisConfig insecure = RedisConfig.fromUrl("rediss://10.0.0.1?ssl_cert_reqs=none");
        assertFalse(insecure.tls().orElseThrow().verifiesHostname());
        RedisConfig unix = RedisConfig.fromUrl("unix:///run/redis/redis.sock?db=3&password=pw");
        assertEquals(Optional.of(Path.of("/run/redis/redis.sock")), unix.unixSocket());
        assertEquals(3, unix.database());
        assertEquals(Optional.of("pw"), unix.password());
        RedisConfig v6 = RedisConfig.fromUrl("redis://[::1]:7000");
        assertEquals("::1", v6.host());
        assertEquals("[::1]:7000", v6.address());
    }

    @Test
    void badInputFailsAtOnceNamingIt() {
        assertMessage("unknown scheme 'http'", () -> RedisConfig.fromUrl("http://localhost"));
        assertMessage("unknown option 'colour'", () -> RedisConfig.fromUrl("redis://localhost?colour=red"));
        assertMessage("bad value for db: 'x'", () -> RedisConfig.fromUrl("redis://localhost?db=x"));
        assertMessage("bad value for db: -1", () -> RedisConfig.fromUrl("redis://localhost/-1"));
        assertMessage("bad value for timeout: 'soon'", () -> RedisConfig.fromUrl("redis://h?timeout=soon"));
        assertMessage("bad value for protocol: 4", () -> RedisConfig.fromUrl("redis://h?protocol=4"));
        assertMessage("bad value for sharing", () -> RedisConfig.fromUrl("redis://h?sharing=lots"));
        assertMessage("ssl_cert_reqs is only for rediss", () -> RedisConfig.fromUrl("redis://h?ssl_cert_reqs=none"));
        assertMessage("bad port", () -> RedisConfig.builder().port(0));
        assertMessage("unix://", () -> RedisConfig.fromUrl("unix://"));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage());
    }
}
