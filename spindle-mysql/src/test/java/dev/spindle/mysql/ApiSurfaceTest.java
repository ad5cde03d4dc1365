package dev.spindle.mysql;

import dev.spindle.ApiSurface;
import org.junit.jupiter.api.Test;

/** The public API of spindle-mysql, checked against the committed list api/spindle-mysql.api. */
class ApiSurfaceTest {
    @Test
    void publicApiIsTheCommittedOne() throws Exception {
        ApiSurface.check(MySql.class, "spindle-mysql");
    }
}
