package dev.spindle.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@SpindleTest(time = TimeMode.REAL, slowStepMillis = Servers.SLOW_STEP_MILLIS)
class JsonCodecTest {
    public record User(String name, int age, List<String> tags) {}

    /** Jackson's first use (class loading, introspection) takes long: here, not on the test's loop. */
    @BeforeAll
    static void warmJackson() {
        JsonCodec<User> codec = JsonCodec.of(User.class);
        codec.decodeValue(codec.encodeValue(new User("warm", 0, List.of())));
    }

    @Test
    void valuesRoundTripAsJsonAndBadJsonFailsOnlyThatCommand() {
        try (RedisClient redis = RedisClient.create(Servers.shared().url())) {
            RedisCommands<String, User> users = redis.withCodec(JsonCodec.of(User.class));
            User ada = new User("Ada", 36, List.of("math", "engines"));
            users.set("json:ada", ada);
            assertEquals(ada, users.get("json:ada"));
            assertEquals("{\"name\":\"Ada\",\"age\":36,\"tags\":[\"math\",\"engines\"]}", redis.get("json:ada"));
            users.hset("json:h", Map.of("a", ada));
            assertEquals(Map.of("a", ada), users.hgetall("json:h"));
            redis.set("json:bad", "not json");
            RedisException e = assertThrows(RedisException.class, () -> users.get("json:bad"));
            assertTrue(e.getMessage().contains("not JSON of"), e.getMessage());
            assertEquals(ada, users.get("json:ada"));
        }
    }
}
