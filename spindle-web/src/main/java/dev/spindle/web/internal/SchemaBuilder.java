package dev.spindle.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.web.params.Field;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * JSON Schema 2020-12 (OpenAPI 3.1) for Java types, as pydantic writes it for FastAPI: records and enums become
 * named schemas under {@code components.schemas} referenced by {@code $ref}; {@code Optional} is
 * {@code anyOf [T, null]}; constraints become {@code minimum}, {@code exclusiveMinimum}, {@code maxLength}...
 */
final class SchemaBuilder {
    /**
     * Which side a schema describes. A record's output schema marks every component required (the response always
     * writes each one, {@code null} for an empty {@code Optional}) and shows no defaults; its input schema requires
     * only what the request must send. A record used on both sides whose two schemas differ becomes {@code
     * Name-Input} and {@code Name-Output}, as FastAPI names them; otherwise it keeps one schema, {@code Name}.
     */
    enum Mode {
        INPUT,
        OUTPUT
    }

    /** Ends a placeholder reference: {@code #/components/schemas/Name} + MARK + mode, resolved by {@link #finish}. */
    private static final char MARK = '\u0000';

    final Map<String, Object> components = new TreeMap<>();
    private final Map<Class<?>, String> names = new HashMap<>();
    private final Map<String, Class<?>> byName = new HashMap<>();
    private final Map<Class<?>, Map<Mode, Map<String, Object>>> records = new java.util.LinkedHashMap<>();
    private final Set<Class<?>> split = new java.util.HashSet<>();
    /** The side the next {@link #schema} calls describe. */
    Mode mode = Mode.INPUT;

    /** The schema of {@code type} with the constraints annotated on it and {@code extra}. */
    Map<String, Object> schema(AnnotatedType type, Annotation[] extra) {
        Class<?> raw = Readers.rawClass(type.getType());
        Constraints c = Constraints.of(Readers.merge(type.getAnnotations(), extra));
        Map<String, Object> s;
        if (raw == Optional.class) {
            Map<String, Object> inner = schema(Readers.typeArg(type, 0), new Annotation[0]);
            addConstraints(inner, c, Readers.rawClass(Readers.typeArg(type, 0).getType()));
            s = new LinkedHashMap<>();
            s.put("anyOf", List.of(inner, Map.of("type", "null")));
            return s;
        }
        s = base(type, raw);
        addConstraints(s, c, raw);
        return s;
    }

