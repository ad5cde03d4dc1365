package dev.spindle.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class PoolCountersTest {

    @Test
    void countersRegisterUnderAFreeNameCountAndLeaveOnClose() {
        String name = "127.0.0.1:6379-" + UUID.randomUUID();
        try (PoolCounters a = PoolCounters.register("redis", name, 8);
                PoolCounters b = PoolCounters.register("redis", name, 8);
                PoolCounters other = PoolCounters.register("mysql", name, 2)) {
            assertEquals(name, a.name());
            assertEquals(name + "#2", b.name(), "a second pool of the same kind and name gets a suffix");
            assertEquals(name, other.name(), "names are unique per kind");
            assertTrue(Metrics.pools().containsAll(java.util.List.of(a, b, other)));

            a.addSize(3);
            a.addInUse(2);
            a.addWaiters(1);
            a.addWaiters(-1);
            a.acquired(1_000);
            a.acquired(0);
            assertEquals(3, a.size());
            assertEquals(2, a.inUse());
            assertEquals(0, a.waiters());
            assertEquals(8, a.maxSize());
            assertEquals(2, a.acquisitions());
            assertEquals(1_000, a.totalWaitNanos());
            assertEquals("redis", a.kind());

            a.close();
            a.close(); // idempotent
            assertFalse(Metrics.pools().contains(a));
            assertEquals(3, a.size(), "still readable after close");
            try (PoolCounters again = PoolCounters.register("redis", name, 8)) {
                assertEquals(name, again.name(), "the name is free again");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PoolCounters.register("redis", "x", -1));
    }
}
