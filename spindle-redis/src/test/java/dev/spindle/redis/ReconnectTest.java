package dev.spindle.redis;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.task.Task;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import dev.spindle.testservers.RedisServer;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A redis-server killed mid-command and restarted: callers fail clearly, the client comes back by itself. */
@SpindleTest(time = TimeMode.REAL, timeoutMillis = 90_000, slowStepMillis = Servers.SLOW_STEP_MILLIS)
class ReconnectTest {

    private static RedisConfig config(RedisServer server, RedisConfig.Sharing sharing) {
        return RedisConfig.fromUrl(server.url()).toBuilder()
                .sharing(sharing)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .retries(30)
                .commandTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static void kill(RedisServer server) {
        toThread(() -> {
            server.kill();
            return null;
        });
    }

    private static void restart(RedisServer server) {
        toThread(() -> {
            server.process().restart();
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(RedisConfig.Sharing.class)
    void killedMidCommandFailsClearlyAndRecovers(RedisConfig.Sharing sharing) {
        try (RedisServer server = RedisServer.start();
                RedisClient redis = RedisClient.create(config(server, sharing))) {
            redis.set("k", "v");
            // a command that is not idempotent, in flight when the server dies
            Task<Object> inFlight = spawn(() -> redis.call("DEBUG", "SLEEP", "3"));
            sleep(Duration.ofMillis(200));
            kill(server);
            RedisConnectionError e = assertThrows(RedisConnectionError.class, inFlight::await);
            assertTrue(e.getMessage().contains("may or may not have run"), e.getMessage());
            // while it is down, commands fail fast and name the address
            RedisConnectionError down = assertThrows(RedisConnectionError.class, () -> redis.incr("n"));
            assertTrue(down.getMessage().contains("127.0.0.1:" + server.port()), down.getMessage());
            restart(server);
            // back: the next command reconnects (no persistence: the data is gone)
            assertEquals("PONG", redis.ping());
            assertEquals(null, redis.get("k"));
            assertEquals(1, redis.incr("n"));
        }
    }

    @ParameterizedTest
    @EnumSource(RedisConfig.Sharing.class)
    void idempotentCommandsAreRetriedAcrossTheRestart(RedisConfig.Sharing sharing) {
        try (RedisServer server = RedisServer.start();
                RedisClient redis = RedisClient.create(config(server, sharing))) {
            assertEquals("PONG", redis.ping());
            Task<Object> slow = spawn(
                    () -> redis.execute(RedisCommand.of("DEBUG", "SLEEP", "1").idempotent()));
            sleep(Duration.ofMillis(200));
            kill(server);
            sleep(Duration.ofMillis(300)); // a few retries meet a refused connect meanwhile
            restart(server);
            assertEquals("OK", slow.await()); // sent again to the new server, with no error seen by the caller
        }
    }

    @ParameterizedTest
    @EnumSource(RedisConfig.Sharing.class)
    void pubSubResubscribesAfterReconnect(RedisConfig.Sharing sharing) {
        try (RedisServer server = RedisServer.start();
                RedisClient redis = RedisClient.create(config(server, sharing));
                PubSub sub = redis.pubsub()) {
            sub.subscribe("news");
            sub.psubscribe("alerts.*");
            kill(server);
            restart(server);
            for (int i = 0; i < 200 && sub.reconnects() == 0; i++) {
                sleep(Duration.ofMillis(25));
            }
            assertEquals(1, sub.reconnects());
            // the resubscription may still be in flight: publish until a subscriber is counted
            long receivers = 0;
            for (int i = 0; i < 200 && receivers == 0; i++) {
                receivers = redis.publish("news", "back");
                if (receivers == 0) {
                    sleep(Duration.ofMillis(10));
                }
            }
            assertEquals(1, receivers);
            assertEquals("back", sub.receive(Duration.ofSeconds(5)).text());
            redis.publish("alerts.fire", "hot");
            PubSub.Message m = sub.receive(Duration.ofSeconds(5));
            assertEquals("alerts.*", m.pattern());
        }
    }
}
