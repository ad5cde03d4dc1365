package dev.spindle.redis;

import static dev.spindle.redis.Unbox.l;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stream commands. Entry ids are Redis's text ({@code "1700000000000-0"}, {@code "*"}, {@code "$"}, {@code ">"}).
 * XREAD and XREADGROUP with a {@code block} duration are blocking commands: they run on a connection of their own
 * and the client's command timeout does not cut them short.
 *
 * {@snippet :
 * String id = redis.xadd("events", Map.of("type", "login", "user", "ada"));
 * redis.xgroupCreate("events", "mailers", "0", true);
 * var batch = redis.xreadgroup("mailers", "worker-1", Map.of("events", ">"), 10, Duration.ofSeconds(5));
 * for (StreamEntry<String, String> e : batch.getOrDefault("events", List.of())) {
 *     send(e.fields());
 *     redis.xack("events", "mailers", e.id());
 * }
 * }
 */
public interface StreamCommands<K, V> extends BaseCommands<K, V> {

    /** XADD with an auto id: the new entry's id. */
    default String xadd(K key, Map<K, V> fields) {
        return xadd(key, XAddArgs.NONE, fields);
    }

    /** XADD with options (id, NOMKSTREAM, trimming): the id, or null if NOMKSTREAM found no stream. */
    default String xadd(K key, XAddArgs args, Map<K, V> fields) {
        return execute(Cmd.of(codec(), "XADD")
                .key(key)
                .args(args.args().toArray())
                .pairs(fields)
                .build(Replies::string));
    }

    default long xlen(K key) {
        return l(execute(Cmd.of(codec(), "XLEN").key(key).idempotent().build(Replies::integerOrNull)));
    }

    /** XRANGE from {@code start} to {@code end} ({@code "-"} and {@code "+"} for the ends). */
    default List<StreamEntry<K, V>> xrange(K key, String start, String end) {
        return xrange(key, start, end, 0);
    }

