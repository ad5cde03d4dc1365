package dev.spindle.redis;

import dev.spindle.redis.internal.resp.RespMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decoders from the parser's values to the shapes the typed commands return. RESP2 and RESP3 replies of one command
 * differ (a flat array or a map; a bulk string or a double) and come out the same.
 */
final class Replies {
    private Replies() {}

    static long integer(Object r) {
        return switch (r) {
            case Long l -> l;
            case byte[] b -> Long.parseLong(new String(b, StandardCharsets.US_ASCII));
            case Boolean b -> b ? 1 : 0;
            case null -> 0;
            default -> throw unexpected("an integer", r);
        };
    }

    static Long integerOrNull(Object r) {
        return r == null ? null : integer(r);
    }

    static boolean bool(Object r) {
        return switch (r) {
            case Long l -> l != 0;
            case Boolean b -> b;
            case String s -> s.equals("OK");
            case byte[] b -> b.length > 0;
            case null -> false;
            default -> throw unexpected("a boolean", r);
        };
    }

    static String string(Object r) {
        return switch (r) {
            case null -> null;
            case String s -> s;
            case byte[] b -> new String(b, StandardCharsets.UTF_8);
            case Long l -> l.toString();
            case Double d -> d.toString();
            default -> throw unexpected("a string", r);
        };
    }

    static Double dbl(Object r) {
        return switch (r) {
            case null -> null;
            case Double d -> d;
            case Long l -> l.doubleValue();
            case byte[] b -> parseDouble(new String(b, StandardCharsets.US_ASCII));
            case String s -> parseDouble(s);
            default -> throw unexpected("a number", r);
        };
    }

    private static double parseDouble(String s) {
        return switch (s) {
            case "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    static <V> V value(RedisCodec<?, V> codec, Object r) {
        return r == null ? null : codec.decodeValue(bytes(r));
    }

    static <K> K key(RedisCodec<K, ?> codec, Object r) {
        return r == null ? null : codec.decodeKey(bytes(r));
    }

    static byte[] bytes(Object r) {
        return switch (r) {
            case byte[] b -> b;
            case String s -> s.getBytes(StandardCharsets.UTF_8);
            case Long l -> l.toString().getBytes(StandardCharsets.US_ASCII);
            default -> throw unexpected("a bulk string", r);
        };
    }

    static List<?> list(Object r) {
        return switch (r) {
            case null -> List.of();
            case List<?> l -> l;
            default -> throw unexpected("an array", r);
        };
    }

    static <V> List<V> values(RedisCodec<?, V> codec, Object r) {
        List<?> l = list(r);
        List<V> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(value(codec, o));
        }
        return out;
    }

