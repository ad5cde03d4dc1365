package dev.spindle.laundromat;

import dev.spindle.ApiSurface;
import org.junit.jupiter.api.Test;

/** The public API is written out in api/spindle-laundromat.api: a change to it shows in review. */
class ApiSurfaceTest {
    @Test
    void apiIsAsCommitted() throws Exception {
        ApiSurface.check(Laundromat.class, "spindle-laundromat");
    }
}
