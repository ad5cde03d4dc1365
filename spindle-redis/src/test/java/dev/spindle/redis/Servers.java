package dev.spindle.redis;

import dev.spindle.testservers.RedisServer;

/** One redis-server shared by the test classes of this JVM (tests that kill a server start their own). */
final class Servers {
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