    static <K> List<K> keys(RedisCodec<K, ?> codec, Object r) {
        List<?> l = list(r);
        List<K> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(key(codec, o));
        }
        return out;
    }

    static <V> Set<V> valueSet(RedisCodec<?, V> codec, Object r) {
        List<?> l = list(r);
        Set<V> out = new LinkedHashSet<>(l.size() * 2);
        for (Object o : l) {
            out.add(value(codec, o));
        }
        return out;
    }

    static List<Long> integers(Object r) {
        List<?> l = list(r);
        List<Long> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(integerOrNull(o));
        }
        return out;
    }

    static List<Boolean> bools(Object r) {
        List<?> l = list(r);
        List<Boolean> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(bool(o));
        }
        return out;
    }

    static List<Double> doubles(Object r) {
        List<?> l = list(r);
        List<Double> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(dbl(o));
        }
        return out;
    }

    static List<String> strings(Object r) {
        List<?> l = list(r);
        List<String> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(string(o));
        }
        return out;
    }

    /** A RESP3 map or a RESP2 flat array of pairs, keys and values decoded. */
    static <K, V> Map<K, V> map(RedisCodec<K, V> codec, Object r) {
        List<?> l = list(r);
        if ((l.size() & 1) != 0) {
            throw unexpected("pairs", r);
        }
        Map<K, V> out = new LinkedHashMap<>(l.size());
        for (int i = 0; i < l.size(); i += 2) {
            out.put(key(codec, l.get(i)), value(codec, l.get(i + 1)));
        }
        return out;
    }

    /** A map whose keys are names ({@code XINFO}, {@code CONFIG GET}): String keys, values made plain. */
    static Map<String, Object> info(Object r) {
        List<?> l = list(r);
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < l.size(); i += 2) {
            out.put(string(l.get(i)), plainDeep(l.get(i + 1)));
        }
        return out;
    }

    static Map<String, String> stringMap(Object r) {
        List<?> l = list(r);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < l.size(); i += 2) {
            out.put(string(l.get(i)), string(l.get(i + 1)));
        }
        return out;
    }

    /** Values for callers of raw-ish replies: bulk strings as Strings, maps as Maps. */
    static Object plainDeep(Object r) {
        return switch (r) {
            case byte[] b -> new String(b, StandardCharsets.UTF_8);
            case RespMap m -> info(m);
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                for (Object o : l) {
                    out.add(plainDeep(o));
                }
                yield Collections.unmodifiableList(out);
            }
            case null -> null;
            default -> RedisCommand.plain(r);
        };
    }

    /** RESP2's flat {@code [member, score, ...]} or RESP3's {@code [[member, score], ...]}. */
    static <V> List<ScoredValue<V>> scored(RedisCodec<?, V> codec, Object r) {
        List<?> l = list(r);
        List<ScoredValue<V>> out = new ArrayList<>();
        if (!l.isEmpty() && l.get(0) instanceof List<?>) {
            for (Object o : l) {
                List<?> pair = (List<?>) o;
                out.add(new ScoredValue<>(value(codec, pair.get(0)), dbl(pair.get(1))));
            }
        } else {
            for (int i = 0; i + 1 < l.size(); i += 2) {
                out.add(new ScoredValue<>(value(codec, l.get(i)), dbl(l.get(i + 1))));
            }
        }
        return out;
    }

    /** A ZPOPMIN of one: {@code [member, score]} or empty. */
    static <V> ScoredValue<V> scoredOne(RedisCodec<?, V> codec, Object r) {
        List<ScoredValue<V>> l = scored(codec, r);
        return l.isEmpty() ? null : l.get(0);
    }

    static <K, V> KeyValue<K, V> keyValue(RedisCodec<K, V> codec, Object r) {
        if (r == null) {
            return null;
        }
        List<?> l = list(r);
        return new KeyValue<>(key(codec, l.get(0)), value(codec, l.get(1)));
    }

    static <K, V> List<StreamEntry<K, V>> entries(RedisCodec<K, V> codec, Object r) {
        List<?> l = list(r);
        List<StreamEntry<K, V>> out = new ArrayList<>(l.size());
        for (Object o : l) {
            if (o == null) {
                continue; // XCLAIM/XAUTOCLAIM may return nil for entries deleted meanwhile (Redis < 7)
            }
            List<?> e = (List<?>) o;
            out.add(new StreamEntry<>(string(e.get(0)), e.get(1) == null ? Map.of() : map(codec, e.get(1))));
        }
        return out;
    }

    /** XREAD/XREADGROUP: RESP2 {@code [[key, entries], ...]} or a RESP3 map; null (timed out) as empty. */
    static <K, V> Map<K, List<StreamEntry<K, V>>> streams(RedisCodec<K, V> codec, Object r) {
        Map<K, List<StreamEntry<K, V>>> out = new LinkedHashMap<>();
        if (r == null) {
            return out;
        }
        List<?> l = list(r);
        if (r instanceof RespMap) {
            for (int i = 0; i + 1 < l.size(); i += 2) {
                out.put(key(codec, l.get(i)), entries(codec, l.get(i + 1)));
            }
        } else {
            for (Object o : l) {
                List<?> s = (List<?>) o;
                out.put(key(codec, s.get(0)), entries(codec, s.get(1)));
            }
        }
        return out;
    }

    static RedisException unexpected(String what, Object r) {
        return new RedisProtocolError("expected " + what + " in the reply, got "
                + (r == null ? "null" : r.getClass().getSimpleName() + " " + RedisCommand.plain(r)));
    }
}
