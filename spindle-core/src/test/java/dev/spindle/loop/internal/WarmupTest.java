package dev.spindle.loop.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WarmupTest {
    @Test
    void skippedOnlyWhenAnAotCacheIsGivenAndMapped() {
        assertTrue(Warmup.profiledByAotCache("app.aot", "mixed mode, sharing"));
        // no cache given (a plain run, or a training run writing one): warm up
        assertFalse(Warmup.profiledByAotCache("", "mixed mode, sharing"));
        assertFalse(Warmup.profiledByAotCache(null, "mixed mode, sharing"));
        // a cache given but not mapped (another class path or JDK): the JVM runs without sharing, so warm up
        assertFalse(Warmup.profiledByAotCache("app.aot", "mixed mode"));
        assertFalse(Warmup.profiledByAotCache("app.aot", null));
    }

    @Test
    void thisJvmRunsWithoutAnAotCacheSoItWarmsUp() {
        // the test JVM has no -XX:AOTCache; the option exists on the JDK the build runs (25+), so this reads it
        assertFalse(Warmup.runningFromAotCache());
    }
}
