package dev.spindle;

import org.junit.jupiter.api.Test;

/**
 * The public API, written out to {@code api/spindle-core.api} so that every change to it shows in review. After an
 * intended change, regenerate with {@code ./mvnw -pl spindle-core test -Dtest=ApiSurfaceTest
 * -Dspindle.updateApi=true}.
 */
class ApiSurfaceTest {
    @Test
    void publicApiMatchesTheCommittedList() throws Exception {
        ApiSurface.check(Spindle.class, "spindle-core");
    }
}
