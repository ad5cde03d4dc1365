package dev.spindle.micrometer;

import dev.spindle.ApiSurface;
import org.junit.jupiter.api.Test;

class ApiSurfaceTest {
    @Test
    void publicApiIsAsCommitted() throws Exception {
        ApiSurface.check(SpindleMetrics.class, "spindle-micrometer");
    }
}
