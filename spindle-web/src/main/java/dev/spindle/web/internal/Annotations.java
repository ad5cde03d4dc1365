package dev.spindle.web.internal;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The annotations spindle-web reads at startup, without {@link java.lang.reflect.Proxy} classes: what reflection's
 * {@code getAnnotations()}, {@code getParameterAnnotations()} and {@code getAnnotatedType()} answer, read from the
 * class file ({@link ClassFileReader}, once per class) and made of {@link PlainAnnotation}s and
 * {@link PlainAnnotatedType}s. Reflection makes a proxy class for every annotation type it reads (some 4 ms each at
 * startup, ClassFile API code run in the interpreter, not kept by the AOT cache): the 50-route startup benchmark made thirteen.
 *
 * <p>An element is read by reflection instead, with the same answer (proxies), when the class file cannot be read
 * or is not the loaded class's, when the element carries an annotation type {@link KnownAnnotations} does not
 * implement (a custom constraint, which {@link Validation} must still see, or a {@code @Nullable}), and for what the
 * JDK reads with special rules (constructors with implicit parameters, class annotations that may be inherited).
 * Each such read counts in {@link #fallbacks()}.
 */
public final class Annotations {
    private Annotations() {}

    private static final AtomicInteger FALLBACKS = new AtomicInteger();

    private static final ClassValue<ClassData> CLASSES = new ClassValue<>() {
        @Override
        protected ClassData computeValue(Class<?> type) {
            return new ClassData(type);
        }
    };

    /** How many elements were read by reflection since this class was loaded (tests: a typical app, none). */
    static int fallbacks() {
        return FALLBACKS.get();
    }

    private static void fallback() {
        FALLBACKS.incrementAndGet();
    }

    // ---- declarations ----------------------------------------------------------------------------------------

    /** {@code m.getAnnotations()}. */
    public static Annotation[] of(Method m) {
        Annotation[] a = CLASSES.get(m.getDeclaringClass()).declared(ClassData.METHOD, key(m));
        if (a == null) {
            fallback();
            return m.getAnnotations();
        }
        return a;
    }

    /** {@code f.getAnnotations()}. */
    public static Annotation[] of(Field f) {
        Annotation[] a = CLASSES.get(f.getDeclaringClass()).declared(ClassData.FIELD, f.getName());
        if (a == null) {
            fallback();
            return f.getAnnotations();
        }
        return a;
    }

    /** {@code rc.getAnnotations()}. */
    public static Annotation[] of(RecordComponent rc) {
        Annotation[] a = CLASSES.get(rc.getDeclaringRecord()).declared(ClassData.COMPONENT, rc.getName());
        if (a == null) {
            fallback();
            return rc.getAnnotations();
        }
        return a;
    }

    /**
     * {@code type.getAnnotations()}: its own, for a class that cannot inherit any (its superclass is {@code Object},
     * {@code Record} or {@code Enum}, or it is an interface); reflection's otherwise.
     */
    public static Annotation[] of(Class<?> type) {
        Class<?> s = type.getSuperclass();
        if (s == null || s == Object.class || s == Record.class || s == Enum.class) {
            Annotation[] a = CLASSES.get(type).declared(ClassData.CLASS, "");
            if (a != null) {
                return a;
            }
        }
        fallback();
        return type.getAnnotations();
    }

    /** Whether {@code m} carries an annotation of type {@code type}. */
    public static boolean present(Method m, Class<? extends Annotation> type) {
        for (Annotation a : of(m)) {
            if (a.annotationType() == type) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether annotation type {@code type} is itself annotated with {@code meta} ({@code @Constraint}): read from
     * {@code type}'s class file by name, without making its meta-annotations ({@code @Target}, {@code @Retention}...).
     */
    public static boolean metaPresent(Class<? extends Annotation> type, Class<? extends Annotation> meta) {
        Boolean present = CLASSES.get(type).annotatedWith(meta);
        if (present == null) {
            fallback();
            return type.isAnnotationPresent(meta);
        }
        return present;
    }

    /** {@code e.getParameterAnnotations()}. */
    public static Annotation[][] parameterAnnotations(Executable e) {
        Annotation[][] out = new Annotation[e.getParameterCount()][];
        if (!CLASSES.get(e.getDeclaringClass()).parameters(key(e), out)) {
            fallback();
            return e.getParameterAnnotations(); // for a local class's constructor, maybe fewer than its parameters
        }
        Annotation[][] reflected = null;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                fallback();
                if (reflected == null) {
                    reflected = e.getParameterAnnotations();
                }
                out[i] = reflected[i];
            }
        }
        return out;
    }

    // ---- types -----------------------------------------------------------------------------------------------

    /** {@code e.getAnnotatedParameterTypes()}. */
    public static AnnotatedType[] parameterTypes(Executable e) {
        int n = e.getParameterCount();
        AnnotatedType[] out = new AnnotatedType[n];
        Type[] types = e.getGenericParameterTypes();
        // the JDK maps the type annotations of some constructors' parameters with an offset (an inner class's
        // outer instance), and its own types when the generic signature leaves out implicit parameters
        boolean plain = types.length == n && (e instanceof Method || plainConstructor(e.getDeclaringClass()));
        ClassData data = CLASSES.get(e.getDeclaringClass());
        String key = key(e);
        AnnotatedType[] reflected = null;
        for (int i = 0; i < n; i++) {
            PlainAnnotatedType.Use[] uses =
                    plain ? data.typeUses(ClassData.METHOD, key, ClassFileReader.METHOD_FORMAL_PARAMETER, i) : null;
            if (uses != null) {
                out[i] = PlainAnnotatedType.of(types[i], uses);
            } else {
                fallback();
                if (reflected == null) {
                    reflected = e.getAnnotatedParameterTypes();
                }
                out[i] = reflected[i];
            }
        }
        return out;
    }

    /** {@code m.getAnnotatedReturnType()}. */
    public static AnnotatedType returnType(Method m) {
        PlainAnnotatedType.Use[] uses = CLASSES.get(m.getDeclaringClass())
                .typeUses(ClassData.METHOD, key(m), ClassFileReader.METHOD_RETURN, -1);
        if (uses == null) {
            fallback();
            return m.getAnnotatedReturnType();
        }
        return PlainAnnotatedType.of(m.getGenericReturnType(), uses);
    }

    /** {@code rc.getAnnotatedType()}. */
    public static AnnotatedType type(RecordComponent rc) {
        PlainAnnotatedType.Use[] uses = CLASSES.get(rc.getDeclaringRecord())
                .typeUses(ClassData.COMPONENT, rc.getName(), ClassFileReader.FIELD, -1);
        if (uses == null) {
            fallback();
            return rc.getAnnotatedType();
        }
        return PlainAnnotatedType.of(rc.getGenericType(), uses);
    }

    /** {@code name + descriptor} of each method of {@code type}'s class file, in its order; empty if unreadable. */
    static List<String> methodKeys(Class<?> type) {
        ClassFileReader.ClassInfo info = CLASSES.get(type).info;
        return info == null ? List.of() : info.methodKeys();
    }

    /** A top-level or static nested class, not an enum: its constructors have no implicit parameter. */
    private static boolean plainConstructor(Class<?> c) {
        return !c.isEnum()
                && (c.getEnclosingClass() == null || (c.isMemberClass() && Modifier.isStatic(c.getModifiers())));
    }

    static String key(Executable e) {
        StringBuilder b = new StringBuilder(e instanceof Constructor ? "<init>" : e.getName()).append('(');
        for (Class<?> t : e.getParameterTypes()) {
            b.append(t.descriptorString());
        }
        b.append(')');
        return e instanceof Method m
                ? b.append(m.getReturnType().descriptorString()).toString()
                : b.append('V').toString();
    }

    // ---- one class ---------------------------------------------------------------------------------------------

    /**
     * One class's file, read once, and the annotations of its elements, made when first asked for (under this
     * object's lock: startup is mostly one thread, and a class's elements are asked for together).
     */
    static final class ClassData {
        static final int CLASS = 0, FIELD = 1, METHOD = 2, COMPONENT = 3;

        final Class<?> type;
        /** Null when there is no class file to read (a hidden or generated class) or it could not be read. */
        final ClassFileReader.ClassInfo info;

        /** The raw elements by kind and key (a field's or component's name, a method's name and descriptor). */
        private final List<Map<String, ClassFileReader.Member>> members = new ArrayList<>(4);
        /** The elements made so far, by kind and key. */
        private final List<Map<String, Made>> made = new ArrayList<>(4);
        /** Classes named in the file, by descriptor, as {@code type}'s loader resolves them; null: not found. */
        private final Map<String, Class<?>> classes = new HashMap<>();

        private Annotation[] classAnnotations;
        private boolean classAnnotationsMade;

        ClassData(Class<?> type) {
            this.type = type;
            this.info = read(type);
            for (int k = 0; k < 4; k++) {
                members.add(new HashMap<>());
                made.add(new HashMap<>());
            }
            if (info != null) {
                for (ClassFileReader.Member m : info.fields()) {
                    members.get(FIELD).put(m.name(), m);
                }
                for (ClassFileReader.Member m : info.methods()) {
                    members.get(METHOD).put(m.name() + m.descriptor(), m);
                }
                for (ClassFileReader.Member m : info.components()) {
                    members.get(COMPONENT).put(m.name(), m);
                }
            }
        }

        private static ClassFileReader.ClassInfo read(Class<?> type) {
            if (type.isPrimitive() || type.isArray() || type.isHidden()) {
                return null;
            }
            try {
                byte[] bytes = ClassFiles.bytes(type);
                if (bytes == null) {
                    return null;
                }
                ClassFileReader.ClassInfo info = ClassFileReader.read(bytes);
                // another class of the same name earlier on the class path, or a class renamed: not this one
                return info.name().equals(type.getName().replace('.', '/')) ? info : null;
            } catch (IOException | IllegalArgumentException e) {
                return null;
            }
        }

        /** An element's declaration annotations (a copy), or null if reflection must read them. */
        synchronized Annotation[] declared(int kind, String key) {
            Annotation[] a;
            if (kind == CLASS) {
                if (info == null) {
                    return null;
                }
                if (!classAnnotationsMade) {
                    classAnnotations = annotations(info.annotations());
                    classAnnotationsMade = true;
                }
                a = classAnnotations;
            } else {
                Made m = made(kind, key);
                a = m == null ? null : m.annotations;
            }
            return a == null ? null : a.clone();
        }

        /**
         * Fills {@code out} with the annotations of each parameter of method {@code key}, leaving null those
         * reflection must read; false if it must read all (the file's count of parameters is not the method's).
         */
        synchronized boolean parameters(String key, Annotation[][] out) {
            Made m = made(METHOD, key);
            if (m == null) {
                return false;
            }
            if (m.parameters == null) { // no RuntimeVisibleParameterAnnotations: no parameter annotated
                for (int i = 0; i < out.length; i++) {
                    out[i] = new Annotation[0];
                }
                return true;
            }
            if (m.parameters.length != out.length) {
                return false; // javac leaves implicit parameters out of the count: the JDK shifts, or throws
            }
            for (int i = 0; i < out.length; i++) {
                out[i] = m.parameters[i] == null ? null : m.parameters[i].clone();
            }
            return true;
        }

        /**
         * The type annotations of an element's type with {@code target} (and {@code index}, for a formal parameter),
         * or null if reflection must read them.
         */
        synchronized PlainAnnotatedType.Use[] typeUses(int kind, String key, int target, int index) {
            Made m = made(kind, key);
            if (m == null) {
                return null;
            }
            List<ClassFileReader.RawTypeAnnotation> raw = m.member.typeAnnotations();
            List<PlainAnnotatedType.Use> uses = new ArrayList<>(raw.size());
            for (int i = 0; i < raw.size(); i++) {
                ClassFileReader.RawTypeAnnotation t = raw.get(i);
                if (t.target() != target || (index >= 0 && t.index() != index)) {
                    continue;
                }
                Annotation a = m.typeAnnotations[i];
                if (a == null) {
                    return null;
                }
                for (PlainAnnotatedType.Use u : uses) {
                    if (u.path().equals(t.path()) && u.annotation().annotationType() == a.annotationType()) {
                        return null; // the same type twice at one place: the JDK throws, let it
                    }
                }
                uses.add(new PlainAnnotatedType.Use(t.path(), a));
            }
            return uses.isEmpty() ? PlainAnnotatedType.NONE : uses.toArray(new PlainAnnotatedType.Use[0]);
        }

        /** Whether the class carries an annotation of type {@code meta}; null if its file could not be read. */
        synchronized Boolean annotatedWith(Class<? extends Annotation> meta) {
            if (info == null) {
                return null;
            }
            for (ClassFileReader.RawAnnotation a : info.annotations()) {
                if (load(a.descriptor()) == meta) {
                    return true;
                }
            }
            return false;
        }

        private Made made(int kind, String key) {
            Made m = made.get(kind).get(key);
            if (m == null) {
                ClassFileReader.Member raw = members.get(kind).get(key);
                if (raw == null) {
                    return null; // not in the file (a class changed since, or an agent's method): reflection
                }
                m = new Made(raw, this);
                made.get(kind).put(key, m);
            }
            return m;
        }

        /** The annotations of {@code raw}; null if one is of an unknown type or not usable, or a type repeats. */
        Annotation[] annotations(List<ClassFileReader.RawAnnotation> raw) {
            Annotation[] out = new Annotation[raw.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = annotation(raw.get(i));
                if (out[i] == null) {
                    return null;
                }
                for (int j = 0; j < i; j++) {
                    if (out[j].annotationType() == out[i].annotationType()) {
                        return null; // the JDK throws AnnotationFormatError: let it
                    }
                }
            }
            return out;
        }

        /** An annotation made from the file's values and its type's defaults; null if reflection must make it. */
        Annotation annotation(ClassFileReader.RawAnnotation raw) {
            Class<?> t = load(raw.descriptor());
            PlainAnnotation.Shape shape = t == null || !t.isAnnotation() ? null : KnownAnnotations.shape(t);
            Object[] values = shape == null ? null : values(shape, raw);
            return values == null
                    ? null
                    : KnownAnnotations.make(shape, values, raw.names().toArray(new String[0]));
        }

        /**
         * The values of {@code raw}'s elements by {@code shape}'s names, its defaults where none is written; null if
         * a value does not fit its element's type, or an element has neither value nor default (the JDK defers an
         * exception to the element's read: reflection must make that one).
         */
        Object[] values(PlainAnnotation.Shape shape, ClassFileReader.RawAnnotation raw) {
            Object[] values = shape.defaults.clone();
            for (int i = 0; i < raw.names().size(); i++) {
                int m = shape.index(raw.names().get(i));
                if (m < 0) {
                    continue; // an element the type no longer declares: the JDK ignores it too
                }
                values[m] = value(raw.values().get(i), shape.members[m].getReturnType());
                if (values[m] == null) {
                    return null;
                }
            }
            for (Object v : values) {
                if (v == null) {
                    return null;
                }
            }
            return values;
        }

        /** An element value as {@code type} (an element's return type) holds it; null if it does not fit. */
        private Object value(Object raw, Class<?> type) {
            if (type.isPrimitive()) {
                return wrapper(type).isInstance(raw) ? raw : null;
            } else if (type == String.class) {
                return raw instanceof String ? raw : null;
            } else if (type == Class.class) {
                return raw instanceof ClassFileReader.ClassLiteral c ? load(c.descriptor()) : null;
            } else if (type.isEnum()) {
                if (raw instanceof ClassFileReader.EnumConstant e && load(e.descriptor()) == type) {
                    try {
                        return enumConstant(type, e.name());
                    } catch (IllegalArgumentException x) {
                        return null; // a constant removed since: the JDK defers an exception to the read
                    }
                }
                return null;
            } else if (type.isAnnotation()) {
                if (raw instanceof ClassFileReader.RawAnnotation a) {
                    Annotation made = annotation(a);
                    return made != null && made.annotationType() == type ? made : null;
                }
                return null;
            } else if (type.isArray()) {
                if (!(raw instanceof List<?> list)) {
                    return null;
                }
                Class<?> component = type.getComponentType();
                Object array = java.lang.reflect.Array.newInstance(component, list.size());
                for (int i = 0; i < list.size(); i++) {
                    Object v = value(list.get(i), component);
                    if (v == null) {
                        return null;
                    }
                    java.lang.reflect.Array.set(array, i, v);
                }
                return array;
            }
            return null;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static Object enumConstant(Class<?> type, String name) {
            return Enum.valueOf((Class) type, name);
        }

        private static Class<?> wrapper(Class<?> primitive) {
            if (primitive == int.class) return Integer.class;
            if (primitive == long.class) return Long.class;
            if (primitive == boolean.class) return Boolean.class;
            if (primitive == double.class) return Double.class;
            if (primitive == float.class) return Float.class;
            if (primitive == byte.class) return Byte.class;
            if (primitive == short.class) return Short.class;
            if (primitive == char.class) return Character.class;
            return Void.class;
        }

        /**
         * The class a descriptor names, through {@code type}'s loader as reflection resolves annotation types and
         * class literals; null if it cannot be loaded (reflection then drops the annotation, or defers an error).
         */
        private Class<?> load(String descriptor) {
            if (classes.containsKey(descriptor)) {
                return classes.get(descriptor);
            }
            Class<?> c = null;
            try {
                if (descriptor.length() == 1) {
                    c = primitive(descriptor.charAt(0));
                } else if (descriptor.charAt(0) == 'L' && descriptor.endsWith(";")) {
                    c = Class.forName(
                            descriptor.substring(1, descriptor.length() - 1).replace('/', '.'),
                            false,
                            type.getClassLoader());
                } else if (descriptor.charAt(0) == '[') {
                    c = Class.forName(descriptor.replace('/', '.'), false, type.getClassLoader());
                }
            } catch (ClassNotFoundException | LinkageError e) {
                c = null;
            }
            classes.put(descriptor, c);
            return c;
        }

        private static Class<?> primitive(char c) {
            return switch (c) {
                case 'Z' -> boolean.class;
                case 'B' -> byte.class;
                case 'C' -> char.class;
                case 'S' -> short.class;
                case 'I' -> int.class;
                case 'J' -> long.class;
                case 'F' -> float.class;
                case 'D' -> double.class;
                case 'V' -> void.class;
                default -> null;
            };
        }
    }

    /**
     * One element's annotations made from its file entry: declaration annotations, each parameter's, each type
     * annotation's; null where reflection must read (an unknown annotation type, a value that does not fit).
     */
    private static final class Made {
        final ClassFileReader.Member member;
        final Annotation[] annotations;
        /** Null when the method has no parameter annotations; a null entry for a parameter reflection must read. */
        final Annotation[][] parameters;
        /** By {@code member.typeAnnotations()}; a null entry for one reflection must read. */
        final Annotation[] typeAnnotations;

        Made(ClassFileReader.Member member, ClassData data) {
            this.member = member;
            this.annotations = data.annotations(member.annotations());
            List<List<ClassFileReader.RawAnnotation>> params = member.parameterAnnotations();
            if (params == null) {
                this.parameters = null;
            } else {
                this.parameters = new Annotation[params.size()][];
                for (int i = 0; i < parameters.length; i++) {
                    parameters[i] = data.annotations(params.get(i));
                }
            }
            List<ClassFileReader.RawTypeAnnotation> types = member.typeAnnotations();
            this.typeAnnotations = new Annotation[types.size()];
            for (int i = 0; i < typeAnnotations.length; i++) {
                ClassFileReader.RawTypeAnnotation t = types.get(i);
                // only those on a declaration's type are read (not a type parameter's bound nor a throws clause)
                if (t.target() == ClassFileReader.FIELD
                        || t.target() == ClassFileReader.METHOD_RETURN
                        || t.target() == ClassFileReader.METHOD_FORMAL_PARAMETER) {
                    typeAnnotations[i] = data.annotation(t.annotation());
                }
            }
        }
    }
}