    /** XRANGE with COUNT ({@code 0}: all). */
    default List<StreamEntry<K, V>> xrange(K key, String start, String end, long count) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "XRANGE")
                .key(key)
                .arg(start)
                .arg(end)
                .when(count > 0, "COUNT", count)
                .idempotent()
                .build(r -> Replies.entries(c, r)));
    }

    /** XREVRANGE: newest first, from {@code end} down to {@code start}. */
    default List<StreamEntry<K, V>> xrevrange(K key, String end, String start, long count) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "XREVRANGE")
                .key(key)
                .arg(end)
                .arg(start)
                .when(count > 0, "COUNT", count)
                .idempotent()
                .build(r -> Replies.entries(c, r)));
    }

    default long xdel(K key, String... ids) {
        return l(execute(Cmd.of(codec(), "XDEL").key(key).args((Object[]) ids).build(Replies::integerOrNull)));
    }

    /** XTRIM with MAXLEN or MINID from {@code args} (its id is ignored): how many entries were removed. */
    default long xtrim(K key, XAddArgs args) {
        if (!args.trims()) {
            throw new IllegalArgumentException("XTRIM needs maxlen or minid");
        }
        List<Object> a = new ArrayList<>();
        args.trimArgs(a);
        return l(execute(Cmd.of(codec(), "XTRIM").key(key).args(a.toArray()).build(Replies::integerOrNull)));
    }

    /**
     * XREAD: entries after the given ids ({@code "$"}: only new ones), per stream; empty when {@code block} passes
     * with nothing. {@code count} 0: no limit; {@code block} null: do not block.
     */
    default Map<K, List<StreamEntry<K, V>>> xread(Map<K, String> streams, long count, Duration block) {
        RedisCodec<K, V> c = codec();
        Cmd<K, V> cmd = Cmd.of(c, "XREAD").when(count > 0, "COUNT", count);
        if (block != null) {
            cmd.arg("BLOCK").arg(block.toMillis()).blocking();
        } else {
            cmd.idempotent();
        }
        streamArgs(cmd, streams);
        return execute(cmd.build(r -> Replies.streams(c, r)));
    }

    /** XREADGROUP as {@code consumer} of {@code group}; ids {@code ">"} for new entries, others for its pending ones. */
    default Map<K, List<StreamEntry<K, V>>> xreadgroup(
            String group, String consumer, Map<K, String> streams, long count, Duration block) {
        return xreadgroup(group, consumer, streams, count, block, false);
    }

    /** XREADGROUP, with NOACK when {@code noack}. */
    default Map<K, List<StreamEntry<K, V>>> xreadgroup(
            String group, String consumer, Map<K, String> streams, long count, Duration block, boolean noack) {
        RedisCodec<K, V> c = codec();
        Cmd<K, V> cmd =
                Cmd.of(c, "XREADGROUP").arg("GROUP").arg(group).arg(consumer).when(count > 0, "COUNT", count);
        if (block != null) {
            cmd.arg("BLOCK").arg(block.toMillis()).blocking();
        }
        cmd.when(noack, "NOACK");
        streamArgs(cmd, streams);
        return execute(cmd.build(r -> Replies.streams(c, r)));
    }

    private static <K, V> void streamArgs(Cmd<K, V> cmd, Map<K, String> streams) {
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("no stream to read");
        }
        cmd.arg("STREAMS");
        streams.keySet().forEach(cmd::key);
        streams.values().forEach(cmd::arg);
    }

    /** XACK: how many entries were acknowledged. */
    default long xack(K key, String group, String... ids) {
        return l(execute(
                Cmd.of(codec(), "XACK").key(key).arg(group).args((Object[]) ids).build(Replies::integerOrNull)));
    }

    /** XGROUP CREATE, from {@code id} ({@code "$"}: new entries only), making the stream if {@code mkstream}. */
    default void xgroupCreate(K key, String group, String id, boolean mkstream) {
        execute(Cmd.of(codec(), "XGROUP")
                .arg("CREATE")
                .key(key)
                .arg(group)
                .arg(id)
                .when(mkstream, "MKSTREAM")
                .build(Replies::string));
    }

    default boolean xgroupDestroy(K key, String group) {
        return Unbox.b(execute(
                Cmd.of(codec(), "XGROUP").arg("DESTROY").key(key).arg(group).build(Replies::bool)));
    }

    default boolean xgroupCreateconsumer(K key, String group, String consumer) {
        return Unbox.b(execute(Cmd.of(codec(), "XGROUP")
                .arg("CREATECONSUMER")
                .key(key)
                .arg(group)
                .arg(consumer)
                .build(Replies::bool)));
    }

    /** XGROUP DELCONSUMER: how many pending entries the consumer had. */
    default long xgroupDelconsumer(K key, String group, String consumer) {
        return l(execute(Cmd.of(codec(), "XGROUP")
                .arg("DELCONSUMER")
                .key(key)
                .arg(group)
                .arg(consumer)
                .build(Replies::integerOrNull)));
    }

    default void xgroupSetid(K key, String group, String id) {
        execute(Cmd.of(codec(), "XGROUP")
                .arg("SETID")
                .key(key)
                .arg(group)
                .arg(id)
                .build(Replies::string));
    }

    /** XPENDING's summary form. */
    default PendingSummary xpending(K key, String group) {
        return execute(
                Cmd.of(codec(), "XPENDING").key(key).arg(group).idempotent().build(r -> {
                    List<?> l = Replies.list(r);
                    Map<String, Long> consumers = new LinkedHashMap<>();
                    for (Object o : Replies.list(l.get(3))) {
                        List<?> pair = (List<?>) o;
                        consumers.put(Replies.string(pair.get(0)), Replies.integer(pair.get(1)));
                    }
                    return new PendingSummary(
                            Replies.integer(l.get(0)), Replies.string(l.get(1)), Replies.string(l.get(2)), consumers);
                }));
    }

    /**
     * XPENDING's extended form: up to {@code count} pending entries between two ids, of one consumer if not null,
     * idle at least {@code minIdle} if not null.
     */
    default List<PendingEntry> xpending(
            K key, String group, Duration minIdle, String start, String end, long count, String consumer) {
        Cmd<K, V> cmd = Cmd.of(codec(), "XPENDING").key(key).arg(group);
        if (minIdle != null) {
            cmd.arg("IDLE").arg(minIdle.toMillis());
        }
        cmd.arg(start).arg(end).arg(count);
        if (consumer != null) {
            cmd.arg(consumer);
        }
        return execute(cmd.idempotent().build(r -> {
            List<PendingEntry> out = new ArrayList<>();
            for (Object o : Replies.list(r)) {
                List<?> e = (List<?>) o;
                out.add(new PendingEntry(
                        Replies.string(e.get(0)),
                        Replies.string(e.get(1)),
                        Duration.ofMillis(Replies.integer(e.get(2))),
                        Replies.integer(e.get(3))));
            }
            return out;
        }));
    }

    /** XCLAIM: takes pending entries idle at least {@code minIdle} for {@code consumer}; the entries claimed. */
    default List<StreamEntry<K, V>> xclaim(K key, String group, String consumer, Duration minIdle, String... ids) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "XCLAIM")
                .key(key)
                .arg(group)
                .arg(consumer)
                .arg(minIdle.toMillis())
                .args((Object[]) ids)
                .build(r -> Replies.entries(c, r)));
    }

    /** XAUTOCLAIM: claims up to {@code count} entries idle at least {@code minIdle}, scanning from {@code start}. */
    default AutoClaim<K, V> xautoclaim(
            K key, String group, String consumer, Duration minIdle, String start, long count) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "XAUTOCLAIM")
                .key(key)
                .arg(group)
                .arg(consumer)
                .arg(minIdle.toMillis())
                .arg(start)
                .when(count > 0, "COUNT", count)
                .build(r -> {
                    List<?> l = Replies.list(r);
                    List<String> deleted = l.size() > 2 ? Replies.strings(l.get(2)) : List.of();
                    return new AutoClaim<>(Replies.string(l.get(0)), Replies.entries(c, l.get(1)), deleted);
                }));
    }

    /** XINFO STREAM: the stream's fields by name (length, groups, first-entry...), bulk values as Strings. */
    default Map<String, Object> xinfoStream(K key) {
        return execute(
                Cmd.of(codec(), "XINFO").arg("STREAM").key(key).idempotent().build(Replies::info));
    }

    /** XINFO GROUPS: one map per consumer group. */
    default List<Map<String, Object>> xinfoGroups(K key) {
        return execute(
                Cmd.of(codec(), "XINFO").arg("GROUPS").key(key).idempotent().build(StreamCommands::infos));
    }

    /** XINFO CONSUMERS: one map per consumer of the group. */
    default List<Map<String, Object>> xinfoConsumers(K key, String group) {
        return execute(Cmd.of(codec(), "XINFO")
                .arg("CONSUMERS")
                .key(key)
                .arg(group)
                .idempotent()
                .build(StreamCommands::infos));
    }

    private static List<Map<String, Object>> infos(Object r) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : Replies.list(r)) {
            out.add(Replies.info(o));
        }
        return out;
    }
}
