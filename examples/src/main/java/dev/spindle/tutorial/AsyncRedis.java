package dev.spindle.tutorial;

// tutorial:begin
import static dev.spindle.Spindle.*;

import dev.spindle.redis.RedisClient;
import java.util.Map;

public class AsyncRedis {
    static final String URL = System.getProperty("redis.url", "redis://127.0.0.1:6379");

    static Map<String, String> execute(RedisClient redis, String key) {
        redis.hset(key, "key1", "1"); // network I/O: this coroutine waits, the loop runs the other
        redis.hset(key, "key2", "2");
        return redis.hgetall(key);
    }

    static void func() {
        try (RedisClient redis = RedisClient.create(URL)) { // closed (and waited for) at the end
            var car = spawn(() -> execute(redis, "car"));
            var bike = spawn(() -> execute(redis, "bike"));
            System.out.println("car:  " + car.await());
            System.out.println("bike: " + bike.await());
        }
    }

    public static void main(String[] args) {
        run(AsyncRedis::func);
    }
}
// tutorial:end
