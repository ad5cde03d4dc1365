package dev.spindle.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lua scripts and functions. A script's reply comes as: bulk strings decoded by the value codec, integers as
 * {@link Long}, status replies as {@link String}, arrays as {@link List}, nil as null; an error reply throws
 * {@link RedisServerError}.
 *
 * {@snippet :
 * Object n = redis.eval("return redis.call('INCRBY', KEYS[1], ARGV[1])", List.of("hits"), List.of("5"));
 * redis.functionLoad("#!lua name=lib\nredis.register_function('hello', function() return 'hi' end)", true);
 * Object hi = redis.fcall("hello", List.of(), List.of()); // "hi"
 * }
 */
public interface ScriptingCommands<K, V> extends BaseCommands<K, V> {

    default Object eval(String script, List<K> keys, List<V> args) {
        return scriptCall("EVAL", script, keys, args);
    }

    /** EVAL_RO: a script that only reads (may run on replicas). */
    default Object evalRo(String script, List<K> keys, List<V> args) {
        return scriptCall("EVAL_RO", script, keys, args);
    }

    /** EVALSHA of a script loaded before; NOSCRIPT if the server does not know it. */
    default Object evalsha(String sha1, List<K> keys, List<V> args) {
        return scriptCall("EVALSHA", sha1, keys, args);
    }

    /** Runs {@code script} by its SHA1, loading it (EVAL) when the server answers NOSCRIPT. */
    default Object evalsha(Script script, List<K> keys, List<V> args) {
        try {
            return evalsha(script.sha1(), keys, args);
        } catch (RedisServerError e) {
            if (!e.code().equals("NOSCRIPT")) {
                throw e;
            }
            return eval(script.source(), keys, args);
        }
    }

    /** SCRIPT LOAD: the script's SHA1. */
    default String scriptLoad(String script) {
        return execute(Cmd.of(codec(), "SCRIPT").arg("LOAD").arg(script).build(Replies::string));
    }

    default List<Boolean> scriptExists(String... sha1s) {
        return execute(
                Cmd.of(codec(), "SCRIPT").arg("EXISTS").args((Object[]) sha1s).build(Replies::bools));
    }

    default void scriptFlush() {
        execute(Cmd.of(codec(), "SCRIPT").arg("FLUSH").build(Replies::string));
    }

    /** FCALL of a function loaded with {@link #functionLoad}. */
    default Object fcall(String function, List<K> keys, List<V> args) {
        return scriptCall("FCALL", function, keys, args);
    }

    default Object fcallRo(String function, List<K> keys, List<V> args) {
        return scriptCall("FCALL_RO", function, keys, args);
    }

    /** FUNCTION LOAD (REPLACE if {@code replace}): the library's name. */
    default String functionLoad(String code, boolean replace) {
        return execute(Cmd.of(codec(), "FUNCTION")
                .arg("LOAD")
                .when(replace, "REPLACE")
                .arg(code)
                .build(Replies::string));
    }

    default void functionDelete(String library) {
        execute(Cmd.of(codec(), "FUNCTION").arg("DELETE").arg(library).build(Replies::string));
    }

    default void functionFlush() {
        execute(Cmd.of(codec(), "FUNCTION").arg("FLUSH").build(Replies::string));
    }

    private Object scriptCall(String name, String scriptOrName, List<K> keys, List<V> args) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, name)
                .arg(scriptOrName)
                .arg((long) keys.size())
                .keys(keys)
                .values(args)
                .build(r -> scriptValue(c, r)));
    }

    private static Object scriptValue(RedisCodec<?, ?> c, Object r) {
        return switch (r) {
            case byte[] b -> c.decodeValue(b);
            case dev.spindle.redis.internal.resp.RespMap m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (int i = 0; i + 1 < m.size(); i += 2) {
                    Object k = m.get(i);
                    out.put(
                            k instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : scriptValue(c, k),
                            scriptValue(c, m.get(i + 1)));
                }
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                for (Object o : l) {
                    out.add(scriptValue(c, o));
                }
                yield out;
            }
            case null -> null;
            default -> RedisCommand.plain(r);
        };
    }
}
