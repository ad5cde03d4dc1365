package dev.spindle.redis;

import dev.spindle.testservers.RedisServer;

/** One redis-server shared by the test classes of this JVM (tests that kill a server start their own). */
final class Servers {
    /**
     * The slow-step bound of these tests: they talk to real servers on a machine shared with other builds, where a
     * step of a few milliseconds of CPU can take over a second of wall time when the process is descheduled. The
     * default 1 s report would then fail tests for what the machine did, not the client.
     */
    static final long SLOW_STEP_MILLIS = 5_000;

    private static RedisServer shared;

    private Servers() {}

    static synchronized RedisServer shared() {
        if (shared == null) {
            shared = RedisServer.start();
        }
        return shared;
    }

    /** A client of the shared server, on RESP {@code protocol}, with {@code sharing}. */
    static RedisClient client(int protocol, RedisConfig.Sharing sharing) {
        return RedisClient.create(RedisConfig.fromUrl(shared().url()).toBuilder()
                .protocol(protocol)
                .sharing(sharing)
                .build());
    }
}
