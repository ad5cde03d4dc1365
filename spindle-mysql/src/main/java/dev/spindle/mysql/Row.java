package dev.spindle.mysql;

import dev.spindle.mysql.internal.json.JsonSupport;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One row of a result: values by position (from 0) or by column label, already converted to Java types (see
 * {@link MySqlConnection} for the mapping), as a {@link #toMap() map}, or as a {@link #as record}.
 *
 * {@snippet :
 * record User(long id, String name, LocalDateTime createdAt) {}
 *
 * Row r = conn.fetchOne("SELECT id, name, created_at FROM users WHERE id = ?", 7);
 * long id = r.getLong("id");
 * String name = r.getString(1);
 * User u = r.as(User.class);              // columns matched to components by name (created_at -> createdAt)
 * Map<String, Object> m = r.toMap();
 * }
 *
 * <p>A row is immutable and holds no connection; it stays valid after the connection is gone.
 */
public final class Row {
    private final Columns meta;
    private final Object[] values;

    Row(Columns meta, Object[] values) {
        this.meta = meta;
        this.values = values;
    }

    /** The columns, shared by every row of the result. */
    public List<Column> columns() {
        return meta.list;
    }

    public int size() {
        return values.length;
    }

    /** The value at {@code index} (from 0), null for SQL NULL. */
    public Object get(int index) {
        if (index < 0 || index >= values.length) {
            throw new IndexOutOfBoundsException("column " + index + " of a row of " + values.length + " columns");
        }
        return values[index];
    }

    /**
     * The value of the column labelled {@code name} (case-insensitive, as MySQL compares column names).
     *
     * @throws IllegalArgumentException if no column has that label, listing those that exist
     */
    public Object get(String name) {
        return values[meta.index(name)];
    }

    /**
     * The value converted to {@code type}: widening and exact conversions only (an Integer as Long, a Long that fits
     * as Integer, a LocalDateTime as Instant in the session time zone, a Duration as LocalTime within a day...), else
     * an {@link IllegalArgumentException} naming the column.
     */
    public <T> T get(int index, Class<T> type) {
        return convert(get(index), type, meta.list.get(index).name(), meta.zone);
    }

    public <T> T get(String name, Class<T> type) {
        int i = meta.index(name);
        return convert(values[i], type, meta.list.get(i).name(), meta.zone);
    }

    /**
     * The column's text read as a JSON document into {@code type}: a record, a {@code Map}, a {@code List}, Jackson's
     * {@code JsonNode}... (through Jackson, an optional dependency: see {@link Json}). NULL gives null.
     *
     * @throws IllegalArgumentException if the value is not text, or not JSON that reads as {@code type}, naming the
     *     column
     * @throws IllegalStateException if Jackson is not on the class path
     */
    public <T> T getJson(int index, Class<T> type) {
        return type.cast(json(values[index], type, meta.list.get(index).name()));
    }

    /** {@link #getJson(int, Class)} by column label. */
    public <T> T getJson(String name, Class<T> type) {
        return getJson(meta.index(name), type);
    }

    private static Object json(Object v, java.lang.reflect.Type type, String column) {
        return switch (v) {
            case null -> null;
            case String s -> JsonSupport.read(s, type, column);
            case byte[] b -> JsonSupport.read(new String(b, java.nio.charset.StandardCharsets.UTF_8), type, column);
            default ->
                throw new IllegalArgumentException("column " + column + " holds a "
                        + v.getClass().getSimpleName() + ", not the text of a JSON document");
        };
    }

    public String getString(int index) {
        return get(index, String.class);
    }

    public String getString(String name) {
        return get(name, String.class);
    }

    /** The value as a long. @throws NullPointerException for NULL, naming the column */
    public long getLong(int index) {
        return nonNull(get(index, Long.class), index);
    }

    public long getLong(String name) {
        return nonNull(get(name, Long.class), meta.index(name));
    }

    public int getInt(int index) {
        return nonNull(get(index, Integer.class), index);
    }

    public int getInt(String name) {
        return nonNull(get(name, Integer.class), meta.index(name));
    }

    public boolean getBoolean(String name) {
        return nonNull(get(name, Boolean.class), meta.index(name));
    }

    public BigDecimal getBigDecimal(String name) {
        return get(name, BigDecimal.class);
    }

    public byte[] getBytes(String name) {
        return get(name, byte[].class);
    }

    public LocalDateTime getLocalDateTime(String name) {
        return get(name, LocalDateTime.class);
    }

    public boolean isNull(String name) {
        return get(name) == null;
    }

    private <T> T nonNull(T v, int index) {
        if (v == null) {
            throw new NullPointerException("column " + meta.list.get(index).name() + " is NULL");
        }
        return v;
    }

    /** The row as an ordered map from column label to value (NULLs included, as null values). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(values.length * 2);
        for (int i = 0; i < values.length; i++) {
            m.put(meta.list.get(i).name(), values[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * The row as a record of type {@code type}: each component takes the column of the same name, compared without
     * case and underscores ({@code created_at} fills {@code createdAt}), converted as {@link #get(int, Class)} does;
     * a component whose type is a record, a {@code Map}, a collection or an array (not {@code byte[]}) reads its
     * column's text as a JSON document, as {@link #getJson} does (a generic type such as {@code List<Address>} is
     * kept).
     * The mapping is worked out once per record type and result.
     *
     * @throws IllegalArgumentException if a component has no column, naming it
     */
    public <R extends Record> R as(Class<R> type) {
        RecordMapping mapping = meta.mapping(type);
        Object[] args = new Object[mapping.columns.length];
        RecordComponent[] comps = type.getRecordComponents();
        for (int i = 0; i < args.length; i++) {
            int c = mapping.columns[i];
            Class<?> t = comps[i].getType();
            Object raw = values[c];
            Object v = (raw instanceof String || raw instanceof byte[]) && JsonSupport.isDocumentType(t)
                    ? json(raw, comps[i].getGenericType(), meta.list.get(c).name()) // a JSON column, read as such
                    : convert(raw, box(t), meta.list.get(c).name(), meta.zone);
            if (v == null && t.isPrimitive()) {
                throw new NullPointerException("column " + meta.list.get(c).name() + " is NULL but "
                        + type.getSimpleName() + "." + comps[i].getName() + " is a " + t);
            }
            args[i] = v;
        }
        try {
            return type.cast(mapping.constructor.newInstance(args));
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(
                    type.getSimpleName() + "'s constructor refused the row: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot make a " + type.getName() + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return toMap().toString();
    }

    private static Class<?> box(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        return switch (t.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "boolean" -> Boolean.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            default -> throw new IllegalArgumentException("unsupported component type " + t);
        };
    }

    @SuppressWarnings("unchecked")
    static <T> T convert(Object v, Class<T> type, String column, ZoneId zone) {
        if (v == null || type.isInstance(v)) {
            return (T) v;
        }
        Object r =
                switch (v) {
                    case Number n when type == Long.class && exactLong(n) -> n.longValue();
                    case Number n
                    when type == Integer.class && exactLong(n) && n.longValue() == n.intValue() -> n.intValue();
                    case Number n
                    when type == Short.class && exactLong(n) && n.longValue() == n.shortValue() -> n.shortValue();
                    case Number n when type == BigInteger.class && exactLong(n) -> BigInteger.valueOf(n.longValue());
                    case Number n when type == BigDecimal.class && exactLong(n) -> BigDecimal.valueOf(n.longValue());
                    case BigInteger n when type == BigDecimal.class -> new BigDecimal(n);
                    case Float f when type == Double.class -> (double) f;
                    case Number n when type == Double.class && !(n instanceof BigDecimal) -> n.doubleValue();
                    case BigDecimal d when type == Double.class -> d.doubleValue();
                    case Boolean b when type == Integer.class -> b ? 1 : 0;
                    case Boolean b when type == Long.class -> b ? 1L : 0L;
                    case Number n when type == Boolean.class && exactLong(n) -> n.longValue() != 0;
                    case LocalDateTime t
                    when type == Instant.class && zone != null -> t.atZone(zone).toInstant();
                    case LocalDateTime t
                    when type == OffsetDateTime.class && zone != null ->
                        t.atZone(zone).toOffsetDateTime();
                    case LocalDateTime t
                    when type == LocalDate.class && t.toLocalTime().equals(LocalTime.MIDNIGHT) -> t.toLocalDate();
                    case LocalDate d when type == LocalDateTime.class -> d.atStartOfDay();
                    case Duration d
                    when type == LocalTime.class && !d.isNegative() && d.compareTo(Duration.ofDays(1)) < 0 ->
                        LocalTime.ofNanoOfDay(d.toNanos());
                    case String s when type == byte[].class -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    case byte[] b when type == String.class -> new String(b, java.nio.charset.StandardCharsets.UTF_8);
                    case Number n when type == String.class -> n.toString();
                    default -> null;
                };
        if (r == null) {
            throw new IllegalArgumentException(
                    "column " + column + " holds a " + v.getClass().getSimpleName() + " (" + preview(v)
                            + "), which does not convert exactly to " + type.getSimpleName());
        }
        return (T) r;
    }

    private static String preview(Object v) {
        String s = v instanceof byte[] b ? b.length + " bytes" : String.valueOf(v);
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static boolean exactLong(Number n) {
        return switch (n) {
            case Long l -> true;
            case Integer i -> true;
            case Short s -> true;
            case Byte b -> true;
            case BigInteger b -> b.bitLength() <= 63;
            case BigDecimal d -> {
                try {
                    d.longValueExact();
                    yield true;
                } catch (ArithmeticException e) {
                    yield false;
                }
            }
            default -> false;
        };
    }

    /** The columns of one result, with the label index and record mappings, shared by its rows. */
    static final class Columns {
        final List<Column> list;
        final ZoneId zone;
        /** Built at the first lookup by name; volatile: one metadata serves every result of a prepared statement. */
        private volatile Map<String, Integer> byName;

        private final Map<Class<?>, RecordMapping> mappings = new ConcurrentHashMap<>(2);

        Columns(List<Column> list, ZoneId zone) {
            this.list = list;
            this.zone = zone;
        }

        int index(String name) {
            Map<String, Integer> names = byName;
            if (names == null) {
                names = new HashMap<>();
                for (int i = list.size() - 1; i >= 0; i--) { // the first of duplicate labels wins
                    names.put(list.get(i).name().toLowerCase(java.util.Locale.ROOT), i);
                }
                byName = names;
            }
            Integer i = names.get(name.toLowerCase(java.util.Locale.ROOT));
            if (i == null) {
                throw new IllegalArgumentException("no column " + name + " in "
                        + list.stream().map(Column::name).toList());
            }
            return i;
        }

        RecordMapping mapping(Class<?> type) {
            return mappings.computeIfAbsent(type, t -> new RecordMapping(t, this));
        }
    }

    static final class RecordMapping {
        final Constructor<?> constructor;
        final int[] columns;

        RecordMapping(Class<?> type, Columns meta) {
            RecordComponent[] comps = type.getRecordComponents();
            Class<?>[] types = new Class<?>[comps.length];
            columns = new int[comps.length];
            Map<String, Integer> loose = new HashMap<>();
            for (int i = meta.list.size() - 1; i >= 0; i--) {
                loose.put(squash(meta.list.get(i).name()), i);
            }
            for (int i = 0; i < comps.length; i++) {
                types[i] = comps[i].getType();
                Integer c = loose.get(squash(comps[i].getName()));
                if (c == null) {
                    throw new IllegalArgumentException(
                            type.getSimpleName() + "." + comps[i].getName() + " has no column among "
                                    + meta.list.stream().map(Column::name).toList());
                }
                columns[i] = c;
            }
            try {
                constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalArgumentException(
                        "cannot use " + type.getName() + "'s canonical constructor: " + e, e);
            }
        }

        private static String squash(String s) {
            return s.replace("_", "").toLowerCase(java.util.Locale.ROOT);
        }
    }
}
