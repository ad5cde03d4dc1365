package dev.spindle.redis;

import dev.spindle.ApiSurface;
import org.junit.jupiter.api.Test;

/**
 * The public API, written out to {@code api/spindle-redis.api} so that every change to it shows in review. After an
 * intended change, regenerate with {@code -Dtest=ApiSurfaceTest -Dspindle.updateApi=true}.
 */
class ApiSurfaceTest {
    @Test
    void publicApiMatchesTheCommittedList() throws Exception {
        ApiSurface.check(RedisClient.class, "spindle-redis");
    }
}
