package dev.spindle.web.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.web.params.Default;
import dev.spindle.web.params.Field;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the framework knows of one record type, worked out once: its components (JSON name, reader, required or
 * default, constraints, metadata), a method handle for the canonical constructor and one per accessor, and whether
 * Hibernate Validator has anything left to check. Binding ({@link #read}), output ({@link JsonOut}) and OpenAPI
 * ({@code SchemaBuilder}) all read this one model, as FastAPI's do pydantic's.
 */
public final class ModelInfo {
    private static final ClassValue<ModelInfo> CACHE = new ClassValue<>() {
        @Override
        protected ModelInfo computeValue(Class<?> type) {
            return new ModelInfo(type);
        }
    };

    /** One record component. */
    public static final class Component {
        public final String javaName;
        public final String jsonName;
        public final RecordComponent component;
        /**
         * The component's annotated type, read once: {@link RecordComponent#getAnnotatedType} builds a new one on
         * every call (a microsecond, with a native lookup of enclosing classes), and responses write through it.
         */
        public final AnnotatedType type;

        /** The component's annotations, read once (from the class file: see {@link Annotations}). */
        private final Annotation[] annotations;

        public final Reader reader;
        public final boolean required;
        public final boolean nullable;
        public final Object defaultValue;
        public final Field field;
        public final MethodHandle accessor;

        Component(RecordComponent rc, MethodHandles.Lookup lookup) throws IllegalAccessException {
            this.component = rc;
            this.javaName = rc.getName();
            this.annotations = Annotations.of(rc);
            Field f = find(annotations, Field.class);
            JsonProperty jp = find(annotations, JsonProperty.class);
            this.field = f;
            this.jsonName = f != null && !f.alias().isEmpty()
                    ? f.alias()
                    : jp != null && !jp.value().isEmpty() ? jp.value() : rc.getName();
            this.type = Annotations.type(rc);
            this.reader = Readers.of(type, annotations);
            this.nullable = hasNullable(annotations) || hasNullable(type.getAnnotations());
            Default d = find(annotations, Default.class);
            if (d != null) {
                this.defaultValue = Defaults.convert(
                        reader, d.value(), rc.getDeclaringRecord().getSimpleName() + "." + javaName);
                this.required = false;
            } else if (reader.isOptional()) {
                this.defaultValue = reader.absent();
                this.required = false;
            } else if (nullable) {
                this.defaultValue = null;
                this.required = false;
            } else {
                this.defaultValue = null;
                this.required = true;
            }
            Class<?> t = rc.getType();
            this.accessor =
                    lookup.unreflect(rc.getAccessor()).asType(MethodType.methodType(Object.class, Object.class));
            if (t.isPrimitive() && !required && defaultValue == null) {
                throw new IllegalArgumentException("record component " + javaName + " of primitive type " + t
                        + " needs a @Default to be optional");
            }
        }

        /** The component's annotations ({@code component.getAnnotations()}, read once). */
        public Annotation[] annotations() {
            return annotations.clone();
        }

        private static <A extends Annotation> A find(Annotation[] annotations, Class<A> type) {
            for (Annotation a : annotations) {
                if (a.annotationType() == type) {
                    return type.cast(a);
                }
            }
            return null;
        }
    }

    public final Class<?> type;
    public final List<Component> components;
    private final Map<String, Component> byJavaName = new HashMap<>();
    private final MethodHandles.Lookup lookup;
    private final Class<?>[] componentTypes;
    /** The canonical constructor taking an array, made on the first read (its adaptation spins classes). */
    private volatile MethodHandle constructor;

    private final boolean validate;

    private ModelInfo(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        this.type = type;
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            RecordComponent[] rcs = type.getRecordComponents();
            List<Component> list = new ArrayList<>(rcs.length);
            Class<?>[] types = new Class<?>[rcs.length];
            for (int i = 0; i < rcs.length; i++) {
                Component c = new Component(rcs[i], lookup);
                list.add(c);
                byJavaName.put(c.javaName, c);
                types[i] = rcs[i].getType();
            }
            this.components = List.copyOf(list);
            this.lookup = lookup;
            this.componentTypes = types;
            type.getDeclaredConstructor(types); // the canonical constructor exists (a record always has one)
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(
                    "cannot reach record " + type.getName() + "'s constructor or accessors"
                            + " (is its package open to spindle-web?)",
                    e);
        }
        this.validate = Validation.needsValidator(type);
    }

    public static ModelInfo of(Class<?> type) {
        return CACHE.get(type);
    }

    public Component component(String javaName) {
        return byJavaName.get(javaName);
    }

    /** Binds a JSON object into this record, reporting every error under {@code loc}; {@link Reader#INVALID} if any. */
    public Object read(JsonNode node, Loc loc, Errors errors) {
        if (node == null || !node.isObject()) {
            errors.add(
                    "model_attributes_type",
                    loc,
                    "Input should be a valid dictionary or object to extract fields from",
                    node == null || node.isNull() ? null : node,
                    null);
            return Reader.INVALID;
        }
        int before = errors.count();
        Object[] args = new Object[components.size()];
        for (int i = 0; i < args.length; i++) {
            Component c = components.get(i);
            JsonNode v = node.get(c.jsonName);
            if (v == null || (v.isNull() && (c.nullable || c.reader.isOptional()))) {
                if (v == null && c.required) {
                    errors.missing(loc.with(c.jsonName), node);
                    continue;
                }
                args[i] = v == null ? c.defaultValue : c.reader.absent();
                continue;
            }
            args[i] = c.reader.readJson(v, loc.with(c.jsonName), errors);
        }
        if (errors.count() != before) {
            return Reader.INVALID;
        }
        return construct(args, loc, errors);
    }

    /** Calls the canonical constructor, then Hibernate Validator for what the binder did not check. */
    public Object construct(Object[] args, Loc loc, Errors errors) {
        Object value;
        try {
            MethodHandle ctor = constructor;
            if (ctor == null) {
                ctor = constructor = lookup.findConstructor(type, MethodType.methodType(void.class, componentTypes))
                        .asSpreader(Object[].class, componentTypes.length)
                        .asType(MethodType.methodType(Object.class, Object[].class));
            }
            value = ctor.invokeExact(args);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // a compact constructor refusing the values: pydantic's value_error
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            errors.add("value_error", loc, "Value error, " + why, null, Map.of("error", why));
            return Reader.INVALID;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (validate && !Validation.validate(this, value, loc, errors)) {
            return Reader.INVALID;
        }
        return value;
    }

    /** The component's value in {@code record}. */
    public Object get(Component c, Object record) {
        try {
            return c.accessor.invokeExact(record);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static boolean hasNullable(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a.annotationType().getSimpleName().equals("Nullable")) {
                return true;
            }
        }
        return false;
    }
}
