package dev.spindle.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Values as JSON through Jackson, keys as UTF-8 strings. Jackson ({@code com.fasterxml.jackson.core:jackson-databind})
 * is an optional dependency of this module: add it to use this class.
 *
 * {@snippet :
 * record User(String name, int age) {}
 * RedisCommands<String, User> users = redis.withCodec(JsonCodec.of(User.class));
 * users.set("user:1", new User("Ada", 36));
 * User ada = users.get("user:1");
 * }
 *
 * <p>A value that does not parse as the type throws {@link RedisException} naming the type, for that command only.
 *
 * <p>Pitfall: Jackson's first use of a type (class loading, introspection) takes tens to hundreds of milliseconds and
 * runs on the loop's thread like any codec call; encode one value at start-up to pay it before serving.
 */
public final class JsonCodec<V> implements RedisCodec<String, V> {
    private static final ObjectMapper DEFAULT = new ObjectMapper().findAndRegisterModules();

    private final ObjectMapper mapper;
    private final Class<V> type;

    private JsonCodec(ObjectMapper mapper, Class<V> type) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.type = Objects.requireNonNull(type, "type");
    }

    /** JSON values of {@code type}, with a shared mapper (modules on the class path registered). */
    public static <V> JsonCodec<V> of(Class<V> type) {
        return new JsonCodec<>(DEFAULT, type);
    }

    public static <V> JsonCodec<V> of(ObjectMapper mapper, Class<V> type) {
        return new JsonCodec<>(mapper, type);
    }

    @Override
    public byte[] encodeKey(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decodeKey(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] encodeValue(V value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new RedisException("cannot write a " + value.getClass().getName() + " as JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public V decodeValue(byte[] bytes) {
        try {
            return mapper.readValue(bytes, type);
        } catch (IOException e) {
            throw new RedisException("the stored value is not JSON of " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "JsonCodec[" + type.getName() + "]";
    }
}