    private Map<String, Object> base(AnnotatedType type, Class<?> raw) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (raw == String.class || raw == CharSequence.class || raw == char.class || raw == Character.class) {
            s.put("type", "string");
        } else if (raw == int.class
                || raw == Integer.class
                || raw == long.class
                || raw == Long.class
                || raw == short.class
                || raw == Short.class
                || raw == byte.class
                || raw == Byte.class
                || raw == BigInteger.class) {
            s.put("type", "integer");
        } else if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            s.put("type", "number");
        } else if (raw == boolean.class || raw == Boolean.class) {
            s.put("type", "boolean");
        } else if (raw == BigDecimal.class) {
            s.put("anyOf", List.of(Map.of("type", "number"), Map.of("type", "string")));
        } else if (raw == UUID.class) {
            s.put("type", "string");
            s.put("format", "uuid");
        } else if (raw == LocalDate.class) {
            s.put("type", "string");
            s.put("format", "date");
        } else if (raw == LocalDateTime.class || raw == OffsetDateTime.class || raw == Instant.class) {
            s.put("type", "string");
            s.put("format", "date-time");
        } else if (raw == LocalTime.class) {
            s.put("type", "string");
            s.put("format", "time");
        } else if (raw == Duration.class) {
            s.put("type", "string");
            s.put("format", "duration");
        } else if (raw == byte[].class || raw == dev.spindle.web.params.UploadFile.class) {
            s.put("type", "string");
            s.put("format", "binary");
        } else if (raw.isEnum()) {
            s.put("$ref", ref(raw));
        } else if (raw.isRecord()) {
            s.put("$ref", ref(raw));
        } else if (raw == List.class || raw == Collection.class || raw == Set.class || raw == Iterable.class) {
            s.put("type", "array");
            s.put("items", schema(Readers.typeArg(type, 0), new Annotation[0]));
            if (raw == Set.class) {
                s.put("uniqueItems", true);
            }
        } else if (raw.isArray()) {
            s.put("type", "array");
            s.put("items", base(null, raw.getComponentType()));
        } else if (Map.class.isAssignableFrom(raw)) {
            s.put("type", "object");
            if (type instanceof java.lang.reflect.AnnotatedParameterizedType) {
                s.put("additionalProperties", schema(Readers.typeArg(type, 1), new Annotation[0]));
            }
        } else if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
            // anything
        } else {
            s.put("type", "object");
        }
        return s;
    }

    private static void addConstraints(Map<String, Object> s, Constraints c, Class<?> raw) {
        if (c == Constraints.NONE) {
            return;
        }
        if (c.gt != null) s.put("exclusiveMinimum", Constraints.shown(c.gt));
        if (c.ge != null) s.put("minimum", Constraints.shown(c.ge));
        if (c.lt != null) s.put("exclusiveMaximum", Constraints.shown(c.lt));
        if (c.le != null) s.put("maximum", Constraints.shown(c.le));
        boolean array = Collection.class.isAssignableFrom(raw) || raw.isArray();
        boolean object = Map.class.isAssignableFrom(raw);
        if (c.minLength != null) s.put(array ? "minItems" : object ? "minProperties" : "minLength", c.minLength);
        if (c.maxLength != null) s.put(array ? "maxItems" : object ? "maxProperties" : "maxLength", c.maxLength);
        if (c.pattern != null) s.put("pattern", c.pattern);
    }

    /**
     * A reference to the named schema of a record or enum, generating it once (per {@link Mode} for a record: the
     * reference is then a placeholder until {@link #finish}).
     */
    String ref(Class<?> raw) {
        String name = names.get(raw);
        if (name == null) {
            name = raw.getSimpleName();
            String candidate = name;
            for (int k = 2; names.containsValue(candidate); k++) {
                candidate = raw.getName().replace('.', '_').replace('$', '_') + (k > 2 ? "_" + k : "");
            }
            name = candidate;
            names.put(raw, name);
            byName.put(name, raw);
            if (raw.isEnum()) {
                components.put(name, enumSchema(raw));
            }
        }
        if (raw.isEnum()) {
            return "#/components/schemas/" + name;
        }
        Map<Mode, Map<String, Object>> sides = records.computeIfAbsent(raw, k -> new java.util.EnumMap<>(Mode.class));
        if (!sides.containsKey(mode)) {
            sides.put(mode, Map.of()); // reserve (records may refer to themselves)
            sides.put(mode, recordSchema(raw, mode));
        }
        return "#/components/schemas/" + name + MARK + mode.ordinal();
    }

    /**
     * Decides which records split into {@code -Input}/{@code -Output} (their two schemas differ, directly or through
     * a record they contain), puts every record's schema into {@link #components}, and returns {@code tree} (the
     * paths) with its references resolved. Call once, after the last {@link #schema}.
     */
    Object finish(Object tree) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Map.Entry<Class<?>, Map<Mode, Map<String, Object>>> e : records.entrySet()) {
                Map<Mode, Map<String, Object>> sides = e.getValue();
                if (split.contains(e.getKey()) || sides.size() < 2) {
                    continue;
                }
                if (!resolve(sides.get(Mode.INPUT)).equals(resolve(sides.get(Mode.OUTPUT)))) {
                    split.add(e.getKey());
                    changed = true;
                }
            }
        }
        for (Map.Entry<Class<?>, Map<Mode, Map<String, Object>>> e : records.entrySet()) {
            String name = names.get(e.getKey());
            for (Map.Entry<Mode, Map<String, Object>> side : e.getValue().entrySet()) {
                components.put(refName(name, side.getKey()), resolve(side.getValue()));
            }
        }
        components.replaceAll((k, v) -> resolve(v));
        return resolve(tree);
    }

    private String refName(String name, Mode m) {
        Class<?> raw = byName.get(name);
        if (raw == null || !split.contains(raw)) {
            return name;
        }
        return name + (m == Mode.INPUT ? "-Input" : "-Output");
    }

    /** {@code tree} with its placeholder references resolved (a copy; the input is not changed). */
    private Object resolve(Object tree) {
        if (tree instanceof String s) {
            int mark = s.indexOf(MARK);
            if (mark < 0) {
                return s;
            }
            String prefix = "#/components/schemas/";
            Mode m = Mode.values()[s.charAt(mark + 1) - '0'];
            return prefix + refName(s.substring(prefix.length(), mark), m);
        }
        if (tree instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(e.getKey(), resolve(e.getValue()));
            }
            return out;
        }
        if (tree instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(resolve(o));
            }
            return out;
        }
        return tree;
    }

    private static Map<String, Object> enumSchema(Class<?> raw) {
        Map<String, Object> s = new LinkedHashMap<>();
        List<String> values = new ArrayList<>();
        for (Object e : raw.getEnumConstants()) {
            values.add(Readers.enumValue((Enum<?>) e));
        }
        s.put("type", "string");
        s.put("enum", values);
        s.put("title", raw.getSimpleName());
        return s;
    }

    private Map<String, Object> recordSchema(Class<?> raw, Mode side) {
        ModelInfo model = ModelInfo.of(raw);
        Map<String, Object> props = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (ModelInfo.Component c : model.components) {
            Map<String, Object> p = new LinkedHashMap<>(schema(c.type, c.annotations()));
            if (c.nullable && !p.containsKey("anyOf")) {
                Map<String, Object> inner = p;
                p = new LinkedHashMap<>();
                p.put("anyOf", List.of(inner, Map.of("type", "null")));
            }
            Field f = c.field;
            p.put("title", f != null && !f.title().isEmpty() ? f.title() : title(c.jsonName));
            if (f != null && !f.description().isEmpty()) {
                p.put("description", f.description());
            }
            if (f != null && !f.example().isEmpty()) {
                p.put("examples", List.of(example(f.example())));
            }
            if (f != null && f.deprecated()) {
                p.put("deprecated", true);
            }
            if (side == Mode.OUTPUT) {
                // always written by the response: required, no default
            } else if (!c.required && c.defaultValue != null && !(c.defaultValue instanceof Optional)) {
                p.put("default", Json.MAPPER.valueToTree(c.defaultValue));
            } else if (!c.required) {
                p.put("default", null);
            }
            props.put(c.jsonName, p);
            if (c.required || side == Mode.OUTPUT) {
                required.add(c.jsonName);
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("properties", props);
        s.put("type", "object");
        if (!required.isEmpty()) {
            s.put("required", required);
        }
        s.put("title", raw.getSimpleName());
        return s;
    }

    static Object example(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            return text;
        }
    }

    /** pydantic's titles: {@code item_id} and {@code itemId} are "Item Id". */
    static String title(String name) {
        StringBuilder b = new StringBuilder();
        boolean up = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_' || c == '-') {
                b.append(' ');
                up = true;
            } else if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(name.charAt(i - 1))) {
                b.append(' ').append(c);
                up = false;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }
}
