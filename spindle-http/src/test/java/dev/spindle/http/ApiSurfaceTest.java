package dev.spindle.http;

import dev.spindle.ApiSurface;
import org.junit.jupiter.api.Test;

class ApiSurfaceTest {
    @Test
    void publicApiMatchesTheCommittedList() throws Exception {
        ApiSurface.check(HttpServer.class, "spindle-http");
    }
}
