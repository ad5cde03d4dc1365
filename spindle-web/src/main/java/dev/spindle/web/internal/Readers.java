package dev.spindle.web.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the {@link Reader} of a declared type, once, at startup: scalars with pydantic's lax conversions, enums by
 * value, {@code Optional}, lists and sets, maps, records (through {@link ModelInfo}) and free JSON.
 */
public final class Readers {
    private Readers() {}

    /** The reader of {@code type}, with the constraints annotated on it (and on its declaration, {@code extra}). */
    public static Reader of(AnnotatedType type, Annotation[] extra) {
        Constraints constraints = Constraints.of(merge(type.getAnnotations(), extra));
        Type t = type.getType();
        Class<?> raw = rawClass(t);
        if (raw == Optional.class) {
            Reader inner = of(typeArg(type, 0), new Annotation[0]);
            return new OptionalReader(type, constraints, inner);
        }
        if (raw == List.class || raw == Collection.class || raw == Set.class || raw == Iterable.class) {
            Reader inner = of(typeArg(type, 0), new Annotation[0]);
            return new ListReader(type, constraints, inner, raw == Set.class);
        }
        if (raw == Map.class) {
            Reader key = of(typeArg(type, 0), new Annotation[0]);
            Reader value = of(typeArg(type, 1), new Annotation[0]);
            return new MapReader(type, constraints, key, value);
        }
        if (raw.isRecord()) {
            return new ModelReader(type, constraints, raw);
        }
        if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
            return new RawReader(type, constraints, raw);
        }
        Scalar.Kind kind = Scalar.kindOf(raw);
        if (kind != null) {
            return new Scalar(type, constraints, kind, raw);
        }
        return new JacksonReader(type, constraints, raw);
    }

    static Annotation[] merge(Annotation[] a, Annotation[] b) {
        if (b == null || b.length == 0) {
            return a;
        }
        List<Annotation> all = new ArrayList<>(List.of(a));
        for (Annotation x : b) {
            if (!all.contains(x)) {
                all.add(x);
            }
        }
        return all.toArray(new Annotation[0]);
    }

    public static Class<?> rawClass(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (t instanceof java.lang.reflect.WildcardType w) {
            return rawClass(w.getUpperBounds()[0]);
        }
        return Object.class;
    }

    public static AnnotatedType typeArg(AnnotatedType type, int i) {
        if (type instanceof AnnotatedParameterizedType p) {
            AnnotatedType a = p.getAnnotatedActualTypeArguments()[i];
            if (a instanceof java.lang.reflect.AnnotatedWildcardType w) {
                return w.getAnnotatedUpperBounds()[0];
            }
            return a;
        }
        throw new IllegalArgumentException(
                "a raw " + type.getType().getTypeName() + " says nothing of its elements: give its type arguments");
    }

    /** The value of an enum constant on the wire: its {@code @JsonProperty}, else its name. */
    public static String enumValue(Enum<?> e) {
        return ENUM_VALUES.get(e.getDeclaringClass())[e.ordinal()];
    }

    /**
     * Each enum class's values on the wire, by ordinal, worked out once: responses write enums through this, and
     * the constants' annotations are read from the class file ({@link Annotations}), not by reflection.
     */
    private static final ClassValue<String[]> ENUM_VALUES = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            Object[] constants = type.getEnumConstants();
            String[] values = new String[constants.length];
            for (Object c : constants) {
                Enum<?> e = (Enum<?>) c;
                values[e.ordinal()] = wireValue(e);
            }
            return values;
        }
    };

    private static String wireValue(Enum<?> e) {
        try {
            for (Annotation a : Annotations.of(e.getDeclaringClass().getField(e.name()))) {
                if (a instanceof JsonProperty p) {
                    return !p.value().isEmpty() ? p.value() : e.name();
                }
            }
            return e.name();
        } catch (NoSuchFieldException x) {
            return e.name();
        }
    }

    // ---- readers --------------------------------------------------------------------------------------------

    static final class OptionalReader extends Reader {
        final Reader inner;

        OptionalReader(AnnotatedType type, Constraints c, Reader inner) {
            super(type, c);
            this.inner = inner;
        }

        @Override
        protected Object fromText(String text, Loc loc, Errors errors) {
            Object v = inner.readText(text, loc, errors);
            return v == INVALID ? v : Optional.ofNullable(v);
        }

        @Override
        protected Object fromTexts(List<String> texts, Loc loc, Errors errors) {
            Object v = inner.readTexts(texts, loc, errors);
            return v == INVALID ? v : Optional.ofNullable(v);
        }

        @Override
        protected Object fromJson(JsonNode node, Loc loc, Errors errors) {
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            Object v = inner.readJson(node, loc, errors);
            return v == INVALID ? v : Optional.ofNullable(v);
        }

        @Override
        protected Object unwrap(Object v) {
            return ((Optional<?>) v).orElse(null);
        }

        @Override
        public boolean isMulti() {
            return inner.isMulti();
        }

        @Override
        public Object absent() {
            return Optional.empty();
        }

        @Override
        public boolean isOptional() {
            return true;
        }
    }

    static final class ListReader extends Reader {
        final Reader element;
        final boolean set;

        ListReader(AnnotatedType type, Constraints c, Reader element, boolean set) {
            super(type, c);
            this.element = element;
            this.set = set;
        }

        @Override
        protected Object fromText(String text, Loc loc, Errors errors) {
            return readMany(List.of(text), loc, errors);
        }

        @Override
        protected Object fromTexts(List<String> texts, Loc loc, Errors errors) {
            return readMany(texts, loc, errors);
        }

        private Object readMany(List<String> texts, Loc loc, Errors errors) {
            Collection<Object> out = set ? new LinkedHashSet<>() : new ArrayList<>(texts.size());
            boolean ok = true;
            for (int i = 0; i < texts.size(); i++) {
                Object v = element.readText(texts.get(i), loc.with(i), errors);
                ok &= v != INVALID;
                out.add(v);
            }
            return ok ? freeze(out) : INVALID;
        }

        @Override
        protected Object fromJson(JsonNode node, Loc loc, Errors errors) {
            if (node == null || !node.isArray()) {
                errors.add(
                        set ? "set_type" : "list_type",
                        loc,
                        set ? "Input should be a valid set" : "Input should be a valid list",
                        node,
                        null);
                return INVALID;
            }
            Collection<Object> out = set ? new LinkedHashSet<>() : new ArrayList<>(node.size());
            boolean ok = true;
            for (int i = 0; i < node.size(); i++) {
                Object v = element.readJson(node.get(i), loc.with(i), errors);
                ok &= v != INVALID;
                out.add(v);
            }
            return ok ? freeze(out) : INVALID;
        }

        private Object freeze(Collection<Object> out) {
            return set
                    ? Collections.unmodifiableSet((Set<Object>) out)
                    : Collections.unmodifiableList((List<Object>) out);
        }

        @Override
        public boolean isMulti() {
            return true;
        }
    }

    static final class MapReader extends Reader {
        final Reader key;
        final Reader value;

        MapReader(AnnotatedType type, Constraints c, Reader key, Reader value) {
            super(type, c);
            this.key = key;
            this.value = value;
        }

        @Override
        protected Object fromText(String text, Loc loc, Errors errors) {
            errors.add("dict_type", loc, "Input should be a valid dictionary", text, null);
            return INVALID;
        }

        @Override
        protected Object fromJson(JsonNode node, Loc loc, Errors errors) {
            if (node == null || !node.isObject()) {
                errors.add("dict_type", loc, "Input should be a valid dictionary", node, null);
                return INVALID;
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            boolean ok = true;
            for (var it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                Loc at = loc.with(e.getKey());
                Object k = key.readText(e.getKey(), at.with("[key]"), errors);
                Object v = value.readJson(e.getValue(), at, errors);
                ok &= k != INVALID && v != INVALID;
                out.put(k, v);
            }
            return ok ? Collections.unmodifiableMap(out) : INVALID;
        }
    }

    /** A record, through its {@link ModelInfo} (looked up at first use: records may refer to themselves). */
    public static final class ModelReader extends Reader {
        public final Class<?> recordType;
        private volatile ModelInfo model;
        boolean topLevel;

        ModelReader(AnnotatedType type, Constraints c, Class<?> recordType) {
            super(type, c);
            this.recordType = recordType;
        }

        public ModelInfo model() {
            ModelInfo m = model;
            if (m == null) {
                m = model = ModelInfo.of(recordType);
            }
            return m;
        }

        @Override
        protected Object fromText(String text, Loc loc, Errors errors) {
            errors.add(
                    "model_attributes_type",
                    loc,
                    "Input should be a valid dictionary or object to extract fields from",
                    text,
                    null);
            return INVALID;
        }

        @Override
        protected Object fromJson(JsonNode node, Loc loc, Errors errors) {
            return model().read(node, loc, errors);
        }
    }

    /** Free JSON: {@code Object} (maps, lists, strings, numbers, booleans, null) or Jackson's tree. */
    static final class RawReader extends Reader {
        final Class<?> raw;

        RawReader(AnnotatedType type, Constraints c, Class<?> raw) {
            super(type, c);
            this.raw = raw;
        }

        @Override
        protected Object fromText(String text, Loc loc, Errors errors) {
            return JsonNode.class.isAssignableFrom(raw) ? JsonNodeFactory.instance.textNode(text) : text;
        }

        @Override
        protected Object fromJson(JsonNode node, Loc loc, Errors errors) {
            if (JsonNode.class.isAssignableFrom(raw)) {
                return node;
            }
            return node == null ? null : Json.MAPPER.convertValue(node, Object.class);
        }
    }

    /** Any other class: Jackson binds it (one error for the whole value if it cannot). */
    static final class JacksonReader extends Reader {
        final Class<?> raw;

        JacksonReader(AnnotatedType type, Constraints c, Class<?> raw) {
            super(type, c);
            this.raw = raw;
        }

        @Override
        protected Object fromText(String text, Loc loc, Errors errors) {
            return fromJson(JsonNodeFactory.instance.textNode(text), loc, errors);
        }

        @Override
        protected Object fromJson(JsonNode node, Loc loc, Errors errors) {
            try {
                return Json.MAPPER.treeToValue(node, raw);
            } catch (Exception e) {
                String why = e.getMessage() == null
                        ? e.toString()
                        : e.getMessage().lines().findFirst().orElse("");
                errors.add("value_error", loc, "Value error, " + why, node, Map.of("error", why));
                return INVALID;
            }
        }
    }

    // ---- scalars ----------------------------------------------------------------------------------------------

    static final class Scalar extends Reader {
        enum Kind {
            STRING,
            INT,
            LONG,
            SHORT,
            BYTE,
            DOUBLE,
            FLOAT,
            BOOL,
            DECIMAL,
            BIGINT,
            UUID,
            ENUM,
            DATE,
            DATETIME,
            OFFSET_DATETIME,
            INSTANT,
            TIME,
            DURATION,
            CHAR
        }

        final Kind kind;
        final boolean primitive;
        final Map<String, Enum<?>> enumValues;
        final String enumExpected;

        Scalar(AnnotatedType type, Constraints c, Kind kind, Class<?> raw) {
            super(type, c);
            this.kind = kind;
            this.primitive = raw.isPrimitive();
            if (kind == Kind.ENUM) {
                Map<String, Enum<?>> values = new LinkedHashMap<>();
                for (Object e : raw.getEnumConstants()) {
                    values.put(enumValue((Enum<?>) e), (Enum<?>) e);
                }
                enumValues = values;
                List<String> quoted =
                        values.keySet().stream().map(v -> "'" + v + "'").toList();
                enumExpected = quoted.size() == 1
                        ? quoted.getFirst()
                        : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.getLast();
            } else {
                enumValues = null;
                enumExpected = null;
            }
        }

        static Kind kindOf(Class<?> c) {
            if (c == String.class || c == CharSequence.class) return Kind.STRING;
            if (c == int.class || c == Integer.class) return Kind.INT;
            if (c == long.class || c == Long.class) return Kind.LONG;
            if (c == short.class || c == Short.class) return Kind.SHORT;
            if (c == byte.class || c == Byte.class) return Kind.BYTE;
            if (c == double.class || c == Double.class) return Kind.DOUBLE;
            if (c == float.class || c == Float.class) return Kind.FLOAT;
            if (c == boolean.class || c == Boolean.class) return Kind.BOOL;
            if (c == char.class || c == Character.class) return Kind.CHAR;
            if (c == BigDecimal.class) return Kind.DECIMAL;
            if (c == BigInteger.class) return Kind.BIGINT;
            if (c == UUID.class) return Kind.UUID;
            if (c.isEnum()) return Kind.ENUM;
            if (c == LocalDate.class) return Kind.DATE;
            if (c == LocalDateTime.class) return Kind.DATETIME;
            if (c == OffsetDateTime.class) return Kind.OFFSET_DATETIME;
            if (c == Instant.class) return Kind.INSTANT;
            if (c == LocalTime.class) return Kind.TIME;
            if (c == Duration.class) return Kind.DURATION;
            return null;
        }

        @Override
        protected Object fromText(String s, Loc loc, Errors errors) {
            switch (kind) {
                case STRING:
                    return s;
                case CHAR:
                    if (s.length() == 1) {
                        return s.charAt(0);
                    }
                    errors.add(
                            s.isEmpty() ? "string_too_short" : "string_too_long",
                            loc,
                            s.isEmpty()
                                    ? "String should have at least 1 character"
                                    : "String should have at most 1 character",
                            s,
                            Map.of(s.isEmpty() ? "min_length" : "max_length", 1));
                    return INVALID;
                case INT, LONG, SHORT, BYTE, BIGINT:
                    return integer(s.strip(), s, loc, errors);
                case DOUBLE, FLOAT: {
                    String t = s.strip();
                    if (!isFloatText(t)) {
                        errors.add(
                                "float_parsing",
                                loc,
                                "Input should be a valid number, unable to parse string as a" + " number",
                                s,
                                null);
                        return INVALID;
                    }
                    double d = parseFloat(t);
                    return kind == Kind.DOUBLE ? (Object) d : (Object) (float) d;
                }
                case BOOL:
                    switch (s.strip().toLowerCase(Locale.ROOT)) {
                        case "1", "on", "t", "true", "y", "yes":
                            return Boolean.TRUE;
                        case "0", "off", "f", "false", "n", "no":
                            return Boolean.FALSE;
                        default:
                            errors.add(
                                    "bool_parsing",
                                    loc,
                                    "Input should be a valid boolean, unable to interpret input",
                                    s,
                                    null);
                            return INVALID;
                    }
                case DECIMAL:
                    try {
                        String t = s.strip();
                        if (t.isEmpty()
                                || !t.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || "+-.eE".indexOf(ch) >= 0)) {
                            throw new NumberFormatException();
                        }
                        return new BigDecimal(t);
                    } catch (NumberFormatException e) {
                        errors.add("decimal_parsing", loc, "Input should be a valid decimal", s, null);
                        return INVALID;
                    }
                case UUID:
                    return uuid(s, loc, errors);
                case ENUM: {
                    Enum<?> e = enumValues.get(s);
                    if (e == null) {
                        errors.add("enum", loc, "Input should be " + enumExpected, s, Map.of("expected", enumExpected));
                        return INVALID;
                    }
                    return e;
                }
                case DATE:
                    try {
                        return LocalDate.parse(s.strip());
                    } catch (DateTimeParseException e) {
                        errors.add(
                                "date_parsing",
                                loc,
                                "Input should be a valid date in the format YYYY-MM-DD, " + "invalid date",
                                s,
                                Map.of("error", "invalid date"));
                        return INVALID;
                    }
                case DATETIME, OFFSET_DATETIME, INSTANT:
                    return dateTime(s, loc, errors);
                case TIME:
                    try {
                        return LocalTime.parse(s.strip());
                    } catch (DateTimeParseException e) {
                        errors.add(
                                "time_parsing",
                                loc,
                                "Input should be in a valid time format, invalid time",
                                s,
                                Map.of("error", "invalid time"));
                        return INVALID;
                    }
                case DURATION:
                    try {
                        String t = s.strip();
                        if (isFloatText(t)) {
                            return Duration.ofNanos((long) (parseFloat(t) * 1e9));
                        }
                        return Duration.parse(t);
                    } catch (DateTimeParseException | ArithmeticException e) {
                        errors.add(
                                "time_delta_parsing",
                                loc,
                                "Input should be a valid timedelta, invalid duration",
                                s,
                                Map.of("error", "invalid duration"));
                        return INVALID;
                    }
                default:
                    throw new AssertionError(kind);
            }
        }

        @Override
        protected Object fromJson(JsonNode n, Loc loc, Errors errors) {
            switch (kind) {
                case STRING, CHAR, UUID, ENUM, DATE, TIME:
                    if (n != null && n.isTextual()) {
                        return fromText(n.textValue(), loc, errors);
                    }
                    return typeError(n, loc, errors);
                case INT, LONG, SHORT, BYTE, BIGINT:
                    if (n != null && n.isIntegralNumber()) {
                        return integer(n.bigIntegerValue(), n, loc, errors);
                    }
                    if (n != null && n.isNumber()) {
                        BigDecimal d = n.decimalValue();
                        if (d.stripTrailingZeros().scale() <= 0) {
                            return integer(d.toBigIntegerExact(), n, loc, errors);
                        }
                        errors.add(
                                "int_from_float",
                                loc,
                                "Input should be a valid integer, got a number with a fractional part",
                                n,
                                null);
                        return INVALID;
                    }
                    if (n != null && n.isTextual()) {
                        return integer(n.textValue().strip(), n, loc, errors);
                    }
                    return typeError(n, loc, errors);
                case DOUBLE, FLOAT:
                    if (n != null && n.isNumber()) {
                        double d = n.doubleValue();
                        return kind == Kind.DOUBLE ? (Object) d : (Object) (float) d;
                    }
                    if (n != null && n.isTextual()) {
                        return fromText(n.textValue(), loc, errors);
                    }
                    return typeError(n, loc, errors);
                case BOOL:
                    if (n != null && n.isBoolean()) {
                        return n.booleanValue();
                    }
                    if (n != null && n.isIntegralNumber() && (n.asLong() == 0 || n.asLong() == 1)) {
                        return n.asLong() == 1;
                    }
                    if (n != null && (n.isTextual() || n.isNumber())) {
                        return fromText(n.asText(), loc, errors);
                    }
                    return typeError(n, loc, errors);
                case DECIMAL:
                    if (n != null && n.isNumber()) {
                        return n.decimalValue();
                    }
                    if (n != null && n.isTextual()) {
                        return fromText(n.textValue(), loc, errors);
                    }
                    return typeError(n, loc, errors);
                case DATETIME, OFFSET_DATETIME, INSTANT:
                    if (n != null && n.isTextual()) {
                        return fromText(n.textValue(), loc, errors);
                    }
                    if (n != null && n.isNumber()) {
                        Instant i = Instant.ofEpochMilli((long) (n.doubleValue() * 1000));
                        return kind == Kind.INSTANT
                                ? i
                                : kind == Kind.OFFSET_DATETIME
                                        ? i.atOffset(ZoneOffset.UTC)
                                        : LocalDateTime.ofInstant(i, ZoneOffset.UTC);
                    }
                    return typeError(n, loc, errors);
                case DURATION:
                    if (n != null && n.isNumber()) {
                        return Duration.ofNanos((long) (n.doubleValue() * 1e9));
                    }
                    if (n != null && n.isTextual()) {
                        return fromText(n.textValue(), loc, errors);
                    }
                    return typeError(n, loc, errors);
                default:
                    throw new AssertionError(kind);
            }
        }

        private Object typeError(JsonNode n, Loc loc, Errors errors) {
            Object input = n == null || n.isNull() ? null : n;
            switch (kind) {
                case STRING, CHAR -> errors.add("string_type", loc, "Input should be a valid string", input, null);
                case INT, LONG, SHORT, BYTE, BIGINT ->
                    errors.add("int_type", loc, "Input should be a valid integer", input, null);
                case DOUBLE, FLOAT -> errors.add("float_type", loc, "Input should be a valid number", input, null);
                case BOOL -> errors.add("bool_type", loc, "Input should be a valid boolean", input, null);
                case DECIMAL ->
                    errors.add(
                            "decimal_type",
                            loc,
                            "Decimal input should be an integer, float, string or Decimal object",
                            input,
                            null);
                case UUID ->
                    errors.add("uuid_type", loc, "UUID input should be a string, bytes or UUID object", input, null);
                case ENUM ->
                    errors.add("enum", loc, "Input should be " + enumExpected, input, Map.of("expected", enumExpected));
                case DATE -> errors.add("date_type", loc, "Input should be a valid date", input, null);
                case TIME -> errors.add("time_type", loc, "Input should be a valid time", input, null);
                case DURATION -> errors.add("time_delta_type", loc, "Input should be a valid timedelta", input, null);
                default -> errors.add("datetime_type", loc, "Input should be a valid datetime", input, null);
            }
            return INVALID;
        }

        private Object integer(String t, Object input, Loc loc, Errors errors) {
            int i = t.startsWith("-") || t.startsWith("+") ? 1 : 0;
            boolean digits = t.length() > i;
            for (int k = i; k < t.length() && digits; k++) {
                digits = t.charAt(k) >= '0' && t.charAt(k) <= '9';
            }
            if (!digits) {
                errors.add(
                        "int_parsing",
                        loc,
                        "Input should be a valid integer, unable to parse string as an integer",
                        input,
                        null);
                return INVALID;
            }
            if (t.length() > 4300) {
                errors.add(
                        "int_parsing_size",
                        loc,
                        "Unable to parse input string as an integer, exceeded maximum size",
                        input,
                        null);
                return INVALID;
            }
            return integer(new BigInteger(t), input, loc, errors);
        }

        private Object integer(BigInteger v, Object input, Loc loc, Errors errors) {
            long min;
            long max;
            switch (kind) {
                case BIGINT -> {
                    return v;
                }
                case INT -> {
                    min = Integer.MIN_VALUE;
                    max = Integer.MAX_VALUE;
                }
                case SHORT -> {
                    min = Short.MIN_VALUE;
                    max = Short.MAX_VALUE;
                }
                case BYTE -> {
                    min = Byte.MIN_VALUE;
                    max = Byte.MAX_VALUE;
                }
                default -> {
                    min = Long.MIN_VALUE;
                    max = Long.MAX_VALUE;
                }
            }
            if (v.compareTo(BigInteger.valueOf(min)) < 0) {
                errors.add(
                        "greater_than_equal",
                        loc,
                        "Input should be greater than or equal to " + min,
                        input,
                        Map.of("ge", min));
                return INVALID;
            }
            if (v.compareTo(BigInteger.valueOf(max)) > 0) {
                errors.add(
                        "less_than_equal",
                        loc,
                        "Input should be less than or equal to " + max,
                        input,
                        Map.of("le", max));
                return INVALID;
            }
            long l = v.longValue();
            return switch (kind) {
                case INT -> (Object) (int) l;
                case SHORT -> (Object) (short) l;
                case BYTE -> (Object) (byte) l;
                default -> (Object) l;
            };
        }

        private static boolean isFloatText(String t) {
            if (t.isEmpty()) {
                return false;
            }
            String l = t.toLowerCase(Locale.ROOT);
            if (l.matches("[+-]?(inf|infinity|nan)")) {
                return true;
            }
            return t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
        }

        private static double parseFloat(String t) {
            String l = t.toLowerCase(Locale.ROOT);
            if (l.endsWith("inf") || l.endsWith("infinity")) {
                return l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            if (l.endsWith("nan")) {
                return Double.NaN;
            }
            return Double.parseDouble(t);
        }

        private static Object uuid(String s, Loc loc, Errors errors) {
            String t = s.strip();
            if (t.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
                t = t.substring(9);
            }
            String why = null;
            for (int i = 0; i < t.length() && why == null; i++) {
                char c = t.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == '-')) {
                    why = "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], "
                            + "found `" + c + "` at " + (i + 1);
                }
            }
            String hex = t.replace("-", "");
            if (why == null) {
                if (t.contains("-")) {
                    String[] groups = t.split("-", -1);
                    if (groups.length != 5) {
                        why = "invalid group count: expected 5, found " + groups.length;
                    } else if (groups[0].length() != 8
                            || groups[1].length() != 4
                            || groups[2].length() != 4
                            || groups[3].length() != 4
                            || groups[4].length() != 12) {
                        why = "invalid group length";
                    }
                } else if (hex.length() != 32) {
                    why = "invalid length: expected length 32 for simple format, found " + hex.length();
                }
            }
            if (why != null) {
                errors.add("uuid_parsing", loc, "Input should be a valid UUID, " + why, s, Map.of("error", why));
                return INVALID;
            }
            return new UUID(
                    Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
        }

        private Object dateTime(String s, Loc loc, Errors errors) {
            String t = s.strip();
            if (t.length() > 10 && t.charAt(10) == ' ') {
                t = t.substring(0, 10) + 'T' + t.substring(11);
            }
            if (t.endsWith("z")) {
                t = t.substring(0, t.length() - 1) + "Z";
            }
            try {
                if (isFloatText(t)) {
                    Instant i = Instant.ofEpochMilli((long) (Double.parseDouble(t) * 1000));
                    return kind == Kind.INSTANT
                            ? i
                            : kind == Kind.OFFSET_DATETIME
                                    ? i.atOffset(ZoneOffset.UTC)
                                    : LocalDateTime.ofInstant(i, ZoneOffset.UTC);
                }
                boolean zoned =
                        t.length() > 19 && (t.endsWith("Z") || t.lastIndexOf('+') > 10 || t.lastIndexOf('-') > 10);
                if (kind == Kind.DATETIME) {
                    return zoned ? OffsetDateTime.parse(t).toLocalDateTime() : LocalDateTime.parse(t);
                }
                OffsetDateTime o =
                        zoned ? OffsetDateTime.parse(t) : LocalDateTime.parse(t).atOffset(ZoneOffset.UTC);
                return kind == Kind.INSTANT ? o.toInstant() : o;
            } catch (DateTimeParseException | NumberFormatException e) {
                errors.add(
                        "datetime_from_date_parsing",
                        loc,
                        "Input should be a valid datetime or date, invalid " + "datetime",
                        s,
                        Map.of("error", "invalid datetime"));
                return INVALID;
            }
        }
    }
}
