package dev.spindle.web.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An annotation instance that is a plain object rather than a {@link java.lang.reflect.Proxy}: the element values of
 * one annotation, read from the class file by {@link Annotations}, behind its type's interface (one small subclass per
 * type spindle-web knows, in {@link KnownAnnotations}). Reflection makes a proxy class per annotation type, a few
 * milliseconds each at startup that the AOT cache does not keep; these classes are ordinary and cached.
 *
 * <p>It keeps {@link Annotation}'s contract, as the JDK's proxies do: {@code equals} compares the type and every
 * element with any implementation (a proxy's elements through their methods), {@code hashCode} is the documented sum,
 * {@code toString} prints what the JDK prints, arrays are copied on each read. So a proxy and this are equal both
 * ways, and either may sit in a set or be compared with the other.
 */
abstract class PlainAnnotation implements Annotation {
    /** One annotation type's elements as reflection sees them, worked out once per type ({@link KnownAnnotations}). */
    static final class Shape {
        final Class<? extends Annotation> type;
        /** Which of {@link KnownAnnotations}' types this is. */
        final int kind;
        /** The elements, in {@link Class#getDeclaredMethods()}'s order (which the JDK's toString order follows). */
        final Method[] members;

        final String[] names;
        /** Each element's default ({@link Method#getDefaultValue()}), null where it has none. */
        final Object[] defaults;

        Shape(Class<? extends Annotation> type, int kind) {
            this.type = type;
            this.kind = kind;
            List<Method> members = new ArrayList<>();
            // the elements as the JDK's AnnotationType takes them: public abstract methods, no synthetic one
            for (Method m : type.getDeclaredMethods()) {
                int mod = m.getModifiers();
                if (Modifier.isPublic(mod) && Modifier.isAbstract(mod) && !m.isSynthetic()) {
                    if (m.getParameterCount() != 0) {
                        throw new IllegalArgumentException(m + " has parameters: not an annotation element");
                    }
                    members.add(m);
                }
            }
            this.members = members.toArray(new Method[0]);
            this.names = new String[this.members.length];
            this.defaults = new Object[this.members.length];
            for (int i = 0; i < names.length; i++) {
                names[i] = this.members[i].getName();
                // parses the AnnotationDefault attribute; no proxy unless the default is itself an annotation,
                // which none of the known types has (KnownAnnotationsTest)
                defaults[i] = this.members[i].getDefaultValue();
            }
        }

        int index(String name) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private final Shape shape;
    /** Each element's value, by {@link Shape#names}: never null. */
    private final Object[] values;
    /** The elements written in the class file, in its order: the JDK's toString lists them in this order. */
    private final String[] written;

    PlainAnnotation(Shape shape, Object[] values, String[] written) {
        this.shape = shape;
        this.values = values;
        this.written = written;
    }

    /** The value of element {@code name} (a copy if an array, as a proxy gives). */
    protected final Object get(String name) {
        int i = shape.index(name);
        if (i < 0) {
            throw new IllegalStateException(shape.type.getName() + " has no element " + name);
        }
        return copy(values[i]);
    }

    @Override
    public final Class<? extends Annotation> annotationType() {
        return shape.type;
    }

    @Override
    public final boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!shape.type.isInstance(o)) {
            return false;
        }
        if (o instanceof PlainAnnotation p) {
            for (int i = 0; i < values.length; i++) {
                if (!valueEquals(values[i], p.values[i])) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < values.length; i++) {
            Object theirs;
            try {
                theirs = shape.members[i].invoke(o);
            } catch (InvocationTargetException e) {
                return false; // as the JDK's proxies answer when the other's element throws
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read " + shape.members[i] + " of " + o, e);
            }
            if (!valueEquals(values[i], theirs)) {
                return false;
            }
        }
        return true;
    }

    /** {@link Annotation#hashCode()}'s definition: the sum of each element's {@code (127 * name) ^ value}. */
    @Override
    public final int hashCode() {
        int h = 0;
        for (int i = 0; i < values.length; i++) {
            h += (127 * shape.names[i].hashCode()) ^ valueHashCode(values[i]);
        }
        return h;
    }

    /**
     * What the JDK's proxies print: {@code @dev.spindle.web.Get(value="/x", status=201)}, elements in the order of
     * their map: first the defaulted ones in a {@link HashMap}'s order, then the others as written.
     */
    @Override
    public final String toString() {
        Map<String, Object> defaults = new HashMap<>(0); // the JDK's AnnotationType.memberDefaults, built alike
        for (int i = 0; i < values.length; i++) {
            if (shape.defaults[i] != null) {
                defaults.put(shape.names[i], shape.defaults[i]);
            }
        }
        Map<String, Object> shown = new LinkedHashMap<>(defaults);
        for (String name : written) {
            if (shape.index(name) >= 0) {
                shown.put(name, null);
            }
        }
        StringBuilder b = new StringBuilder(64).append('@');
        String canonical = shape.type.getCanonicalName();
        b.append(canonical != null ? canonical : "<no canonical name>").append('(');
        boolean first = true;
        boolean lone = shown.size() == 1;
        for (String name : shown.keySet()) {
            if (!first) {
                b.append(", ");
            }
            first = false;
            if (!lone || !name.equals("value")) {
                b.append(name).append('=');
            }
            b.append(valueToString(values[shape.index(name)]));
        }
        return b.append(')').toString();
    }

    // ---- element values: the JDK's rules -------------------------------------------------------------------

    private static Object copy(Object v) {
        if (v instanceof Object[] a) {
            return a.length == 0 ? a : a.clone();
        } else if (v instanceof int[] a) {
            return a.length == 0 ? a : a.clone();
        } else if (v instanceof long[] a) {
            return a.length == 0 ? a : a.clone();
        } else if (v instanceof boolean[] a) {
            return a.length == 0 ? a : a.clone();
        } else if (v instanceof byte[] a) {
            return a.length == 0 ? a : a.clone();
        } else if (v instanceof char[] a) {
            return a.length == 0 ? a : a.clone();
        } else if (v instanceof short[] a) {
            return a.length == 0 ? a : a.clone();
        } else if (v instanceof float[] a) {
            return a.length == 0 ? a : a.clone();
        } else if (v instanceof double[] a) {
            return a.length == 0 ? a : a.clone();
        }
        return v;
    }

    static boolean valueEquals(Object a, Object b) {
        if (!a.getClass().isArray()) {
            return a.equals(b);
        }
        if (a instanceof Object[] x && b instanceof Object[] y) {
            return Arrays.equals(x, y);
        }
        if (b == null || b.getClass() != a.getClass()) {
            return false;
        }
        if (a instanceof int[] x) {
            return Arrays.equals(x, (int[]) b);
        } else if (a instanceof long[] x) {
            return Arrays.equals(x, (long[]) b);
        } else if (a instanceof boolean[] x) {
            return Arrays.equals(x, (boolean[]) b);
        } else if (a instanceof byte[] x) {
            return Arrays.equals(x, (byte[]) b);
        } else if (a instanceof char[] x) {
            return Arrays.equals(x, (char[]) b);
        } else if (a instanceof short[] x) {
            return Arrays.equals(x, (short[]) b);
        } else if (a instanceof float[] x) {
            return Arrays.equals(x, (float[]) b);
        }
        return Arrays.equals((double[]) a, (double[]) b);
    }

    private static int valueHashCode(Object v) {
        if (v instanceof Object[] a) {
            return Arrays.hashCode(a);
        } else if (v instanceof int[] a) {
            return Arrays.hashCode(a);
        } else if (v instanceof long[] a) {
            return Arrays.hashCode(a);
        } else if (v instanceof boolean[] a) {
            return Arrays.hashCode(a);
        } else if (v instanceof byte[] a) {
            return Arrays.hashCode(a);
        } else if (v instanceof char[] a) {
            return Arrays.hashCode(a);
        } else if (v instanceof short[] a) {
            return Arrays.hashCode(a);
        } else if (v instanceof float[] a) {
            return Arrays.hashCode(a);
        } else if (v instanceof double[] a) {
            return Arrays.hashCode(a);
        }
        return v.hashCode();
    }

    private static String valueToString(Object v) {
        if (v.getClass().isArray()) {
            StringBuilder b = new StringBuilder("{");
            int n = java.lang.reflect.Array.getLength(v);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    b.append(", ");
                }
                b.append(valueToString(java.lang.reflect.Array.get(v, i)));
            }
            return b.append('}').toString();
        }
        if (v instanceof Class<?> c) {
            String canonical = c.getCanonicalName();
            return (canonical != null ? canonical : "<no canonical name>") + ".class";
        } else if (v instanceof String s) {
            StringBuilder b = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                b.append(quote(s.charAt(i), false));
            }
            return b.append('"').toString();
        } else if (v instanceof Character c) {
            return "'" + quote(c, true) + "'";
        } else if (v instanceof Double d) {
            return Double.isFinite(d) ? Double.toString(d) : d.isNaN() ? "0.0/0.0" : d < 0 ? "-1.0/0.0" : "1.0/0.0";
        } else if (v instanceof Float f) {
            return Float.isFinite(f)
                    ? Float.toString(f) + "f"
                    : f.isNaN() ? "0.0f/0.0f" : f < 0 ? "-1.0f/0.0f" : "1.0f/0.0f";
        } else if (v instanceof Long l) {
            return l + "L";
        } else if (v instanceof Byte x) {
            return String.format("(byte)0x%02x", x);
        } else if (v instanceof Enum<?> e) {
            return e.name();
        }
        return v.toString();
    }

    private static String quote(char c, boolean inChar) {
        return switch (c) {
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\'' -> inChar ? "\\'" : "'";
            case '"' -> inChar ? "\"" : "\\\"";
            case '\\' -> "\\\\";
            default -> c >= ' ' && c <= '~' ? String.valueOf(c) : String.format("\\u%04x", (int) c);
        };
    }
}
