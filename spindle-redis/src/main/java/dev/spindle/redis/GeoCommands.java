package dev.spindle.redis;

import static dev.spindle.redis.Unbox.l;

import java.util.ArrayList;
import java.util.List;

/**
 * Geo commands (a sorted set under the hood).
 *
 * {@snippet :
 * redis.geoadd("shops", 2.3522, 48.8566, "paris");
 * List<GeoResult<String>> near = redis.geosearch("shops", 2.35, 48.85, 10, GeoUnit.KM);
 * }
 */
public interface GeoCommands<K, V> extends BaseCommands<K, V> {

    /** GEOADD of one member: 1 if added. */
    default long geoadd(K key, double longitude, double latitude, V member) {
        return l(execute(Cmd.of(codec(), "GEOADD")
                .key(key)
                .arg(longitude)
                .arg(latitude)
                .value(member)
                .build(Replies::integerOrNull)));
    }

    /** GEODIST, or null if a member is missing. */
    default Double geodist(K key, V from, V to, GeoUnit unit) {
        return execute(Cmd.of(codec(), "GEODIST")
                .key(key)
                .value(from)
                .value(to)
                .arg(unit.name())
                .idempotent()
                .build(Replies::dbl));
    }

    /** GEOPOS: per member its coordinates, or null. */
    @SuppressWarnings("unchecked")
    default List<GeoCoordinates> geopos(K key, V... members) {
        return execute(
                Cmd.of(codec(), "GEOPOS").key(key).values(members).idempotent().build(r -> {
                    List<GeoCoordinates> out = new ArrayList<>();
                    for (Object o : Replies.list(r)) {
                        out.add(coordinates(o));
                    }
                    return out;
                }));
    }

    @SuppressWarnings("unchecked")
    default List<String> geohash(K key, V... members) {
        return execute(
                Cmd.of(codec(), "GEOHASH").key(key).values(members).idempotent().build(Replies::strings));
    }

    /** GEOSEARCH FROMLONLAT BYRADIUS, nearest first, with distances and coordinates. */
    default List<GeoResult<V>> geosearch(K key, double longitude, double latitude, double radius, GeoUnit unit) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "GEOSEARCH")
                .key(key)
                .arg("FROMLONLAT")
                .arg(longitude)
                .arg(latitude)
                .arg("BYRADIUS")
                .arg(radius)
                .arg(unit.name())
                .arg("ASC")
                .arg("WITHCOORD")
                .arg("WITHDIST")
                .idempotent()
                .build(r -> results(c, r)));
    }

    /** GEOSEARCH FROMMEMBER BYRADIUS, nearest first. */
    default List<GeoResult<V>> geosearch(K key, V member, double radius, GeoUnit unit) {
        RedisCodec<K, V> c = codec();
        return execute(Cmd.of(c, "GEOSEARCH")
                .key(key)
                .arg("FROMMEMBER")
                .value(member)
                .arg("BYRADIUS")
                .arg(radius)
                .arg(unit.name())
                .arg("ASC")
                .arg("WITHCOORD")
                .arg("WITHDIST")
                .idempotent()
                .build(r -> results(c, r)));
    }

    private static GeoCoordinates coordinates(Object o) {
        if (o == null) {
            return null;
        }
        List<?> p = Replies.list(o);
        return new GeoCoordinates(Replies.dbl(p.get(0)), Replies.dbl(p.get(1)));
    }

    private static <V> List<GeoResult<V>> results(RedisCodec<?, V> c, Object r) {
        List<GeoResult<V>> out = new ArrayList<>();
        for (Object o : Replies.list(r)) {
            List<?> e = Replies.list(o);
            out.add(new GeoResult<>(Replies.value(c, e.get(0)), Replies.dbl(e.get(1)), coordinates(e.get(2))));
        }
        return out;
    }
}
