package dev.spindle.redis;

import static dev.spindle.redis.Unbox.l;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Server and connection commands, and PUBLISH. (SELECT is not here: a multiplexed or pooled connection is shared, so
 * the database is chosen once, in {@link RedisConfig#database()}.)
 *
 * {@snippet :
 * redis.ping();
 * String version = redis.info("server").get("redis_version");
 * }
 */
public interface ServerCommands<K, V> extends BaseCommands<K, V> {

    /** PING: {@code "PONG"}. */
    default String ping() {
        return execute(Cmd.of(codec(), "PING").idempotent().build(Replies::string));
    }

    default V echo(V message) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "ECHO").value(message).idempotent().buildValue());
    }

    default long dbsize() {
        return l(execute(Cmd.of(codec(), "DBSIZE").idempotent().build(Replies::integerOrNull)));
    }

    /** FLUSHDB: deletes every key of the database. */
    default void flushdb() {
        execute(Cmd.of(codec(), "FLUSHDB").build(Replies::string));
    }

    default void flushall() {
        execute(Cmd.of(codec(), "FLUSHALL").build(Replies::string));
    }

    /** INFO of one section ({@code server}, {@code memory}, ...) as its fields; the {@code # Section} lines dropped. */
    default Map<String, String> info(String section) {
        return execute(Cmd.of(codec(), "INFO").arg(section).idempotent().build(r -> parseInfo(Replies.string(r))));
    }

    /** INFO of the default sections. */
    default Map<String, String> info() {
        return execute(Cmd.of(codec(), "INFO").idempotent().build(r -> parseInfo(Replies.string(r))));
    }

    private static Map<String, String> parseInfo(String text) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (!line.isEmpty() && line.charAt(0) != '#' && colon > 0) {
                out.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return out;
    }

    /** TIME: the server's clock. */
    default Instant time() {
        return execute(Cmd.of(codec(), "TIME").idempotent().build(r -> {
            List<?> l = Replies.list(r);
            return Instant.ofEpochSecond(Replies.integer(l.get(0)), Replies.integer(l.get(1)) * 1000);
        }));
    }

    default Map<String, String> configGet(String pattern) {
        return execute(
                Cmd.of(codec(), "CONFIG").arg("GET").arg(pattern).idempotent().build(Replies::stringMap));
    }

    default void configSet(String parameter, String value) {
        execute(Cmd.of(codec(), "CONFIG").arg("SET").arg(parameter).arg(value).build(Replies::string));
    }

    /** CLIENT ID of the connection the command ran on. */
    default long clientId() {
        return l(execute(Cmd.of(codec(), "CLIENT").arg("ID").build(Replies::integerOrNull)));
    }

    default String clientGetname() {
        return execute(Cmd.of(codec(), "CLIENT").arg("GETNAME").build(Replies::string));
    }

    /** CLIENT LIST: one line per connection. */
    default String clientList() {
        return execute(Cmd.of(codec(), "CLIENT").arg("LIST").build(Replies::string));
    }

    /** MEMORY USAGE of a key in bytes, or null without key. */
    default Long memoryUsage(K key) {
        return execute(Cmd.of(codec(), "MEMORY").arg("USAGE").key(key).build(Replies::integerOrNull));
    }

    default Instant lastsave() {
        return Instant.ofEpochSecond(l(execute(Cmd.of(codec(), "LASTSAVE").build(Replies::integerOrNull))));
    }

    /** PUBLISH: how many subscribers received it. */
    default long publish(String channel, V message) {
        return l(execute(Cmd.of(codec(), "PUBLISH").arg(channel).value(message).build(Replies::integerOrNull)));
    }

    /** SPUBLISH to a shard channel; a cluster client sends it to the node of the channel's slot. */
    default long spublish(String channel, V message) {
        return l(execute(
                Cmd.of(codec(), "SPUBLISH").routingArg(channel).value(message).build(Replies::integerOrNull)));
    }

    /** PUBSUB CHANNELS matching a pattern ({@code "*"}: all). */
    default List<String> pubsubChannels(String pattern) {
        return execute(Cmd.of(codec(), "PUBSUB").arg("CHANNELS").arg(pattern).build(Replies::strings));
    }

    /** PUBSUB NUMSUB: subscribers per channel. */
    default Map<String, Long> pubsubNumsub(String... channels) {
        return execute(Cmd.of(codec(), "PUBSUB")
                .arg("NUMSUB")
                .args((Object[]) channels)
                .build(r -> {
                    Map<String, Long> out = new java.util.LinkedHashMap<>();
                    List<?> l = Replies.list(r);
                    for (int i = 0; i + 1 < l.size(); i += 2) {
                        out.put(Replies.string(l.get(i)), Replies.integer(l.get(i + 1)));
                    }
                    return out;
                }));
    }
}
